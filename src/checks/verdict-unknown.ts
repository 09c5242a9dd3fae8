import { describeUnknown, type UnknownReason } from '../analysis/relay.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { wellKnownSid } from '../analysis/principals.js';
import { psArgument } from '../powershell/quote.js';
import { connectorPipe, EXPORT_PERMISSIONS, note, renderFix, type FixStep } from './remediation.js';

const EXPORT_ACL: FixStep[] = [
  note('Export the permissions of every connector once, then analyse again with this file included:'),
  EXPORT_PERMISSIONS,
];

export const verdictUnknown: Check = {
  meta: {
    id: 'verdict-unknown',
    title: 'Relay verdict unknown',
    severityRule:
      'Never below medium for an enabled connector, low for a disabled one: it cannot be shown to be safe. When the ACL (or AuthMechanism) could not be read, scored as anonymous relay would be up to high: high when the connector receives public addresses. When a principal exrelay cannot identify holds the relay right, it may be ANONYMOUS LOGON: scored as anonymous relay would be (critical with public addresses), never below medium.',
    explanation:
      "Whether a connector relays depends on its ACL, which only Get-ADPermission shows, and on knowing who each entry is for. PermissionGroups is computed from that ACL and becomes 'Custom' once extra entries exist, so it cannot prove that nobody holds the relay right. Without SIDs, principals are known only by the names the Exchange server printed in its own language: a name exrelay cannot identify may be ANONYMOUS LOGON, so the connector is never called safe.",
    messages: {
      'no-acl': {
        description: 'The input has no Get-ADPermission data for the connector.',
        data: ['enabled'],
      },
      'acl-error': {
        description: 'Reading the ACL failed or its entries cannot be trusted; data.reason says why.',
        data: ['enabled', 'reason'],
      },
      'unidentified-principal': {
        description:
          'A principal exrelay cannot identify (no SID, name not recognised, not an account of the organisation) holds the relay right.',
        data: ['enabled', 'user', 'rights', 'canSubmit', 'ntAuthority'],
      },
      'anonymous-group-without-ace': {
        description:
          'PermissionGroups includes AnonymousUsers, but no ACE could be identified as ANONYMOUS LOGON.',
        data: ['enabled'],
      },
      'externally-secured-without-ace': {
        description:
          'AuthMechanism includes ExternalAuthoritative, but no ACE could be identified as Externally Secured Servers.',
        data: ['enabled'],
      },
      'non-canonical-acl': {
        description:
          'The ACL is not in canonical order, and in the order the export lists it ANONYMOUS LOGON (or Externally Secured Servers, data.principal) holds the relay rights.',
        data: ['enabled', 'principal'],
      },
      'unrecognized-auth-mechanism': {
        description:
          'AuthMechanism holds a value that is no mechanism Exchange defines; it may stand for ExternalAuthoritative.',
        data: ['enabled', 'values'],
      },
      'lost-tls-capability': {
        description:
          'The export lost a TlsDomainCapabilities entry; it may give AcceptCrossForestMail to every session without TLS.',
        data: ['enabled'],
      },
      'unresolved-extended-right': {
        description:
          'An allow entry for ANONYMOUS LOGON, Externally Secured Servers (with ExternalAuthoritative) or a principal exrelay cannot identify names an extended right that is no Exchange transport right exrelay knows (a GUID, a damaged name); it may be the relay right.',
        data: ['enabled', 'user', 'principal', 'rights'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (connector.relay.verdict !== 'unknown') continue;
      const { identity, enabled } = connector.connector;
      for (const reason of connector.relay.unknownReasons) {
        const { data, subject, fix } = details(reason, enabled, identity);
        findings.push({
          messageId: reason.kind,
          severity: severityOfScore(connector.aspects.unknownVerdict ?? 0),
          connector: identity,
          subject,
          message: `Relay verdict unknown. ${describeUnknown(reason)}${advice(reason)}`,
          data,
          ...renderFix(fix),
        });
      }
    }
    return findings;
  },
};

function advice(reason: UnknownReason): string {
  if (reason.kind !== 'unidentified-principal') return '';
  return ` Tell exrelay who it is with --principal '${reason.principal.user}=<SID>' (ANONYMOUS LOGON is S-1-5-7), or collect with exrelay collect, which asks the server for the names of its well-known principals.`;
}

function details(
  reason: UnknownReason,
  enabled: boolean,
  identity: string,
): { data: FindingDraft['data']; subject: string | null; fix: FixStep[] } {
  switch (reason.kind) {
    case 'acl-error':
      return { data: { enabled, reason: reason.reason }, subject: null, fix: EXPORT_ACL };
    case 'unidentified-principal': {
      const { principal } = reason;
      return {
        data: {
          enabled,
          user: principal.user,
          rights: principal.grants.map((ace) => ace.source),
          canSubmit: principal.canSubmit,
          ntAuthority: reason.ntAuthority,
        },
        subject: principal.sid ?? principal.user,
        fix: askServer(identity, wellKnownSid('anonymous')),
      };
    }
    case 'anonymous-group-without-ace':
      return {
        data: { enabled },
        subject: wellKnownSid('anonymous'),
        fix: askServer(identity, wellKnownSid('anonymous')),
      };
    case 'externally-secured-without-ace': {
      const sid = wellKnownSid('externallySecuredServers');
      return { data: { enabled }, subject: sid, fix: askServer(identity, sid) };
    }
    case 'non-canonical-acl': {
      const sid = wellKnownSid(reason.principal);
      return {
        data: { enabled, principal: reason.principal },
        subject: sid,
        fix: listInOrder(identity, sid),
      };
    }
    case 'unrecognized-auth-mechanism':
      return { data: { enabled, values: reason.values }, subject: null, fix: askMechanisms(identity) };
    case 'lost-tls-capability':
      return { data: { enabled }, subject: null, fix: askCapabilities(identity) };
    case 'unresolved-extended-right': {
      const { user, sid, wellKnown, rights } = reason.principal;
      const who = sid ?? (wellKnown ? wellKnownSid(wellKnown) : user);
      return {
        data: { enabled, user, principal: wellKnown, rights: [...rights] },
        subject: who,
        fix: askRights(identity, who),
      };
    }
    case 'no-acl':
      return { data: { enabled }, subject: null, fix: EXPORT_ACL };
  }
}

/** Read-only: the principal's entries in the order the ACL holds them. */
function listInOrder(identity: string, sid: string): FixStep[] {
  return [
    note(
      "Windows evaluates the ACL in the order it holds. List the principal's entries in that order; if an allow comes before a deny, have the ACL put in canonical order (the Security tab of the connector in ADSI Edit offers to reorder it):",
    ),
    {
      command: `${connectorPipe(identity)} Get-ADPermission -User ${psArgument(sid)} | Format-Table User,Deny,IsInherited,ExtendedRights -AutoSize`,
      undo: null,
    },
  ];
}

/** Read-only: the principal's entries with their rights as the server itself names them. */
function askRights(identity: string, who: string): FixStep[] {
  return [
    note(
      'Read the entries on the server (an unresolved right prints as a GUID there too: look it up in the extended rights of the configuration partition), then export the ACL again with Export-Clixml:',
    ),
    {
      command: `${connectorPipe(identity)} Get-ADPermission -User ${psArgument(who)} | Format-List User,Deny,IsInherited,AccessRights,ExtendedRights`,
      undo: null,
    },
  ];
}

/** Read-only: the capabilities as the server itself prints them. */
function askCapabilities(identity: string): FixStep[] {
  return [
    note('Read the capabilities on the server, then export the connectors again with Export-Clixml:'),
    { command: `${connectorPipe(identity)} Format-List Identity,TlsDomainCapabilities`, undo: null },
  ];
}

/** Read-only: the mechanisms as the server itself prints them. */
function askMechanisms(identity: string): FixStep[] {
  return [
    note('Read the mechanisms on the server, then export the connectors again with Export-Clixml:'),
    { command: `${connectorPipe(identity)} Format-List Identity,AuthMechanism`, undo: null },
  ];
}

/** Read-only: how the server prints a well-known principal's ACEs on this connector, for --principal. */
function askServer(identity: string, sid: string): FixStep[] {
  return [
    note(
      'Ask the server who it is (the User column prints the name), then analyse again with --principal NAME=SID:',
    ),
    { command: `${connectorPipe(identity)} Get-ADPermission -User ${psArgument(sid)}`, undo: null },
  ];
}
