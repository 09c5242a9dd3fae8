/**
 * The read-only commands of a change script, answered from the working organisation: Get-ReceiveConnector,
 * Get-ExchangeServer, Get-ADPermission and Get-AcceptedDomain return objects with copies of their properties, as
 * Exchange returns deserialized objects; Where-Object, ForEach-Object and Select-Object shape them.
 */

import type { AccessControlEntry, ReceiveConnector } from '../model/snapshot.js';
import { argument, stringList, type BoundArguments } from './bind-arguments.js';
import type { Interpreter } from './evaluate.js';
import { NotEvaluable } from './evaluate.js';
import { principalKey } from './permission-groups.js';
import { isWildcard } from './working-state.js';
import { appendAll } from './value-limits.js';
import {
  collapse,
  enumerate,
  findUnknown,
  isObject,
  isTrue,
  psArray,
  psObject,
  toText,
  type PsObject,
  type SourceLocation,
  type Value,
} from './values.js';

export type Fail = (reason: string) => Value[];

export function connectorObject(interpreter: Interpreter, connector: ReceiveConnector): PsObject {
  const object = psObject(
    'ReceiveConnector',
    {
      Name: connector.name,
      Identity: connector.identity,
      Server: connector.server,
      Enabled: connector.enabled,
      TransportRole: connector.transportRole,
      Bindings: psArray([...connector.bindings], true),
      RemoteIPRanges: psArray([...connector.remoteIPRanges], true),
      AuthMechanism: connector.authMechanism.join(', '),
      PermissionGroups: connector.permissionGroups.join(', '),
      DistinguishedName: connector.distinguishedName,
      Guid: connector.guid ?? null,
      TlsDomainCapabilities: psArray([...(connector.tlsDomainCapabilities ?? [])], true),
      ProtocolLoggingLevel: connector.protocolLoggingLevel ?? null,
    },
    interpreter.state.handleOf(connector),
  );
  for (const [key, property] of object.props) {
    const value = property.value;
    if (typeof value === 'object' && value !== null && value.kind === 'array')
      value.owner = { object, property: key };
  }
  return object;
}

/**
 * The connector an object or identity names today. A look-up whose answer the input does not decide (a bare
 * name on several servers, a wildcard matching several) is not evaluated: refusing it would hide the change.
 */
export function connectorOf(
  interpreter: Interpreter,
  value: Value,
  at: SourceLocation | null = null,
): { ok: true; connector: ReceiveConnector } | { ok: false; reason: string } {
  if (isObject(value) && value.connector !== undefined) {
    const connector = interpreter.state.byHandle(value.connector);
    return connector
      ? { ok: true, connector }
      : {
          ok: false,
          reason: `the connector '${toText(value)}' no longer exists (removed earlier in the script)`,
        };
  }
  const found = interpreter.state.findConnector(toText(value));
  if (!found.ok && found.undecided) throw new NotEvaluable(found.reason, at);
  return found.ok ? { ok: true, connector: found.value } : found;
}

export function getReceiveConnector(
  interpreter: Interpreter,
  bound: BoundArguments,
  input: Value[] | null,
  at: SourceLocation,
  fail: Fail,
): Value[] {
  const { state } = interpreter;
  const identity = argument(bound, 'Identity');
  const server = argument(bound, 'Server');
  let connectors: ReceiveConnector[] = [];
  if (identity !== undefined) {
    for (const item of enumerate(identity)) {
      // Get- lists every connector a wildcard matches ('*Frontend*' is a common way to pick them).
      if (!isObject(item) && isWildcard(toText(item)) && !state.findConnector(toText(item)).ok) {
        const matched = state.matchConnectors(toText(item));
        if (matched.length === 0) return fail(`no connector matches '${toText(item)}'`);
        interpreter.assume(
          `Get-ReceiveConnector '${toText(item)}': exrelay matched the wildcard against connector names on every server`,
        );
        connectors.push(...matched);
        continue;
      }
      const found = connectorOf(interpreter, item, at);
      if (!found.ok) return fail(found.reason);
      connectors.push(found.connector);
    }
  } else if (server !== undefined || (input && input.length > 0)) {
    for (const item of server !== undefined ? enumerate(server) : (input ?? [])) {
      const name = isObject(item) ? toText(item.props.get('name')?.value ?? null) : toText(item);
      if (!isObject(item) && isWildcard(name) && !state.serverExists(name)) {
        // -Server EX* takes every server the pattern matches, as -Identity's wildcards do.
        const matched = state.matchConnectors(`${name}\\*`);
        if (matched.length === 0) return fail(`no server with connectors matches '${name}'`);
        connectors.push(...matched);
        continue;
      }
      if (!state.serverExists(name)) return fail(`server '${name}' couldn't be found`);
      connectors.push(...state.connectorsOn(name));
    }
  } else if (state.connectedServer) {
    connectors = state.connectorsOn(state.connectedServer);
  } else {
    interpreter.assume(
      'Get-ReceiveConnector without -Identity or -Server lists the connectors of the server the shell is connected to; exrelay took the connectors of every server (pass --connected-server to name it)',
    );
    connectors = [...state.connectors];
  }
  return connectors.map((connector) => connectorObject(interpreter, connector));
}

