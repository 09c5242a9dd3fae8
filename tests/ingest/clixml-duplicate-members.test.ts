/**
 * A member written twice in one CLIXML object: exrelay must read the value PowerShell's own Import-Clixml gives,
 * so that what it judges is what an administrator sees in the same file. PowerShell keeps the last value of a
 * name written twice in <MS> or in <Props>, and an extended member (<MS>) overrides the adapted property (<Props>)
 * of its name, whichever comes first. Each document is read by real pwsh and by both of exrelay's readers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { isScannedFast, parseClixml } from '../../src/ingest/clixml.js';
import { getProperty, isPsObject, type PsValue } from '../../src/ingest/ps-value.js';
import { describeWithPwsh, runPwshScriptOn } from '../helpers/pwsh.js';

const HEAD = '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';
const TYPE = '<TN RefId="0"><T>Deserialized.Contoso.Item</T><T>Deserialized.System.Object</T></TN>';

function list(refId: number, ...items: string[]): string {
  return `<Obj N="Range" RefId="${refId}"><LST>${items.map((item) => `<S>${item}</S>`).join('')}</LST></Obj>`;
}

/** Objects whose Range is written twice, each with the value PowerShell reads named by its Identity. */
const MEMBER_SETS: Record<string, string> = {
  'twice in MS': '<MS><S N="Identity">ms-twice</S><S N="Range">10.0.0.5</S><S N="Range">0.0.0.0/0</S></MS>',
  'twice in Props':
    '<Props><S N="Range">10.0.0.5</S><S N="Range">0.0.0.0/0</S><S N="Identity">props-twice</S></Props>',
  'MS before Props':
    '<MS><S N="Range">0.0.0.0/0</S><S N="Identity">ms-first</S></MS><Props><S N="Range">10.0.0.5</S></Props>',
  'Props before MS':
    '<Props><S N="Range">10.0.0.5</S></Props><MS><S N="Identity">props-first</S><S N="Range">0.0.0.0/0</S></MS>',
  'lists twice in MS': `<MS><S N="Identity">lists</S>${list(1, '10.0.0.5')}${list(2, '10.0.0.6', '0.0.0.0/0')}</MS>`,
  'a Nil after a value': '<MS><S N="Identity">nil-last</S><S N="Range">10.0.0.5</S><Nil N="Range" /></MS>',
  // Names are case-insensitive in PowerShell: the one written last counts, whatever its case.
  'in two cases in MS':
    '<MS><S N="Identity">ms-cases</S><S N="Range">10.0.0.5</S><S N="range">0.0.0.0/0</S></MS>',
  'in two cases, the wide one first':
    '<MS><S N="Identity">ms-cases-wide-first</S><S N="range">0.0.0.0/0</S><S N="Range">10.0.0.5</S></MS>',
  'in two cases in Props':
    '<Props><S N="Range">10.0.0.5</S><S N="RANGE">0.0.0.0/0</S><S N="Identity">props-cases</S></Props>',
  'in one case, then another, then the first again':
    '<MS><S N="Identity">cases-thrice</S><S N="RANGE">0.0.0.0/0</S><S N="Range">10.0.0.5</S><S N="RANGE">0.0.0.0/0</S></MS>',
  'in Props, then in MS in another case':
    '<Props><S N="Range">10.0.0.5</S></Props><MS><S N="Identity">props-ms-cases</S><S N="range">0.0.0.0/0</S></MS>',
  'in MS, then in Props in another case':
    '<MS><S N="range">0.0.0.0/0</S><S N="Identity">ms-props-cases</S></MS><Props><S N="Range">10.0.0.5</S></Props>',
};

/** Members written the way a pretty-printed export has them, so the fast scanner reads the document. */
function documentOf(bodies: readonly string[]): string {
  const objects = bodies.map(
    (body, index) =>
      `  <Obj RefId="${100 + index}">\n    ${index === 0 ? TYPE : '<TNRef RefId="0" />'}\n    ${body}\n  </Obj>`,
  );
  return `${HEAD}\n${objects.join('\n')}\n</Objs>\n`;
}

/** What a value reads as: a string, null, or the strings of a list. */
function plain(value: PsValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (isPsObject(value)) return value.items?.map((item) => plain(item)) ?? '(object)';
  return String(value);
}

function readByExrelay(text: string): Record<string, unknown> {
  return Object.fromEntries(
    parseClixml(text).map((value) => {
      if (!isPsObject(value)) throw new Error('expected an object');
      return [String(getProperty(value, 'Identity')), plain(getProperty(value, 'Range'))];
    }),
  );
}

describeWithPwsh('a member written twice, read as Import-Clixml reads it', (pwsh) => {
  const folder = mkdtempSync(join(tmpdir(), 'exrelay-duplicate-members-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  function readByPowerShell(text: string): Record<string, unknown> {
    const output = runPwshScriptOn(
      pwsh,
      folder,
      [
        'param([string] $Path)',
        '$result = [ordered]@{}',
        'foreach ($item in Import-Clixml -LiteralPath $Path) {',
        '  $range = $item.Range',
        '  $result[[string]$item.Identity] = if ($null -eq $range) { $null } elseif ($range -is [string]) { $range } else { ,@($range | ForEach-Object { [string]$_ }) }',
        '}',
        '$result | ConvertTo-Json -Compress -Depth 3',
      ],
      { name: 'items.xml', text },
    );
    return JSON.parse(output) as Record<string, unknown>;
  }

  const document = documentOf(Object.values(MEMBER_SETS));

  it('gives every object the value PowerShell gives, through the fast scanner', () => {
    expect(isScannedFast(document)).toBe(true);
    const expected = readByPowerShell(document);
    // The cases are only worth something if PowerShell reads the wide range where it must.
    expect(expected['ms-twice']).toBe('0.0.0.0/0');
    expect(expected['props-first']).toBe('0.0.0.0/0');
    for (const identity of ['ms-cases', 'props-cases', 'cases-thrice', 'props-ms-cases', 'ms-props-cases'])
      expect({ identity, range: expected[identity] }).toEqual({ identity, range: '0.0.0.0/0' });
    expect(readByExrelay(document)).toEqual(expected);
  });

  it('and through the strict reader', () => {
    // A comment is outside the scanner's subset: the strict reader reads the whole document.
    const strict = document.replace('</Objs>', '<!-- read strictly --></Objs>');
    expect(isScannedFast(strict)).toBe(false);
    expect(readByExrelay(strict)).toEqual(readByPowerShell(strict));
  });

  it.each(Object.entries(MEMBER_SETS))('%s, alone in its document', (_name, body) => {
    const alone = documentOf([body]);
    expect(readByExrelay(alone)).toEqual(readByPowerShell(alone));
  });
});
