import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { emailArgument, environmentName, integerIn, projectKey, versionId } from '#ops/cli/parsers';

describe('Function: integerIn', () => {
  const parse = integerIn(1, 500, 'messages per second');

  it.each([
    ['1', 1],
    ['500', 500],
    [' 42 ', 42],
  ])('accepts %j', (value, n) => {
    expect(parse(value)).toBe(n);
  });

  it.each(['0', '501', '1.5', '-3', 'ten', '', '1e2'])('rejects %j with the range and unit', (value) => {
    expect(() => parse(value)).toThrow(InvalidArgumentError);
    expect(() => parse(value)).toThrow('expected a whole number of messages per second from 1 to 500.');
  });
});

describe('Function: projectKey', () => {
  it('upper-cases a project key', () => {
    expect(projectKey(' shop_2 ')).toBe('SHOP_2');
  });

  it.each(['1SHOP', 'SH-OP', '', 'A'.repeat(21)])('rejects %j', (value) => {
    expect(() => projectKey(value)).toThrow(InvalidArgumentError);
  });
});

describe('Function: versionId', () => {
  it('accepts digits and rejects anything else', () => {
    expect(versionId('10001')).toBe('10001');
    expect(() => versionId('10001; drop')).toThrow(InvalidArgumentError);
    expect(() => versionId('../10001')).toThrow(InvalidArgumentError);
  });
});

describe('Function: environmentName', () => {
  it('accepts HERALD_ENV names and rejects others', () => {
    expect(environmentName('prod-eu')).toBe('prod-eu');
    expect(() => environmentName('Prod')).toThrow(InvalidArgumentError);
    expect(() => environmentName('x'.repeat(21))).toThrow(InvalidArgumentError);
  });
});

describe('Function: emailArgument', () => {
  it('normalises an address and rejects a non-address', () => {
    expect(emailArgument(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(() => emailArgument('ada')).toThrow('expected an email address such as ada@example.com.');
  });
});
