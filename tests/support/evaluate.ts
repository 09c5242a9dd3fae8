import type { ReceiveConnector, Snapshot } from '../../src/model/snapshot.js';
import { evaluate } from '../../src/pipeline.js';
import { snapshot } from './builders.js';

export function findingsOf(connectors: ReceiveConnector[], overrides: Partial<Snapshot> = {}) {
  return evaluate(snapshot(connectors, overrides), 'exrelay test').findings;
}

export function findingsFor(
  checkId: string,
  connectors: ReceiveConnector[],
  overrides: Partial<Snapshot> = {},
) {
  return findingsOf(connectors, overrides).filter((finding) => finding.checkId === checkId);
}
