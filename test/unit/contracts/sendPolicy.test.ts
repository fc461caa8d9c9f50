import { describe, expect, it } from 'vitest';
import { ContractError, parseContract } from '#contracts/errors';
import {
  DEFAULT_SEND_POLICY,
  formatDurationSpec,
  formatPointSpec,
  maxLatenessMsOf,
  parseDurationSpec,
  parsePointSpec,
  parsePointSpecs,
  sendPolicy,
} from '#contracts/sendPolicy';

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

describe('Contract: sendPolicy (references and sender identity)', () => {
  const base = { points: [] };

  it('defaults to no references and the default sender identity', () => {
    expect(sendPolicy.parse(base)).toMatchObject({ references: 'none', sender: {} });
    expect(DEFAULT_SEND_POLICY).toMatchObject({ references: 'none', sender: {} });
  });

  it('accepts links with an https template holding {key}, and a full sender identity', () => {
    const policy = sendPolicy.parse({
      ...base,
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      sender: { fromName: 'Sträßle Shop', replyTo: 'Team@Example.com', footer: 'Acme, 1 Main St' },
    });
    expect(policy.linkTemplate).toBe('https://status.example.com/changes/{key}');
    expect(policy.sender).toEqual({
      fromName: 'Sträßle Shop',
      replyTo: 'team@example.com',
      footer: 'Acme, 1 Main St',
    });
  });

  it.each([
    [{ references: 'links' }, 'needs a linkTemplate'],
    [{ references: 'links', linkTemplate: 'http://status.example.com/{key}' }, 'must be https'],
    [{ references: 'links', linkTemplate: 'https://status.example.com/changes' }, 'must contain {key}'],
    [{ references: 'links', linkTemplate: 'https://u:p@status.example.com/{key}' }, 'credentials'],
    [{ references: 'links', linkTemplate: 'https://x.example.com/{key}/{{unsubscribe_url}}' }, 'no braces'],
    [{ references: 'links', linkTemplate: 'status/{key}' }, 'not an absolute URL'],
    [{ references: 'jira' }, 'references'],
    [{ sender: { fromName: 'Shop\r\nBcc: x@example.com' } }, 'one line'],
    [{ sender: { replyTo: 'not an address' } }, 'not an email address'],
    [{ sender: { footer: 'x'.repeat(301) } }, 'longer than 300'],
  ])('rejects %j with a ContractError naming the problem', (fields, problem) => {
    expect(() => parseContract('send policy', sendPolicy, { ...base, ...fields })).toThrow(ContractError);
    expect(() => parseContract('send policy', sendPolicy, { ...base, ...fields })).toThrow(problem);
  });
});

describe('Function: parseDurationSpec', () => {
  it.each([
    ['6h', 6 * 3_600_000],
    ['90m', 90 * 60_000],
    ['1h30m', 90 * 60_000],
    ['5m', 5 * 60_000],
    ['48h', 48 * 3_600_000],
  ])('parses %s', (spec, ms) => {
    // Act / Assert
    expect(parseDurationSpec(spec)).toBe(ms);
  });

  it.each(['4m', '49h', '48h1m', '6', 'h', '', '-1h', '6h30'])('refuses %j, naming it', (spec) => {
    // Act / Assert
    expect(() => parseDurationSpec(spec)).toThrow(`"${spec}" is not a lateness`);
  });

  it('formats back to a canonical spec', () => {
    // Act / Assert
    expect([6 * 3_600_000, 90 * 60_000, 45 * 60_000].map(formatDurationSpec)).toEqual(['6h', '1h30m', '45m']);
  });
});

describe('Contract: sendPolicy lateness fields', () => {
  it('parses a stored policy without them, and the defaults are 6 h and catch up now', () => {
    // Act
    const policy = sendPolicy.parse({ points: [] });

    // Assert
    expect(policy.maxLateness).toBeUndefined();
    expect(policy.catchUp).toBeUndefined();
    expect(maxLatenessMsOf(policy)).toBe(6 * 3_600_000);
    expect(maxLatenessMsOf(DEFAULT_SEND_POLICY)).toBe(6 * 3_600_000);
  });

  it('refuses a lateness out of bounds and an unknown catch-up mode', () => {
    // Act
    const late = sendPolicy.safeParse({ points: [], maxLateness: '3d' });
    const mode = sendPolicy.safeParse({ points: [], catchUp: 'later' });

    // Assert
    expect(late.success).toBe(false);
    expect(mode.success).toBe(false);
    expect(sendPolicy.parse({ points: [], maxLateness: '2h', catchUp: 'skip' })).toMatchObject({
      maxLateness: '2h',
      catchUp: 'skip',
    });
  });
});
