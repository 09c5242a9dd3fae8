/**
 * The changing cmdlets of a change script turned into change commands (commands.ts): their arguments read as
 * Exchange reads them, their targets taken from -Identity or from the pipeline, one command per target.
 */

import { argument, stringList, type BoundArguments } from './bind-arguments.js';
import type { AceSpec, ChangeCommand, ConnectorSettings, ListChange, Usage } from './commands.js';
import { USAGES } from './commands.js';
import { canonicalName, invalidRange } from './connector-rules.js';
import { enumName, flagNames } from './flag-values.js';
import { looseRangeAddress } from './loose-address.js';
import {
  ACTIVE_DIRECTORY_RIGHTS,
  AUTH_MECHANISMS,
  PERMISSION_GROUPS,
  SECURITY_INHERITANCE,
} from '../model/exchange-enums.js';
import type { Interpreter } from './evaluate.js';
import { NotEvaluable } from './evaluate.js';
import { connectorOf } from './read-cmdlets.js';
import {
  enumerate,
  isHashtable,
  isObject,
  isArray,
  toText,
  type PsObject,
  type SourceLocation,
  type Value,
} from './values.js';

/** A command to apply, or the reason PowerShell or Exchange refuses it before anything changes. */
export type Planned = { command: ChangeCommand; target: string } | { refused: string; target: string | null };

/** Parameters whose values matter to relay: an unknown value in any of them makes the command unevaluable. */
export const MODELLED: Readonly<Record<string, readonly string[]>> = {
  'New-ReceiveConnector': [
    'Name',
    'Server',
    'Bindings',
    'RemoteIPRanges',
    'AuthMechanism',
    'PermissionGroups',
    'Enabled',
    'TransportRole',
    'TlsDomainCapabilities',
    'ProtocolLoggingLevel',
    'Usage',
    'WhatIf',
    'ErrorAction',
  ],
  'Set-ReceiveConnector': [
    'Identity',
    'Instance',
    'Name',
    'Bindings',
    'RemoteIPRanges',
    'AuthMechanism',
    'PermissionGroups',
    'Enabled',
    'TransportRole',
    'TlsDomainCapabilities',
    'ProtocolLoggingLevel',
    'WhatIf',
    'ErrorAction',
  ],
  'Remove-ReceiveConnector': ['Identity', 'WhatIf', 'ErrorAction'],
  'Add-ADPermission': [
    'Identity',
    'Instance',
    'User',
    'AccessRights',
    'ExtendedRights',
    'Deny',
    'InheritanceType',
    'WhatIf',
    'ErrorAction',
  ],
  'Remove-ADPermission': [
    'Identity',
    'Instance',
    'User',
    'AccessRights',
    'ExtendedRights',
    'Deny',
    'InheritanceType',
    'WhatIf',
    'ErrorAction',
  ],
  'New-AcceptedDomain': ['Name', 'DomainName', 'DomainType', 'WhatIf', 'ErrorAction'],
  'Set-AcceptedDomain': ['Identity', 'DomainType', 'MakeDefault', 'WhatIf', 'ErrorAction'],
  'Remove-AcceptedDomain': ['Identity', 'WhatIf', 'ErrorAction'],
};

class Refused extends Error {}

/** Boolean parameters take $true/$false or numbers; PowerShell refuses strings ("false" included). */
function booleanOf(name: string, value: Value): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new Refused(
    `PowerShell: cannot convert '${toText(value)}' to the Boolean parameter -${name}; use $true or $false`,
  );
}

/** A multi-valued parameter: a list replaces the property; @{Add=…; Remove=…} changes it. */
function listChange(name: string, value: Value): ListChange {
  if (isHashtable(value)) {
    const keys = [...value.entries.keys()];
    const unknownKey = keys.find((key) => key !== 'add' && key !== 'remove');
    if (unknownKey)
      throw new Refused(`PowerShell: -${name} @{…} takes the keys Add and Remove, not '${unknownKey}'`);
    return {
      add: readableRanges(name, stringList(value.entries.get('add')?.value ?? null)),
      remove: readableRanges(name, stringList(value.entries.get('remove')?.value ?? null)),
    };
  }
  return { replace: readableRanges(name, stringList(value)) };
}

/** RemoteIPRanges values as given; one only .NET's loose address parsing reads makes the command unevaluable. */
function readableRanges(name: string, values: string[]): string[] {
  if (name !== 'RemoteIPRanges') return values;
  for (const value of values) {
    if (invalidRange(value) === null) continue;
    const loose = looseRangeAddress(value);
    if (loose)
      throw new NotEvaluable(
        `the RemoteIPRanges value '${value}' writes '${loose.written}', which .NET's address parser (used by Exchange) reads as ${loose.reading}; exrelay does not follow such short, octal or hex forms`,
      );
  }
  return values;
}

