/**
 * Applies the fix commands exrelay prints to a snapshot, for tests only: exactly the forms remediation.ts and the
 * checks write (Set-/New-/Remove-ReceiveConnector, Add-/Remove-ADPermission piped from Get-ReceiveConnector,
 * Remove-/New-AcceptedDomain), with Exchange's semantics as far as relay goes. Read-only Get- commands and
 * comments change nothing. Any other line is an error: a fix must stay within what a change model can replay.
 * The project's change model (issue 7) will replace this for every check; until then it proves closure here.
 */

import { principalDirectory } from '../../src/analysis/principals.js';
import type { AccessControlEntry, ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';

/** The values of a PowerShell argument list as exrelay writes it: 'a','b' (quotes doubled inside), or $null. */
function values(text: string): string[] {
  if (text.trim() === '$null') return [];
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((match) => (match[1] as string).replace(/''/g, "'"));
}

function argument(line: string, name: string): string | null {
  const match = new RegExp(
    `-${name} ((?:'(?:[^']|'')*'(?:,'(?:[^']|'')*')*)|@\\{Remove=[^}]*\\}|\\$null|[^\\s]+)`,
  ).exec(line);
  return match?.[1] ?? null;
}

function connectorOf(snapshot: Snapshot, identity: string): ReceiveConnector {
  const found = snapshot.connectors.find(
    (connector) => connector.identity.toLowerCase() === identity.toLowerCase(),
  );
  if (!found) throw new Error(`no connector ${identity}`);
  return found;
}

function aceFromCommand(line: string, sid: string): AccessControlEntry {
  const extended = argument(line, 'ExtendedRights');
  const access = argument(line, 'AccessRights');
  return {
    user: sid,
    sid,
    deny: /\s-Deny\b/.test(line),
    inherited: false,
    accessRights: extended ? ['ExtendedRight'] : [access as string],
    extendedRights: extended ? [extended] : [],
    inheritanceType: argument(line, 'InheritanceType') ?? 'None',
  };
}

function sameAce(a: AccessControlEntry, b: AccessControlEntry): boolean {
  return (
    a.deny === b.deny &&
    !a.inherited &&
    (a.inheritanceType ?? 'None').toLowerCase() === (b.inheritanceType ?? 'None').toLowerCase() &&
    [...a.accessRights].sort().join(',').toLowerCase() ===
      [...b.accessRights].sort().join(',').toLowerCase() &&
    a.extendedRights.join(',').toLowerCase() === b.extendedRights.join(',').toLowerCase()
  );
}

function applyLine(snapshot: Snapshot, line: string): Snapshot {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return snapshot;
  const piped = /^Get-ReceiveConnector -Identity ('(?:[^']|'')*') \| (\S+) (.*)$/.exec(trimmed);
  if (piped) {
    const [, identityText, verb, rest] = piped as unknown as [string, string, string, string];
    const identity = values(identityText)[0] as string;
    if (verb === 'Get-ADPermission') return snapshot;
    const sid = values(argument(rest, 'User') ?? '')[0] as string;
    const ace = aceFromCommand(rest, sid);
    const directory = principalDirectory(snapshot);
    return withConnector(snapshot, identity, (connector) => {
      const acl = connector.permissions ?? [];
      if (verb === 'Add-ADPermission') return { ...connector, permissions: [...acl, ace] };
      if (verb !== 'Remove-ADPermission') throw new Error(`unknown command: ${trimmed}`);
      const kept = acl.filter(
        (entry) => !(directory.identify(entry.user, entry.sid).sid === sid && sameAce(entry, ace)),
      );
      if (kept.length === acl.length) throw new Error(`Remove-ADPermission matches no ACE: ${trimmed}`);
      return { ...connector, permissions: kept };
    });
  }
  const identity = values(argument(trimmed, 'Identity') ?? '')[0];
  if (/^Get-/.test(trimmed)) return snapshot;
  if (trimmed.startsWith('Set-ReceiveConnector ')) {
    return withConnector(snapshot, identity as string, (connector) => {
      const ranges = argument(trimmed, 'RemoteIPRanges');
      if (ranges?.startsWith('@{Remove=')) {
        const removed = new Set(values(ranges).map((value) => value.toLowerCase()));
        return {
          ...connector,
          remoteIPRanges: connector.remoteIPRanges.filter((range) => !removed.has(range.toLowerCase())),
        };
      }
      if (ranges) return { ...connector, remoteIPRanges: values(ranges) };
      const auth = argument(trimmed, 'AuthMechanism');
      if (auth)
        return {
          ...connector,
          authMechanism: (values(auth)[0] as string).split(',').map((name) => name.trim()),
        };
      const capabilities = argument(trimmed, 'TlsDomainCapabilities');
      if (capabilities) return { ...connector, tlsDomainCapabilities: values(capabilities) };
      throw new Error(`unknown Set-ReceiveConnector form: ${trimmed}`);
    });
  }
  if (trimmed.startsWith('New-ReceiveConnector ')) {
    const name = values(argument(trimmed, 'Name') ?? '')[0] as string;
    const server = values(argument(trimmed, 'Server') ?? '')[0] as string;
    if (!/-PermissionGroups AnonymousUsers$/.test(trimmed))
      throw new Error(`unknown New-ReceiveConnector form: ${trimmed}`);
    const anonymous = (right: string): AccessControlEntry => ({
      user: 'S-1-5-7',
      sid: 'S-1-5-7',
      deny: false,
      inherited: false,
      accessRights: ['ExtendedRight'],
      extendedRights: [right],
      inheritanceType: 'None',
    });
    const created: ReceiveConnector = {
      identity: `${server}\\${name}`,
      server,
      name,
      distinguishedName: null,
      enabled: true,
      transportRole: /-TransportRole (\S+)/.exec(trimmed)?.[1] ?? null,
      bindings: values(argument(trimmed, 'Bindings') ?? ''),
      remoteIPRanges: values(argument(trimmed, 'RemoteIPRanges') ?? ''),
      authMechanism: ['Tls'],
      permissionGroups: ['AnonymousUsers'],
      permissions: [
        'ms-Exch-SMTP-Submit',
        'ms-Exch-SMTP-Accept-Any-Sender',
        'ms-Exch-SMTP-Accept-Authoritative-Domain-Sender',
        'ms-Exch-Accept-Headers-Routing',
      ].map(anonymous),
    };
    return { ...snapshot, connectors: [...snapshot.connectors, created] };
  }
  if (trimmed.startsWith('Remove-ReceiveConnector ')) {
    connectorOf(snapshot, identity as string);
    return {
      ...snapshot,
      connectors: snapshot.connectors.filter(
        (connector) => connector.identity.toLowerCase() !== identity?.toLowerCase(),
      ),
    };
  }
  if (trimmed.startsWith('Remove-AcceptedDomain ')) {
    return {
      ...snapshot,
      acceptedDomains: (snapshot.acceptedDomains ?? []).filter((domain) => domain.name !== identity),
    };
  }
  if (trimmed.startsWith('New-AcceptedDomain ')) {
    const domainType = /-DomainType (\S+)/.exec(trimmed)?.[1] as 'Authoritative';
    return {
      ...snapshot,
      acceptedDomains: [
        ...(snapshot.acceptedDomains ?? []),
        {
          name: values(argument(trimmed, 'Name') ?? '')[0] as string,
          domainName: values(argument(trimmed, 'DomainName') ?? '')[0] as string,
          domainType,
          isDefault: false,
        },
      ],
    };
  }
  throw new Error(`a fix command no change model knows: ${trimmed}`);
}

function withConnector(
  snapshot: Snapshot,
  identity: string,
  change: (connector: ReceiveConnector) => ReceiveConnector,
): Snapshot {
  const target = connectorOf(snapshot, identity);
  return {
    ...snapshot,
    connectors: snapshot.connectors.map((connector) =>
      connector === target ? change(connector) : connector,
    ),
  };
}

/** The snapshot after the commands ran, in order. */
export function applyCommands(snapshot: Snapshot, script: string): Snapshot {
  return script.split('\n').reduce(applyLine, snapshot);
}

/** Whether the script changes anything (more than comments and Get- commands). */
export function changesSomething(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .some(
      (line) =>
        line !== '' &&
        !line.startsWith('#') &&
        !/^Get-\S+( -Identity '(?:[^']|'')*')?( -User \S+)?$/.test(line) &&
        !/\| Get-ADPermission/.test(line) &&
        !/Export-Clixml/.test(line),
    );
}
