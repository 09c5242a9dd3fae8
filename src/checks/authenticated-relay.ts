import { isAuthenticatedRelayPrincipal, type RelayPrincipal } from '../analysis/relay.js';
import type { Check, FindingDraft } from './check.js';
import { describeReceivedScope } from './scope-text.js';
import { flat } from './flat.js';
import { countText } from '../net/count-text.js';

const DATA = ['principals', 'addresses'] as const;

export const authenticatedRelay: Check = {
  meta: {
    id: 'authenticated-relay',
    title: 'Relay after authentication',
    severityRule: 'Info: relaying for authenticated users is how clients and servers send outbound mail.',
    explanation:
      "Authenticated Users (the ExchangeUsers permission group) and other accounts or groups that hold ms-Exch-SMTP-Accept-Any-Recipient may relay once they authenticate. That is normal on client and default connectors; the list shows who can, so that unexpected accounts stand out. Exchange's own servers and interop groups (Exchange Servers, Exchange Trusted Subsystem, ExchangeLegacyInterop, Hub and Edge Transport Servers) relay as part of Exchange's mail flow and are not listed; neither is full control inherited from the configuration container. Rights are evaluated on a logon token, as Windows does: a deny for Everyone or Authenticated Users takes the right from every account.",
    messages: {
      principals: {
        description: 'Who may relay after authenticating, from the ACL (data.principals).',
        data: DATA,
      },
      'permission-group': {
        description:
          'The ACL was not read; the ExchangeUsers permission group shows Authenticated Users may relay.',
        data: DATA,
      },
      'no-authentication': {
        description:
          'Accounts hold the relay right, but AuthMechanism offers no way to log on (neither BasicAuth nor Integrated): latent.',
        data: DATA,
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    const lists = new PrincipalLists();
    for (const connector of analysis.connectors) {
      const { relay } = connector;
      if (!relay.authenticated || !connector.connector.enabled) continue;
      const { principals, who } = lists.of(relay.principals);
      const messageId = !relay.authenticationOffered
        ? 'no-authentication'
        : principals.length > 0
          ? 'principals'
          : 'permission-group';
      findings.push({
        messageId,
        severity: 'info',
        connector: connector.connector.identity,
        subject: null,
        message:
          messageId === 'no-authentication'
            ? flat`${who} may relay after authentication, but AuthMechanism offers no way to log on (neither BasicAuth nor Integrated), so nobody can use it today; the connector receives ${describeReceivedScope(connector)}.`
            : flat`Relay after authentication for ${who}; the connector receives ${describeReceivedScope(connector)}.`,
        data: { principals, addresses: countText(connector.reachableMetrics.addresses) },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};

/** The accounts a finding lists, and how its message names them. */
interface PrincipalList {
  principals: ReadonlyArray<{ user: string; sid: string | null }>;
  who: string;
}

/** A step of the walk through a connector's principals: the list for the principals walked so far. */
interface ListNode {
  next: Map<RelayPrincipal, ListNode> | undefined;
  list: PrincipalList | undefined;
}

/**
 * One list per distinct set of accounts, shared by the findings that name it (read-only data): nearly every
 * connector lists the same ones (on the 10k snapshot 9,500 findings, one distinct list), and each finding would
 * otherwise keep its own copy for the rest of the run. The analysis shares its principal objects between
 * connectors (16 distinct of 55,006 on the 10k snapshot), so a list is found by walking them: no filtered list
 * or text key is made for each connector.
 */
class PrincipalLists {
  readonly #root: ListNode = { next: undefined, list: undefined };

  /** The list of the principals that relay after authenticating, in their order. */
  of(principals: readonly RelayPrincipal[]): PrincipalList {
    let node = this.#root;
    for (let index = 0; index < principals.length; index++) {
      const principal = principals[index] as RelayPrincipal;
      if (!isAuthenticatedRelayPrincipal(principal)) continue;
      node.next ??= new Map();
      let next = node.next.get(principal);
      if (next === undefined) node.next.set(principal, (next = { next: undefined, list: undefined }));
      node = next;
    }
    return (node.list ??= principalList(principals.filter(isAuthenticatedRelayPrincipal)));
  }
}

function principalList(principals: readonly RelayPrincipal[]): PrincipalList {
  return {
    principals: principals.map(({ user, sid }) => ({ user, sid })),
    who:
      principals.length > 0
        ? principals.map((principal) => principal.user).join(', ')
        : 'Authenticated Users (from the ExchangeUsers permission group)',
  };
}
