import { describe, expect, it } from 'vitest';
import { ContractError, parseContract } from '#contracts/errors';
import {
  DEFAULT_SEND_POLICY,
  formatPointSpec,
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
