import { describe, expect, it } from '@jest/globals';
import { isDefaultConnector } from '../../src/analysis/default-connectors.js';

describe('isDefaultConnector', () => {
  it.each([
    'Default EX01',
    'Default Frontend EX01',
    'Client Frontend EX01',
    'Client Proxy EX01',
    'Outbound Proxy Frontend EX01',
    'Client EX2010',
    'default frontend ex01',
    'Default internal receive connector EDGE01',
  ])('recognises %s', (name) => {
    const server = name.split(' ').pop() as string;
    expect(isDefaultConnector(name, server)).toBe(true);
  });

  it.each([
    ['Default Relay', 'EX01'],
    ['Relay Printers', 'EX01'],
    ['Default Frontend EX02', 'EX01'],
    ['Frontend EX01', 'EX01'],
  ])('does not take %s on %s for a default connector', (name, server) => {
    expect(isDefaultConnector(name, server)).toBe(false);
  });
});