function connectorSettings(bound: BoundArguments): ConnectorSettings {
  const settings: ConnectorSettings = {};
  const get = (name: string) => argument(bound, name);
  if (get('Name') !== undefined) settings.name = toText(get('Name') ?? null);
  if (get('Bindings') !== undefined) settings.bindings = stringList(get('Bindings') ?? null);
  if (get('RemoteIPRanges') !== undefined)
    settings.remoteIPRanges = listChange('RemoteIPRanges', get('RemoteIPRanges') ?? null);
  if (get('AuthMechanism') !== undefined)
    settings.authMechanism = flagNames(get('AuthMechanism') ?? null, AUTH_MECHANISMS);
  if (get('PermissionGroups') !== undefined)
    settings.permissionGroups = flagNames(get('PermissionGroups') ?? null, PERMISSION_GROUPS);
  if (get('Enabled') !== undefined) settings.enabled = booleanOf('Enabled', get('Enabled') ?? null);
  if (get('TransportRole') !== undefined) settings.transportRole = toText(get('TransportRole') ?? null);
  if (get('TlsDomainCapabilities') !== undefined)
    settings.tlsDomainCapabilities = listChange(
      'TlsDomainCapabilities',
      get('TlsDomainCapabilities') ?? null,
    );
  if (get('ProtocolLoggingLevel') !== undefined)
    settings.protocolLoggingLevel = toText(get('ProtocolLoggingLevel') ?? null);
  return settings;
}

/** What an object read earlier and changed in the script writes back when it is piped or given as -Instance. */
function instanceSettings(object: PsObject): ConnectorSettings {
  const settings: ConnectorSettings = {};
  for (const key of object.modified ?? []) {
    const value = object.props.get(key)?.value ?? null;
    if (key === 'remoteipranges')
      settings.remoteIPRanges = { replace: readableRanges('RemoteIPRanges', stringList(value)) };
    else if (key === 'bindings') settings.bindings = stringList(value);
    else if (key === 'authmechanism') settings.authMechanism = flagNames(value, AUTH_MECHANISMS);
    else if (key === 'permissiongroups') settings.permissionGroups = flagNames(value, PERMISSION_GROUPS);
    else if (key === 'enabled') settings.enabled = booleanOf('Enabled', value);
    else if (key === 'name') settings.name = toText(value);
    else if (key === 'tlsdomaincapabilities') settings.tlsDomainCapabilities = { replace: stringList(value) };
    else
      throw new NotEvaluable(
        `the changed property ${object.props.get(key)?.name ?? key} is not one exrelay follows`,
      );
  }
  return settings;
}

function usageOf(bound: BoundArguments): Usage | null {
  const switches = USAGES.filter((usage) => argument(bound, usage) === true);
  if (switches.length > 1)
    throw new Refused(`PowerShell: parameter set cannot be resolved (-${switches.join(' and -')})`);
  const written = argument(bound, 'Usage');
  if (written !== undefined) {
    const usage = canonicalName(USAGES, toText(written));
    if (!usage) throw new Refused(`'${toText(written)}' is not a valid -Usage (${USAGES.join(', ')})`);
    return usage;
  }
  return switches[0] ?? null;
}

/** -Identity's values, else the pipeline's objects: one target each. */
function targets(bound: BoundArguments, input: Value[] | null, cmdlet: string): Value[] {
  const identity = argument(bound, 'Identity') ?? argument(bound, 'Instance');
  if (identity !== undefined) return enumerate(identity);
  if (input !== null) return input;
  throw new Refused(`${cmdlet} needs -Identity (PowerShell prompts for it, which fails in a script)`);
}

function connectorTarget(interpreter: Interpreter, value: Value, at: SourceLocation): string {
  const found = connectorOf(interpreter, value, at);
  if (!found.ok) throw new Refused(found.reason);
  return found.connector.identity;
}

function aceSpec(bound: BoundArguments): AceSpec {
  const user = argument(bound, 'User');
  if (user === undefined) throw new Refused('-User is required');
  return {
    user: toText(user),
    extendedRights: stringList(argument(bound, 'ExtendedRights') ?? null, true),
    accessRights: flagNames(argument(bound, 'AccessRights') ?? null, ACTIVE_DIRECTORY_RIGHTS),
    deny: argument(bound, 'Deny') === true,
    inheritanceType:
      argument(bound, 'InheritanceType') === undefined
        ? null
        : enumName(argument(bound, 'InheritanceType') ?? null, SECURITY_INHERITANCE),
  };
}

/** An ACE read with Get-ADPermission and piped into Remove-ADPermission. */
function specOfAce(object: PsObject): AceSpec {
  const ace = object.ace!;
  return {
    user: ace.sid ?? ace.user,
    extendedRights: [...ace.extendedRights],
    accessRights: ace.extendedRights.length > 0 ? [] : [...ace.accessRights],
    deny: ace.deny,
    inheritanceType: ace.inheritanceType,
  };
}

