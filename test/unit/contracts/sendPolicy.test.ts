import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { DEFAULT_SEND_POLICY, formatPointSpec, parsePointSpec, parsePointSpecs } from '#contracts/sendPolicy';

describe('Function: parsePointSpec', () => {
  it('parses days before at a local time', () => {
    expect(parsePointSpec('-7d@09:00')).toEqual({
      id: 'b7d0h0m0900',
      days: -7,
      hours: 0,
      minutes: 0,
      at: '09:00',
    });
  });

  it('parses hour and minute offsets with no time of day', () => {
    expect(parsePointSpec('-2h30m')).toMatchObject({ days: 0, hours: -2, minutes: -30, at: '00:00' });
  });

  it('round-trips through formatPointSpec', () => {
    for (const spec of ['-7d@09:00', '0d@09:00', '-1d12h@08:30']) {
      expect(formatPointSpec(parsePointSpec(spec))).toBe(spec);
    }
  });

  it.each(['', '7', '-7x@09:00', '-7d@25:00', '-7d@9:00', '-999d'])(
    'rejects "%s" with a ContractError',
    (spec) => {
      expect(() => parsePointSpec(spec)).toThrow(ContractError);
    },
  );

  it('gives the default policy three points at 09:00', () => {
    expect(DEFAULT_SEND_POLICY.points.map(formatPointSpec)).toEqual(['-7d@09:00', '-1d@09:00', '0d@09:00']);
    expect(parsePointSpecs(' -1d@09:00 , ,0d@09:00 ')).toHaveLength(2);
  });
});
