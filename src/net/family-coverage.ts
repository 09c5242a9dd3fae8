/**
 * How much of its address family a set covers. Findings and tables describe a scope that holds more than half of
 * a family by what it lacks ("all IPv4 addresses except …"): the exceptions are what an admin needs to see.
 */

import { IntervalSet } from './interval-set.js';
import { familyMax, type IpFamily } from './ip-address.js';

export type FamilyCoverage =
  | { kind: 'none' }
  | { kind: 'whole' }
  /** More than half of the family; `missing` is the rest. */
  | { kind: 'most'; missing: IntervalSet }
  | { kind: 'part' };

const WHOLE: Record<IpFamily, IntervalSet> = {
  4: IntervalSet.of([[0n, familyMax(4)]]),
  6: IntervalSet.of([[0n, familyMax(6)]]),
};

export function familyCoverage(family: IpFamily, set: IntervalSet): FamilyCoverage {
  if (set.isEmpty()) return { kind: 'none' };
  const whole = WHOLE[family];
  if (set.equals(whole)) return { kind: 'whole' };
  if (set.size() * 2n <= whole.size()) return { kind: 'part' };
  return { kind: 'most', missing: whole.difference(set) };
}
