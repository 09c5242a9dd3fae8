/**
 * Carry out one change command on the working organisation as Exchange would: the same defaults, the same ACEs
 * for permission groups, the same refusals. A refused command changes nothing. Pure apart from the working state
 * it is given.
 */

import type { AccessControlEntry, ReceiveConnector } from '../model/snapshot.js';
import { isActiveDirectoryRight } from '../model/exchange-enums.js';
import { insertInCanonicalOrder } from '../analysis/grants.js';
import { rangeKey } from './range-memo.js';
import type {
  AceSpec,
  ChangeCommand,
  ChangeEffect,
  CommandResult,
  ConnectorSettings,
  ListChange,
  Usage,
} from './commands.js';
import {
  AUTH_MECHANISM_NAMES,
  canonicalName,
  duplicateValue,
  invalidAuthMechanism,
  invalidBinding,
  invalidPermissionGroups,
  invalidRange,
  mappingConflict,
  repeatedValue,
  TRANSPORT_ROLES,
} from './connector-rules.js';
import {
  computePermissionGroups,
  groupAces,
  PERMISSION_GROUP_NAMES,
  principalKey,
  type PermissionGroup,
  type ServerKind,
} from './permission-groups.js';
import { cloneConnector, type WorkingState } from './working-state.js';

class Refusal extends Error {}

function refuse(reason: string): never {
  throw new Refusal(reason);
}

export function applyCommand(state: WorkingState, command: ChangeCommand): CommandResult {
  const effects: ChangeEffect[] = [];
  try {
    const changed = run(state, command, effects);
    return { status: changed ? 'applied' : 'unchanged', reason: null, effects };
  } catch (error) {
    if (error instanceof Refusal) return { status: 'refused', reason: error.message, effects: [] };
    throw error;
  }
}

function run(state: WorkingState, command: ChangeCommand, effects: ChangeEffect[]): boolean {
  switch (command.kind) {
    case 'new-connector':
      return newConnector(state, command, effects);
    case 'set-connector':
      return setConnector(state, found(state.findConnector(command.identity)), command.settings, effects);
    case 'remove-connector': {
      const connector = found(state.findConnector(command.identity));
      state.remove(connector);
      effects.push({
        kind: 'connector-removed',
        target: connector.identity,
        text: `removes '${connector.identity}'`,
      });
      return true;
    }
    case 'add-permission':
      return addPermission(state, found(state.findConnector(command.identity)), command.ace, effects);
    case 'remove-permission':
      return removePermission(state, found(state.findConnector(command.identity)), command.ace, effects);
    case 'new-accepted-domain':
      return newAcceptedDomain(state, command, effects);
    case 'set-accepted-domain': {
      const domain = found(state.findAcceptedDomain(command.identity));
      let changed = false;
      if (command.domainType !== null) {
        const type = domainType(command.domainType);
        if (type !== domain.domainType) {
          effects.push({
            kind: 'domain-changed',
            target: domain.domainName,
            text: `changes accepted domain '${domain.domainName}' from ${domain.domainType} to ${type}`,
          });
          domain.domainType = type;
          changed = true;
        }
      }
      if (command.makeDefault && !domain.isDefault) {
        for (const other of state.acceptedDomains ?? []) other.isDefault = other === domain;
        effects.push({
          kind: 'domain-changed',
          target: domain.domainName,
          text: `makes '${domain.domainName}' the default accepted domain`,
        });
        changed = true;
      }
      return changed;
    }
    case 'remove-accepted-domain': {
      const domain = found(state.findAcceptedDomain(command.identity));
      if (domain.isDefault)
        refuse(`'${domain.domainName}' is the default accepted domain and can't be removed`);
      state.acceptedDomains = (state.acceptedDomains ?? []).filter((entry) => entry !== domain);
      effects.push({
        kind: 'domain-removed',
        target: domain.domainName,
        text: `removes accepted domain '${domain.domainName}' (${domain.domainType})`,
      });
      return true;
    }
  }
}

function found<T>(lookup: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!lookup.ok) refuse(lookup.reason);
  return lookup.value;
}