function plan(fn: () => Planned[], target: string | null = null): Planned[] {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Refused) return [{ refused: error.message, target }];
    throw error;
  }
}

/** Per target: the command to apply, or why it is refused. */
export function planChange(
  interpreter: Interpreter,
  cmdlet: string,
  bound: BoundArguments,
  input: Value[] | null,
  at: SourceLocation,
): Planned[] {
  const perTarget = (build: (value: Value) => Planned): Planned[] =>
    plan(() =>
      targets(bound, input, cmdlet).map((value) => {
        try {
          return build(value);
        } catch (error) {
          if (error instanceof Refused)
            return { refused: error.message, target: isObject(value) ? toText(value) : toText(value) };
          throw error;
        }
      }),
    );
  switch (cmdlet) {
    case 'New-ReceiveConnector':
      return plan(() => {
        const name = argument(bound, 'Name');
        if (name === undefined) throw new Refused('New-ReceiveConnector needs -Name');
        const server = newConnectorServer(interpreter, argument(bound, 'Server'), at);
        const command: ChangeCommand = {
          kind: 'new-connector',
          server,
          name: toText(name),
          usage: usageOf(bound),
          settings: connectorSettings(bound),
        };
        return [{ command, target: `${server}\\${toText(name)}` }];
      });
    case 'Set-ReceiveConnector':
      return perTarget((value) => {
        const explicit = connectorSettings(bound);
        const fromObject =
          isObject(value) && value.type === 'ReceiveConnector' ? instanceSettings(value) : {};
        const identity = connectorTarget(interpreter, value, at);
        return {
          command: { kind: 'set-connector', identity, settings: { ...fromObject, ...explicit } },
          target: identity,
        };
      });
    case 'Remove-ReceiveConnector':
      return perTarget((value) => {
        const identity = connectorTarget(interpreter, value, at);
        return { command: { kind: 'remove-connector', identity }, target: identity };
      });
    case 'Add-ADPermission':
    case 'Remove-ADPermission':
      return perTarget((value) => {
        const kind = cmdlet === 'Add-ADPermission' ? 'add-permission' : 'remove-permission';
        const fromAce =
          isObject(value) && value.type === 'ADPermission' && argument(bound, 'User') === undefined;
        const identity = connectorTarget(
          interpreter,
          fromAce ? ({ ...value, type: 'ReceiveConnector' } as PsObject) : value,
          at,
        );
        return {
          command: { kind, identity, ace: fromAce ? specOfAce(value as PsObject) : aceSpec(bound) },
          target: identity,
        };
      });
    case 'New-AcceptedDomain':
      return plan(() => {
        const name = argument(bound, 'Name');
        const domainName = argument(bound, 'DomainName');
        if (name === undefined || domainName === undefined)
          throw new Refused('New-AcceptedDomain needs -Name and -DomainName');
        const type = argument(bound, 'DomainType');
        return [
          {
            command: {
              kind: 'new-accepted-domain',
              name: toText(name),
              domainName: toText(domainName),
              domainType: type === undefined ? null : toText(type),
            },
            target: toText(domainName),
          },
        ];
      });
    case 'Set-AcceptedDomain':
      return perTarget((value) => {
        const identity = domainIdentity(value);
        const type = argument(bound, 'DomainType');
        return {
          command: {
            kind: 'set-accepted-domain',
            identity,
            domainType: type === undefined ? null : toText(type),
            makeDefault: argument(bound, 'MakeDefault') === true,
          },
          target: identity,
        };
      });
    case 'Remove-AcceptedDomain':
      return perTarget((value) => {
        const identity = domainIdentity(value);
        return { command: { kind: 'remove-accepted-domain', identity }, target: identity };
      });
    default:
      throw new Error(`no plan for ${cmdlet}`);
  }
}

function domainIdentity(value: Value): string {
  return isObject(value) ? toText(value.props.get('name')?.value ?? null) : toText(value);
}

/** New-ReceiveConnector without -Server creates the connector on the server the shell is connected to. */
function newConnectorServer(interpreter: Interpreter, server: Value | undefined, at: SourceLocation): string {
  if (server !== undefined) {
    const value = isArray(server) ? (server.items[0] ?? null) : server;
    return isObject(value) ? toText(value.props.get('name')?.value ?? null) : toText(value);
  }
  if (interpreter.state.connectedServer) return interpreter.state.connectedServer;
  const servers = [...new Set(interpreter.state.connectors.map((connector) => connector.server))];
  if (servers.length === 1) {
    interpreter.assume(
      `New-ReceiveConnector without -Server creates the connector on the server the shell is connected to; exrelay took ${servers[0]}, the only server with connectors`,
    );
    return servers[0] as string;
  }
  throw new NotEvaluable(
    'New-ReceiveConnector without -Server creates the connector on the server the shell is connected to, which the input does not say (pass --connected-server)',
    at,
  );
}
