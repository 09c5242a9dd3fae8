/** Snapshots of one connector as a converter of its own may write them, read and analysed as exrelay does. */

import type { ConnectorAnalysis } from '../../src/analysis/analyze.js';
import { readInput } from '../../src/ingest/read-input.js';
import { evaluateFindings } from '../../src/pipeline.js';

/** The fields of the connector that differ; values in any form, as the converter wrote them. */
export type ConverterConnector = { name: string } & Record<string, unknown>;

/** The file's bytes: one connector on EX01, bound to 0.0.0.0:25 as Front End Transport, plus `fields`. */
export function converterSnapshot(fields: ConverterConnector): Uint8Array {
  const snapshot = {
    kind: 'exrelay.snapshot',
    schemaVersion: 1,
    collectedAt: null,
    source: { method: 'script', description: 'a converter of its own' },
    partial: false,
    servers: [{ name: 'EX01', version: null, roles: ['Mailbox'], isEdge: false }],
    connectors: [
      {
        identity: `EX01\\${fields.name}`,
        server: 'EX01',
        distinguishedName: null,
        enabled: true,
        transportRole: 'FrontendTransport',
        bindings: ['0.0.0.0:25'],
        ...fields,
      },
    ],
    acceptedDomains: [],
    errors: [],
  };
  return new TextEncoder().encode(JSON.stringify(snapshot));
}

/** The connector's analysis, the file read as `exrelay analyze snap.json` reads it. */
export function analyseConverterSnapshot(fields: ConverterConnector): ConnectorAnalysis | undefined {
  const input = readInput('snap.json', converterSnapshot(fields));
  if (input.format !== 'snapshot') throw new Error('not read as a snapshot');
  return evaluateFindings(input.snapshot).analysis.connectors[0];
}