export function getExchangeServer(interpreter: Interpreter, bound: BoundArguments, fail: Fail): Value[] {
  const servers = interpreter.state.original.servers;
  const identity = argument(bound, 'Identity');
  const chosen =
    identity === undefined
      ? servers
      : enumerate(identity).map((item) => {
          const name = toText(item).toLowerCase();
          return servers.find(
            (server) =>
              server.name.toLowerCase() === name || name.startsWith(`${server.name.toLowerCase()}.`),
          );
        });
  if (chosen.some((server) => server === undefined))
    return fail(`server '${toText(identity ?? null)}' couldn't be found`);
  return chosen.map((server) =>
    psObject('ExchangeServer', {
      Name: server!.name,
      Identity: server!.name,
      AdminDisplayVersion: server!.version,
      ServerRole: server!.roles.join(', '),
      IsEdgeServer: server!.isEdge,
    }),
  );
}

function aceObject(connector: ReceiveConnector, ace: AccessControlEntry, handle: number): PsObject {
  const object = psObject(
    'ADPermission',
    {
      Identity: connector.identity,
      User: ace.user,
      Deny: ace.deny,
      IsInherited: ace.inherited,
      AccessRights: ace.accessRights.join(', '),
      ExtendedRights: ace.extendedRights.length > 0 ? psArray([...ace.extendedRights]) : null,
      InheritanceType: ace.inheritanceType,
    },
    handle,
  );
  object.ace = ace;
  return object;
}

export function getAdPermission(
  interpreter: Interpreter,
  bound: BoundArguments,
  input: Value[] | null,
  at: SourceLocation,
  fail: Fail,
): Value[] {
  const identity = argument(bound, 'Identity');
  const targets = identity !== undefined ? enumerate(identity) : (input ?? []);
  const user = argument(bound, 'User');
  let key: string | null = null;
  if (user !== undefined) {
    const resolved = interpreter.state.directory.resolveUser(toText(user));
    if (!resolved.ok) return fail(resolved.reason);
    key = principalKey(resolved.principal);
  }
  const output: Value[] = [];
  for (const target of targets) {
    const found = connectorOf(interpreter, target, at);
    if (!found.ok) return fail(found.reason);
    const { connector } = found;
    if (connector.permissions === null) {
      output.push({
        kind: 'unknown',
        reason: `the ACL of '${connector.identity}', which is not in the input`,
        at,
      });
      continue;
    }
    const handle = interpreter.state.handleOf(connector);
    for (const ace of connector.permissions)
      if (key === null || principalKey(ace) === key) output.push(aceObject(connector, ace, handle));
  }
  return output;
}

export function getAcceptedDomain(
  interpreter: Interpreter,
  bound: BoundArguments,
  at: SourceLocation,
  fail: Fail,
): Value[] {
  const domains = interpreter.state.acceptedDomains;
  if (domains === null)
    return [{ kind: 'unknown', reason: 'the accepted domains, which are not in the input', at }];
  const identity = argument(bound, 'Identity');
  const chosen = identity === undefined ? domains : [];
  if (identity !== undefined) {
    const found = interpreter.state.findAcceptedDomain(toText(identity));
    if (!found.ok) return fail(found.reason);
    chosen.push(found.value);
  }
  return chosen.map((domain) =>
    psObject('AcceptedDomain', {
      Name: domain.name,
      Identity: domain.name,
      DomainName: domain.domainName,
      DomainType: domain.domainType,
      Default: domain.isDefault,
    }),
  );
}

