import { describe, expect, it } from 'vitest';
import { renderPairs, renderTable } from '#ops/cli/table';
import { formatAge } from '#ops/format/formatAge';
import { maskEmails } from '#ops/format/maskEmails';
import { pointLabel } from '#ops/format/pointLabel';

describe('Function: formatAge', () => {
  it.each([
    [0, '0s'],
    [45.9, '45s'],
    [60, '1m'],
    [125, '2m 5s'],
    [3 * 3600, '3h'],
    [3 * 3600 + 4 * 60 + 5, '3h 4m'],
    [2 * 86_400 + 3 * 3600 + 59, '2d 3h'],
    [-5, '0s'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});

describe('Function: pointLabel', () => {
  it.each([
    ['b7d0h0m0900', '-7d@09:00'],
    ['a0d0h0m0900', '0d@09:00'],
    ['b1d12h0m0830', '-1d12h@08:30'],
    ['b0d2h0m0000', '-2h@00:00'],
    ['onrelease', 'on release'],
    ['something-else', 'something-else'],
  ])('shows point id %s as %s', (id, label) => {
    expect(pointLabel(id)).toBe(label);
  });
});

describe('Function: maskEmails', () => {
  it('masks every address in a text and leaves the rest alone', () => {
    expect(maskEmails('10001:b1d0h0m0900@2030-01-01:ada@example.com and bob@example.org')).toBe(
      '10001:b1d0h0m0900@2030-01-01:a***@e***.com and b***@e***.org',
    );
  });
});

describe('Function: renderTable', () => {
  it('aligns columns under an upper-case header, right-aligns where asked and shows - for missing cells', () => {
    // Act
    const text = renderTable(
      ['stage', 'visible', 'note'],
      [
        ['compose', 12, 'DLQ NOT EMPTY'],
        ['send', 3, undefined],
        ['', 0, ''],
      ],
      ['left', 'right'],
    );

    // Assert
    expect(text.split('\n')).toEqual([
      'STAGE    VISIBLE  NOTE',
      'compose       12  DLQ NOT EMPTY',
      'send           3  -',
      '               0',
    ]);
  });
});

describe('Function: renderPairs', () => {
  it('pads keys to one width and shows booleans as yes/no', () => {
    expect(
      renderPairs([
        ['project', 'SHOP'],
        ['on release', false],
      ]),
    ).toBe('project     SHOP\non release  no');
  });
});