/** Groups and authentication each usage type sets at creation (exchange-domain.md §1.1, the S-RC usage table). */
const USAGE_DEFAULTS: Record<Usage | 'none', { groups: string[]; auth: string[] }> = {
  Custom: { groups: [], auth: ['Tls'] },
  Internet: { groups: ['AnonymousUsers'], auth: ['Tls'] },
  Internal: { groups: ['ExchangeServers', 'ExchangeLegacyServers'], auth: ['Tls', 'ExchangeServer'] },
  Client: { groups: ['ExchangeUsers'], auth: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS'] },
  Partner: { groups: ['Partners'], auth: ['Tls'] },
  none: {
    groups: ['ExchangeUsers', 'ExchangeServers', 'ExchangeLegacyServers'],
    auth: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer'],
  },
};

function defaultsFor(usage: Usage | null, server: ServerKind): { groups: string[]; auth: string[] } {
  if (usage === null && server.isEdge)
    return { groups: ['AnonymousUsers', 'ExchangeServers', 'Partners'], auth: ['Tls', 'ExchangeServer'] };
  const defaults = USAGE_DEFAULTS[usage ?? 'none'];
  const groups = server.isEdge
    ? defaults.groups.filter((group) => group !== 'ExchangeLegacyServers')
    : defaults.groups;
  return { groups, auth: defaults.auth };
}

function newConnector(
  state: WorkingState,
  command: Extract<ChangeCommand, { kind: 'new-connector' }>,
  effects: ChangeEffect[],
): boolean {
  const { settings } = command;
  if (!state.serverExists(command.server)) refuse(`server '${command.server}' couldn't be found`);
  const siblings = state.connectorsOn(command.server);
  const server = siblings[0]?.server ?? command.server;
  const name = command.name.trim();
  if (name === '') refuse('the -Name value is empty');
  if (siblings.some((connector) => connector.name.toLowerCase() === name.toLowerCase()))
    refuse(`a receive connector named '${name}' already exists on ${server}`);
  if (!settings.bindings)
    refuse('New-ReceiveConnector needs -Bindings (the local address and port to listen on)');
  const ranges = settings.remoteIPRanges ? listValues([], settings.remoteIPRanges) : null;
  if (!ranges && (command.usage === 'Custom' || command.usage === 'Partner'))
    refuse(`New-ReceiveConnector -${command.usage} needs -RemoteIPRanges`);
  const kind = state.serverKind(server);
  const defaults = defaultsFor(command.usage, kind);
  const draft: ReceiveConnector = {
    identity: `${server}\\${name}`,
    server,
    name,
    distinguishedName: siblingDn(siblings, name),
    guid: null,
    enabled: true,
    transportRole: kind.major >= 15 ? 'HubTransport' : null,
    bindings: [],
    remoteIPRanges: ranges ?? ['0.0.0.0-255.255.255.255'],
    authMechanism: defaults.auth,
    permissionGroups: [],
    permissions: inheritedAces(state, siblings),
    tlsDomainCapabilities: [],
    protocolLoggingLevel: 'None',
  };
  const groups = settings.permissionGroups ?? defaults.groups;
  applySettings(state, draft, { ...settings, remoteIPRanges: undefined, permissionGroups: undefined }, []);
  setGroups(state, draft, groups, []);
  validate(state, draft, true);
  state.add(draft);
  effects.push({
    kind: 'connector-created',
    target: draft.identity,
    text: `creates '${draft.identity}' (${draft.transportRole ?? 'Hub Transport'}, ${draft.bindings.join(', ')}; RemoteIPRanges ${draft.remoteIPRanges.join(', ')}; PermissionGroups ${draft.permissionGroups.join(', ')}; AuthMechanism ${draft.authMechanism.join(', ')})`,
    values: draft.remoteIPRanges,
  });
  return true;
}

/** "CN=<name>,CN=SMTP Receive Connectors,…" after a sibling's DN; null when no sibling has one. */
function siblingDn(siblings: readonly ReceiveConnector[], name: string): string | null {
  const dn = siblings.find((connector) => connector.distinguishedName)?.distinguishedName;
  const parent = dn ? /^(?:[^,\\]|\\.)*,(.+)$/.exec(dn)?.[1] : undefined;
  return parent ? `CN=${name.replace(/([,\\#+<>;"=])/g, '\\$1')},${parent}` : null;
}

/** A new connector inherits what its container grants: the inherited ACEs of a sibling (or any connector). */
function inheritedAces(state: WorkingState, siblings: readonly ReceiveConnector[]): AccessControlEntry[] {
  const source =
    siblings.find((connector) => connector.permissions !== null) ??
    state.connectors.find((connector) => connector.permissions !== null);
  return (source?.permissions ?? []).filter((ace) => ace.inherited).map((ace) => ({ ...ace }));
}

function setConnector(
  state: WorkingState,
  connector: ReceiveConnector,
  settings: ConnectorSettings,
  effects: ChangeEffect[],
): boolean {
  const draft = cloneConnector(connector);
  const local: ChangeEffect[] = [];
  applySettings(state, draft, settings, local);
  if (settings.permissionGroups) setGroups(state, draft, settings.permissionGroups, local);
  const mappingChanged =
    settings.bindings !== undefined ||
    settings.remoteIPRanges !== undefined ||
    settings.transportRole !== undefined;
  validate(state, draft, mappingChanged, connector);
  if (draft.name !== connector.name) {
    if (
      state
        .connectorsOn(draft.server)
        .some((other) => other !== connector && other.name.toLowerCase() === draft.name.toLowerCase())
    )
      refuse(`a receive connector named '${draft.name}' already exists on ${draft.server}`);
    draft.identity = `${draft.server}\\${draft.name}`;
    draft.distinguishedName = siblingDn([connector], draft.name);
    local.unshift({
      kind: 'connector-renamed',
      target: connector.identity,
      text: `renames '${connector.identity}' to '${draft.identity}'`,
      values: [draft.identity],
    });
  }
  if (JSON.stringify(draft) === JSON.stringify(connector)) {
    effects.push(...local.filter((effect) => effect.kind === 'note'));
    return false;
  }
  const target = state.mutable(connector);
  Object.assign(target, draft);
  if (draft.identity !== connector.identity) state.renamed();
  effects.push(...local);
  return true;
}

/** Every setting but PermissionGroups (which needs the final server), in a fixed order. */
function applySettings(
  state: WorkingState,
  draft: ReceiveConnector,
  settings: ConnectorSettings,
  effects: ChangeEffect[],
): void {
  const identity = draft.identity;
  if (settings.name !== undefined) {
    const name = settings.name.trim();
    if (name === '') refuse('the -Name value is empty');
    draft.name = name;
  }
  if (settings.enabled !== undefined && settings.enabled !== draft.enabled) {
    draft.enabled = settings.enabled;
    effects.push({
      kind: 'property-set',
      target: identity,
      text: `${settings.enabled ? 'enables' : 'disables'} '${identity}'`,
    });
  }
  if (settings.transportRole !== undefined) {
    const role = canonicalName(TRANSPORT_ROLES, settings.transportRole);
    if (!role)
      refuse(`'${settings.transportRole}' is not a valid TransportRole (FrontendTransport or HubTransport)`);
    if (role !== draft.transportRole)
      effects.push({ kind: 'property-set', target: identity, text: `sets TransportRole ${role}` });
    draft.transportRole = role;
  }
  if (settings.bindings !== undefined) {
    for (const binding of settings.bindings) {
      const problem = invalidBinding(binding);
      if (problem) refuse(problem);
    }
    const duplicate = duplicateValue(settings.bindings, 'Bindings');
    if (duplicate) refuse(duplicate);
    if (settings.bindings.length === 0) refuse('Bindings cannot be empty');
    if (settings.bindings.join('|') !== draft.bindings.join('|'))
      effects.push({
        kind: 'property-set',
        target: identity,
        text: `sets Bindings ${settings.bindings.join(', ')} (was ${draft.bindings.join(', ') || 'none'})`,
      });
    draft.bindings = [...settings.bindings];
  }
  if (settings.remoteIPRanges !== undefined)
    draft.remoteIPRanges = changeRanges(draft, settings.remoteIPRanges, effects);
  if (settings.authMechanism !== undefined) {
    const mechanisms = settings.authMechanism.map((value) => {
      const name = canonicalName(AUTH_MECHANISM_NAMES, value);
      if (!name) refuse(`'${value}' is not a valid AuthMechanism (${AUTH_MECHANISM_NAMES.join(', ')})`);
      return name;
    });
    const unique = [...new Set(mechanisms)];
    if (unique.join('|') !== draft.authMechanism.join('|'))
      effects.push({
        kind: 'property-set',
        target: identity,
        text: `sets AuthMechanism ${unique.join(', ')} (was ${draft.authMechanism.join(', ') || 'none'})`,
        values: unique,
      });
    draft.authMechanism = unique;
  }
  if (settings.tlsDomainCapabilities !== undefined) {
    const next = listValues(draft.tlsDomainCapabilities ?? [], settings.tlsDomainCapabilities);
    if (next.join('|') !== (draft.tlsDomainCapabilities ?? []).join('|'))
      effects.push({
        kind: 'property-set',
        target: identity,
        text: `sets TlsDomainCapabilities ${next.join(', ') || '(none)'}`,
        values: next,
      });
    draft.tlsDomainCapabilities = next;
  }
  if (settings.protocolLoggingLevel !== undefined) {
    const level = canonicalName(['None', 'Verbose'], settings.protocolLoggingLevel);
    if (!level)
      refuse(`'${settings.protocolLoggingLevel}' is not a valid ProtocolLoggingLevel (None or Verbose)`);
    if (level !== draft.protocolLoggingLevel)
      effects.push({ kind: 'property-set', target: identity, text: `sets ProtocolLoggingLevel ${level}` });
    draft.protocolLoggingLevel = level;
  }
  void state;
}

function listValues(current: readonly string[], change: ListChange): string[] {
  if ('replace' in change) return [...change.replace];
  const removed = new Set(change.remove.map((value) => value.trim().toLowerCase()));
  const kept = current.filter((value) => !removed.has(value.trim().toLowerCase()));
  for (const value of change.add)
    if (!kept.some((entry) => entry.trim().toLowerCase() === value.trim().toLowerCase())) kept.push(value);
  return kept;
}

/** RemoteIPRanges after a replace or an @{Add;Remove}; a plain value replaces the whole list, and says what it drops. */
function changeRanges(draft: ReceiveConnector, change: ListChange, effects: ChangeEffect[]): string[] {
  const identity = draft.identity;
  const values = 'replace' in change ? change.replace : [...change.add, ...change.remove];
  for (const value of values) {
    const problem = invalidRange(value);
    if (problem) refuse(problem);
  }
  const current = draft.remoteIPRanges;
  const currentKeys = new Set(current.map(rangeKey));
  let next: string[];
  const added: string[] = [];
  if ('replace' in change) {
    const twice = repeatedValue(change.replace, rangeKey);
    // Named alone: the list itself can hold a million entries.
    if (twice !== null) refuse(`a RemoteIPRanges value is given twice (${twice})`);
    next = [...change.replace];
    const nextKeys = new Set(next.map(rangeKey));
    const dropped = current.filter((value) => !nextKeys.has(rangeKey(value)));
    for (const value of next) if (!currentKeys.has(rangeKey(value))) added.push(value);
    if (dropped.length > 0)
      effects.push({
        kind: 'ranges-dropped',
        target: identity,
        text: `-RemoteIPRanges with a plain value replaces the whole list: drops ${dropped.join(', ')}`,
        values: dropped,
      });
  } else {
    const removeKeys = new Set(change.remove.map(rangeKey));
    const missing = change.remove.filter((value) => !currentKeys.has(rangeKey(value)));
    if (missing.length > 0)
      effects.push({
        kind: 'note',
        target: identity,
        text: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in RemoteIPRanges: nothing to remove`,
        values: missing,
      });
    const removed = current.filter((value) => removeKeys.has(rangeKey(value)));
    next = current.filter((value) => !removeKeys.has(rangeKey(value)));
    const nextKeys = new Set(next.map(rangeKey));
    for (const value of change.add) {
      const key = rangeKey(value);
      if (nextKeys.has(key)) {
        effects.push({
          kind: 'note',
          target: identity,
          text: `${value} is already in RemoteIPRanges`,
          values: [value],
        });
        continue;
      }
      nextKeys.add(key);
      next.push(value);
      added.push(value);
    }
    if (removed.length > 0) effects.push(rangesEffect('ranges-removed', identity, removed));
  }
  // After what the change drops or removes, as both forms report it.
  if (added.length > 0) effects.push(rangesEffect('ranges-added', identity, added));
  if (next.length === 0) refuse('RemoteIPRanges cannot be empty');
  return next;
}

/**
 * Setting PermissionGroups rewrites the groups' ACEs: the ACEs of groups left out are removed (other ACEs of
 * the same principals stay), the missing ACEs of the groups named are added.
 */
function setGroups(
  state: WorkingState,
  draft: ReceiveConnector,
  requested: readonly string[],
  effects: ChangeEffect[],
): void {
  const groups = requested.map((value) => {
    const name = canonicalName(['None', ...PERMISSION_GROUP_NAMES], value);
    if (!name)
      refuse(`'${value}' is not a valid PermissionGroups value (${PERMISSION_GROUP_NAMES.join(', ')})`);
    return name;
  });
  const kind = state.serverKind(draft.server);
  const problem = invalidPermissionGroups(groups, kind.isEdge);
  if (problem) refuse(problem);
  const wanted = new Set(
    groups.filter((group) => group !== 'None' && group !== 'Custom') as PermissionGroup[],
  );
  if (draft.permissions === null) {
    draft.permissionGroups = groups.length > 0 ? [...new Set(groups)] : ['None'];
    effects.push({
      kind: 'note',
      target: draft.identity,
      text: `sets PermissionGroups ${draft.permissionGroups.join(', ')}; the connector's ACL is not in the input, so its ACEs cannot be shown`,
    });
    return;
  }
  const before = draft.permissionGroups.join(', ');
  let permissions: AccessControlEntry[] = draft.permissions;
  const removed: AccessControlEntry[] = [];
  const added: AccessControlEntry[] = [];
  for (const group of PERMISSION_GROUP_NAMES) {
    if (group === 'Custom') continue;
    const aces = groupAces(group, kind, state.directory);
    if (wanted.has(group)) {
      for (const ace of aces) {
        if (!permissions.some((existing) => sameAce(existing, ace))) {
          insertInCanonicalOrder(permissions, ace);
          added.push(ace);
        }
      }
    } else {
      const keep: AccessControlEntry[] = permissions.filter(
        (existing) => !aces.some((ace) => sameAce(existing, ace)),
      );
      const kept = new Set(keep);
      for (const existing of permissions) if (!kept.has(existing)) removed.push(existing);
      permissions = keep;
    }
  }
  draft.permissions = permissions;
  draft.permissionGroups = computePermissionGroups(permissions, kind, state.directory);
  if (before !== draft.permissionGroups.join(', '))
    effects.push({
      kind: 'property-set',
      target: draft.identity,
      text: `sets PermissionGroups ${groups.join(', ') || 'None'} (now ${draft.permissionGroups.join(', ')}, was ${before || 'None'})`,
      values: draft.permissionGroups,
    });
  if (removed.length > 0) effects.push(aceEffect('aces-removed', draft.identity, removed));
  if (added.length > 0) effects.push(aceEffect('aces-added', draft.identity, added));
}

function validate(
  state: WorkingState,
  draft: ReceiveConnector,
  mappingChanged: boolean,
  original?: ReceiveConnector,
): void {
  const auth = invalidAuthMechanism(draft.authMechanism, draft.permissionGroups);
  if (auth) refuse(auth);
  if (!mappingChanged) return;
  const others = state.connectorsOn(draft.server).filter((connector) => connector !== original);
  const conflict = mappingConflict(draft, others);
  if (conflict) refuse(conflict);
}

function sameAce(a: AccessControlEntry, b: AccessControlEntry): boolean {
  return (
    a.inherited === b.inherited &&
    a.deny === b.deny &&
    principalKey(a) === principalKey(b) &&
    sameNames(a.extendedRights, b.extendedRights) &&
    sameNames(a.accessRights, b.accessRights)
  );
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const folded = new Set(a.map((name) => name.toLowerCase()));
  return b.every((name) => folded.has(name.toLowerCase()));
}

const INHERITANCE_TYPES = ['None', 'All', 'Descendents', 'SelfAndChildren', 'Children'];

function acesFor(state: WorkingState, spec: AceSpec): { aces: AccessControlEntry[]; note: string | null } {
  const resolved = state.directory.resolveUser(spec.user);
  if (!resolved.ok) refuse(resolved.reason);
  const inheritance =
    spec.inheritanceType === null ? 'None' : canonicalName(INHERITANCE_TYPES, spec.inheritanceType);
  if (!inheritance)
    refuse(`'${spec.inheritanceType}' is not a valid InheritanceType (${INHERITANCE_TYPES.join(', ')})`);
  if (spec.extendedRights.length === 0 && spec.accessRights.length === 0)
    refuse('Add-ADPermission and Remove-ADPermission need -AccessRights or -ExtendedRights');
  // PowerShell binds only ActiveDirectoryRights names; kept, another name would grant nothing in the analysis.
  const unknownRight = spec.accessRights.find((name) => !isActiveDirectoryRight(name.trim()));
  if (unknownRight !== undefined)
    refuse(
      `'${unknownRight}' is not a valid AccessRights value (ActiveDirectoryRights, e.g. ExtendedRight, GenericAll)`,
    );
  const base = {
    user: resolved.principal.user,
    sid: resolved.principal.sid,
    deny: spec.deny,
    inherited: false,
    inheritanceType: inheritance,
  };
  const aces =
    spec.extendedRights.length > 0
      ? spec.extendedRights.map((right) => ({
          ...base,
          accessRights: spec.accessRights.length > 0 ? [...spec.accessRights] : ['ExtendedRight'],
          extendedRights: [right],
        }))
      : [{ ...base, accessRights: [...spec.accessRights], extendedRights: [] }];
  return { aces, note: resolved.note };
}

function addPermission(
  state: WorkingState,
  connector: ReceiveConnector,
  spec: AceSpec,
  effects: ChangeEffect[],
): boolean {
  const { aces, note } = acesFor(state, spec);
  if (note) effects.push({ kind: 'note', target: connector.identity, text: note });
  if (connector.permissions === null) {
    effects.push({
      kind: 'note',
      target: connector.identity,
      text: `adds ${describeAces(aces)}, but the connector's ACL is not in the input: its verdict stays unknown`,
    });
    return false;
  }
  const missing = aces.filter((ace) => !connector.permissions?.some((existing) => sameAce(existing, ace)));
  if (missing.length === 0) {
    effects.push({
      kind: 'note',
      target: connector.identity,
      text: `${describeAces(aces)} is already on '${connector.identity}'`,
    });
    return false;
  }
  const target = state.mutable(connector);
  for (const ace of missing) insertInCanonicalOrder(target.permissions as AccessControlEntry[], ace);
  target.permissionGroups = computePermissionGroups(
    target.permissions as AccessControlEntry[],
    state.serverKind(target.server),
    state.directory,
  );
  effects.push(aceEffect('aces-added', target.identity, missing));
  return true;
}

/** Removes the named rights from the principal's explicit ACEs of the same kind (allow or deny). */
function removePermission(
  state: WorkingState,
  connector: ReceiveConnector,
  spec: AceSpec,
  effects: ChangeEffect[],
): boolean {
  const { aces: wanted } = acesFor(state, spec);
  if (connector.permissions === null) {
    effects.push({
      kind: 'note',
      target: connector.identity,
      text: `removes ${describeAces(wanted)}, but the connector's ACL is not in the input: its verdict stays unknown`,
    });
    return false;
  }
  const key = principalKey(wanted[0] as AccessControlEntry);
  const matches = (ace: AccessControlEntry, inherited: boolean) =>
    ace.inherited === inherited &&
    ace.deny === spec.deny &&
    principalKey(ace) === key &&
    (spec.inheritanceType === null ||
      (ace.inheritanceType ?? 'None').toLowerCase() === spec.inheritanceType.toLowerCase()) &&
    (spec.extendedRights.length > 0
      ? ace.extendedRights.some((right) =>
          spec.extendedRights.some((name) => name.toLowerCase() === right.toLowerCase()),
        )
      : ace.extendedRights.length === 0 &&
        spec.accessRights.some((name) =>
          ace.accessRights.some((right) => right.toLowerCase() === name.toLowerCase()),
        ));
  const explicit = connector.permissions.filter((ace) => matches(ace, false));
  if (explicit.length === 0) {
    const inherited = connector.permissions.some((ace) => matches(ace, true));
    refuse(
      inherited
        ? `can't remove the access control entry on '${connector.identity}' for '${spec.user}': it is inherited from a parent container and doesn't exist on the object itself`
        : `can't remove the access control entry on '${connector.identity}' for '${spec.user}' because the ACE doesn't exist on the object`,
    );
  }
  const target = state.mutable(connector);
  const removed: AccessControlEntry[] = [];
  const kept: AccessControlEntry[] = [];
  for (const ace of target.permissions as AccessControlEntry[]) {
    if (!matches(ace, false)) {
      kept.push(ace);
      continue;
    }
    if (spec.extendedRights.length > 0) {
      removed.push(ace);
      continue;
    }
    const remaining = ace.accessRights.filter(
      (right) => !spec.accessRights.some((name) => name.toLowerCase() === right.toLowerCase()),
    );
    removed.push({ ...ace, accessRights: ace.accessRights.filter((right) => !remaining.includes(right)) });
    if (remaining.length > 0) kept.push({ ...ace, accessRights: remaining });
  }
  target.permissions = kept;
  target.permissionGroups = computePermissionGroups(kept, state.serverKind(target.server), state.directory);
  effects.push(aceEffect('aces-removed', target.identity, removed));
  return true;
}

function aceEffect(
  kind: 'aces-added' | 'aces-removed',
  target: string,
  aces: readonly AccessControlEntry[],
): ChangeEffect {
  return {
    kind,
    target,
    text: `${kind === 'aces-added' ? 'adds' : 'removes'} ${describeAces(aces)}`,
    values: aces.map(describeAce),
  };
}

function rangesEffect(
  kind: 'ranges-added' | 'ranges-removed',
  target: string,
  ranges: string[],
): ChangeEffect {
  return {
    kind,
    target,
    text: `${kind === 'ranges-added' ? 'adds' : 'removes'} RemoteIPRanges ${ranges.join(', ')}`,
    values: ranges,
  };
}

function describeAce(ace: AccessControlEntry): string {
  const rights = ace.extendedRights.length > 0 ? ace.extendedRights.join(', ') : ace.accessRights.join(', ');
  return `${ace.deny ? 'deny' : 'allow'} ${ace.user}: ${rights}`;
}

function describeAces(aces: readonly AccessControlEntry[]): string {
  const byUser = new Map<string, string[]>();
  for (const ace of aces) {
    const key = `${ace.deny ? 'deny' : 'allow'} ${ace.user}`;
    byUser.set(key, [
      ...(byUser.get(key) ?? []),
      ...(ace.extendedRights.length > 0 ? ace.extendedRights : ace.accessRights),
    ]);
  }
  // A server group grants nineteen rights per principal: name them only when there are a few.
  return [...byUser]
    .map(([who, rights]) =>
      rights.length > 4 ? `${who} (${rights.length} rights)` : `${who} ${rights.join(', ')}`,
    )
    .join('; ');
}

const DOMAIN_TYPES = ['Authoritative', 'InternalRelay', 'ExternalRelay'] as const;

function domainType(value: string): (typeof DOMAIN_TYPES)[number] {
  const type = canonicalName(DOMAIN_TYPES, value);
  if (!type) refuse(`'${value}' is not a valid DomainType (Authoritative, InternalRelay or ExternalRelay)`);
  return type;
}

function newAcceptedDomain(
  state: WorkingState,
  command: Extract<ChangeCommand, { kind: 'new-accepted-domain' }>,
  effects: ChangeEffect[],
): boolean {
  const type = command.domainType === null ? 'Authoritative' : domainType(command.domainType);
  const domains = state.acceptedDomains ?? [];
  if (domains.some((domain) => domain.name.toLowerCase() === command.name.toLowerCase()))
    refuse(`an accepted domain named '${command.name}' already exists`);
  if (domains.some((domain) => domain.domainName.toLowerCase() === command.domainName.toLowerCase()))
    refuse(`the domain '${command.domainName}' is already an accepted domain`);
  if (!/^(\*|(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*)$/i.test(command.domainName.trim()))
    refuse(`'${command.domainName}' is not a valid domain name`);
  state.acceptedDomains = [
    ...domains,
    { name: command.name, domainName: command.domainName.trim(), domainType: type, isDefault: false },
  ];
  effects.push({
    kind: 'domain-added',
    target: command.domainName,
    text: `adds accepted domain '${command.domainName}' (${type})`,
  });
  return true;
}
