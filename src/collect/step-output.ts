/**
 * Reading what Get-ExrelaySnapshot.ps1 answers in its -Step modes. The fields of connectors, servers and
 * permission entries are checked once, on the finished snapshot (validateSnapshot); here only the structure the
 * collector relies on is checked, so that a broken answer is reported as such instead of crashing the collector.
 */

import type {
  AcceptedDomain,
  AccessControlEntry,
  CollectionIssue,
  ExchangeServerInfo,
  PrincipalName,
  ReceiveConnector,
} from '../model/snapshot.js';
import { EMPTY_ACL_ERROR } from '../model/snapshot.js';
import { CollectionError } from '../errors.js';

/** A connector as the Inventory step flattens it: everything but its permissions. */
export type InventoryConnector = Omit<ReceiveConnector, 'permissions' | 'permissionsError'>;

export interface Inventory {
  servers: ExchangeServerInfo[];
  connectors: InventoryConnector[];
  acceptedDomains: AcceptedDomain[] | null;
  errors: CollectionIssue[];
}

/** One connector's answer from the Permissions step: its entries, or why Get-ADPermission failed. */
export interface PermissionResult {
  identity: string;
  permissions: AccessControlEntry[] | null;
  error: string | null;
}

type JsonObject = Record<string, unknown>;

class StepOutputError extends CollectionError {
  constructor(step: string, problem: string) {
    super(`Get-ExrelaySnapshot.ps1 -Step ${step} returned unexpected output: ${problem}`);
  }
}

/**
 * The script answers with one line of JSON, last. Lines before it were written straight to the host, which the
 * runner cannot separate: implicit remoting prints the remote endpoint's warnings that way ("WARNING: The
 * object EX01\\Relay has been corrupted…").
 */
export function splitAnswer(output: string): { json: string; hostLines: string[] } {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const last = lines.findLastIndex((line) => line.startsWith('{'));
  return {
    json: last === -1 ? output : (lines[last] as string),
    hostLines: lines.filter((line, index) => index !== last && line !== ''),
  };
}

function parseObject(step: string, json: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    const start = json.trim().slice(0, 80);
    throw new StepOutputError(
      step,
      start === '' ? 'nothing' : `not JSON (starts with ${JSON.stringify(start)})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StepOutputError(step, 'not a JSON object');
  return value as JsonObject;
}

function array(step: string, object: JsonObject, key: string): JsonObject[] {
  const value = object[key];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null))
    throw new StepOutputError(step, `"${key}" is not an array of objects`);
  return value as JsonObject[];
}

export function parseInventory(json: string): Inventory {
  const root = parseObject('Inventory', json);
  const connectors = array('Inventory', root, 'connectors');
  connectors.forEach((connector, index) => {
    if (typeof connector.identity !== 'string')
      throw new StepOutputError('Inventory', `connectors[${index}] has no identity`);
  });
  return {
    servers: array('Inventory', root, 'servers') as unknown as ExchangeServerInfo[],
    connectors: connectors as unknown as InventoryConnector[],
    acceptedDomains:
      root.acceptedDomains === null
        ? null
        : (array('Inventory', root, 'acceptedDomains') as unknown as AcceptedDomain[]),
    errors: array('Inventory', root, 'errors') as unknown as CollectionIssue[],
  };
}

/** The answers keyed by the identity they were asked for; each asked identity must be answered exactly once. */
export function parsePermissions(json: string, asked: readonly string[]): Map<string, PermissionResult> {
  const results = new Map<string, PermissionResult>();
  for (const item of array('Permissions', parseObject('Permissions', json), 'connectors')) {
    const { identity, permissions, error } = item;
    if (typeof identity !== 'string' || !asked.includes(identity) || results.has(identity))
      throw new StepOutputError(
        'Permissions',
        `an answer for ${JSON.stringify(identity)}, which was not asked for once`,
      );
    const readable = Array.isArray(permissions);
    if (readable === (typeof error === 'string') || (!readable && permissions !== null))
      throw new StepOutputError(
        'Permissions',
        `the answer for '${identity}' must hold either its permissions or an error`,
      );
    // An empty list is an ACL that could not be read (EMPTY_ACL_ERROR), reported like any other.
    const entries = readable && permissions.length > 0 ? (permissions as AccessControlEntry[]) : null;
    results.set(identity, {
      identity,
      permissions: entries,
      error: entries !== null ? null : readable ? EMPTY_ACL_ERROR : (error as string),
    });
  }
  const missing = asked.find((identity) => !results.has(identity));
  if (missing !== undefined) throw new StepOutputError('Permissions', `no answer for '${missing}'`);
  return results;
}

/** How the server printed each well-known principal; entries must name a SID. */
export function parsePrincipalNames(json: string): PrincipalName[] {
  return array('PrincipalNames', parseObject('PrincipalNames', json), 'principalNames').map((item, index) => {
    const { name, sid, server } = item;
    if (
      typeof name !== 'string' ||
      typeof sid !== 'string' ||
      !(typeof server === 'string' || server === null)
    )
      throw new StepOutputError(
        'PrincipalNames',
        `principalNames[${index}] needs a name, a SID and a server`,
      );
    return { name, sid, server };
  });
}