const SIMPLE_OPERATORS: Readonly<Record<string, string>> = {
  EQ: 'Ieq',
  NE: 'Ine',
  GT: 'Igt',
  LT: 'Ilt',
  GE: 'Ige',
  LE: 'Ile',
  Like: 'Ilike',
  NotLike: 'Inotlike',
  Match: 'Imatch',
  NotMatch: 'Inotmatch',
  Contains: 'Icontains',
  NotContains: 'Inotcontains',
  In: 'Iin',
  NotIn: 'Inotin',
  CEQ: 'Ceq',
  CNE: 'Cne',
  CLike: 'Clike',
  CNotLike: 'Cnotlike',
  CMatch: 'Cmatch',
  CNotMatch: 'Cnotmatch',
};

export function whereObject(
  interpreter: Interpreter,
  bound: BoundArguments,
  input: Value[],
  at: SourceLocation,
  binary: (operator: string, left: Value, right: Value) => Value,
): Value[] {
  const filter = argument(bound, 'FilterScript') ?? argument(bound, 'Property');
  const verdict = (item: Value): boolean => {
    let result: Value;
    if (typeof filter === 'object' && filter !== null && filter.kind === 'scriptblock') {
      result = collapse(interpreter.invokeBlock(filter.body, item));
    } else {
      const property = interpreter.member(item, toText(filter ?? null), at);
      const operator = Object.keys(SIMPLE_OPERATORS).find((name) => bound.named.has(name));
      result = operator
        ? binary(SIMPLE_OPERATORS[operator] as string, property, argument(bound, 'Value') ?? null)
        : property;
    }
    const unknown = findUnknown(result);
    if (unknown) throw new NotEvaluable(`Where-Object's filter depends on ${unknown.reason}`, at);
    return isTrue(result);
  };
  return input.filter(verdict);
}

export function forEachObject(
  interpreter: Interpreter,
  bound: BoundArguments,
  input: Value[],
  at: SourceLocation,
): Value[] {
  const process = argument(bound, 'Process');
  const member = argument(bound, 'MemberName');
  const output: Value[] = [];
  const begin = argument(bound, 'Begin');
  if (typeof begin === 'object' && begin !== null && begin.kind === 'scriptblock')
    appendAll(output, interpreter.invokeBlock(begin.body, null));
  for (const item of input) {
    interpreter.count();
    if (typeof process === 'object' && process !== null && process.kind === 'scriptblock')
      appendAll(output, interpreter.invokeBlock(process.body, item));
    else if (typeof process === 'string' || member !== undefined)
      appendAll(output, enumerate(interpreter.member(item, toText(process ?? member ?? null), at)));
    else throw new NotEvaluable('ForEach-Object without a script block', at);
  }
  const end = argument(bound, 'End');
  if (typeof end === 'object' && end !== null && end.kind === 'scriptblock')
    appendAll(output, interpreter.invokeBlock(end.body, null));
  return output;
}

export function selectObject(
  interpreter: Interpreter,
  bound: BoundArguments,
  input: Value[],
  at: SourceLocation,
): Value[] {
  let items = input;
  const expand = argument(bound, 'ExpandProperty');
  if (expand !== undefined) {
    const expanded: Value[] = [];
    for (const item of items) appendAll(expanded, enumerate(interpreter.member(item, toText(expand), at)));
    items = expanded;
  }
  const skip = argument(bound, 'Skip');
  if (skip !== undefined) items = items.slice(Number(toText(skip)));
  const first = argument(bound, 'First');
  if (first !== undefined) items = items.slice(0, Number(toText(first)));
  const last = argument(bound, 'Last');
  if (last !== undefined) items = items.slice(-Number(toText(last)));
  if (argument(bound, 'Unique') === true)
    items = items.filter(
      (item, position) => items.findIndex((other) => toText(other) === toText(item)) === position,
    );
  if (
    argument(bound, 'Property') !== undefined &&
    expand === undefined &&
    stringList(argument(bound, 'Property') ?? null).length > 0
  )
    interpreter.assume(
      "Select-Object -Property keeps the objects whole in exrelay's evaluation (the properties a later command reads are the same)",
    );
  return items;
}
