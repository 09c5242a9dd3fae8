/** Log sizes as the usage report words them. */

import { describe, expect, it } from '@jest/globals';
import { sizeText } from '../../src/usage/wording.js';

describe('sizeText', () => {
  it('says an empty log is empty, and never rounds a log with content down to nothing', () => {
    expect(sizeText(0)).toBe('0 bytes');
    expect(sizeText(1)).toBe('1 KB');
    expect(sizeText(1536)).toBe('2 KB');
    expect(sizeText(1048575)).toBe('1,024 KB');
    expect(sizeText(1048576)).toBe('1.0 MB');
    expect(sizeText(20 * 1048576)).toBe('20 MB');
  });
});
