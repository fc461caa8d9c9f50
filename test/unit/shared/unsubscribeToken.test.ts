import { describe, expect, it } from 'vitest';
import { openToken, sealToken } from '#shared/sealedToken';
import { parseSigningKeys, SigningKeysError } from '#shared/signingKeys';
import { openUnsubscribeToken, signUnsubscribeToken, unsubscribeUrl } from '#shared/unsubscribeToken';

const NEW_KEY = 'nnnnnnnnnnnn-new-signing-key-0123456789';
const OLD_KEY = 'oooooooooooo-old-signing-key-0123456789';
const SUBJECT = { projectKey: 'DEMO', email: 'ada@example.com' };

/** Flips one bit of the token's byte at `index` (after the `s1.` prefix). */
const flipByte = (token: string, index: number): string => {
  const raw = Buffer.from(token.slice(3), 'base64url');
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return `s1.${raw.toString('base64url')}`;
};

describe('Function: signUnsubscribeToken / openUnsubscribeToken', () => {
  it('round-trips the subject and shows nothing of it', () => {
    // Act
    const token = signUnsubscribeToken({ keys: [NEW_KEY] }, SUBJECT);

    // Assert
    expect(token).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token.slice(3), 'base64url').toString('latin1')).not.toMatch(/ada|example|DEMO/);
    expect(token).not.toMatch(/ada|example|DEMO/);
    expect(openUnsubscribeToken({ keys: [NEW_KEY] }, token)).toEqual(SUBJECT);
  });

  it('gives the same token for the same subject and key, and different ones otherwise', () => {
    const token = signUnsubscribeToken({ keys: [NEW_KEY] }, SUBJECT);
    expect(signUnsubscribeToken({ keys: [NEW_KEY, OLD_KEY] }, SUBJECT)).toBe(token);
    expect(signUnsubscribeToken({ keys: [OLD_KEY] }, SUBJECT)).not.toBe(token);
    expect(signUnsubscribeToken({ keys: [NEW_KEY] }, { ...SUBJECT, email: 'bob@example.com' })).not.toBe(
      token,
    );
  });

  it('signs with the first key and opens with any key of the list (rotation)', () => {
    // Arrange: a link sent before the rotation, when OLD_KEY was first.
    const before = signUnsubscribeToken({ keys: [OLD_KEY] }, SUBJECT);
    const rotated = { keys: [NEW_KEY, OLD_KEY] };

    // Act
    const after = signUnsubscribeToken(rotated, SUBJECT);

    // Assert
    expect(openUnsubscribeToken(rotated, before)).toEqual(SUBJECT);
    expect(openUnsubscribeToken({ keys: [NEW_KEY] }, after)).toEqual(SUBJECT);
    // The old key dropped from the list: its links stop working.
    expect(openUnsubscribeToken({ keys: [NEW_KEY] }, before)).toBeUndefined();
  });

  it('refuses a forged token: sealed under a key not in the list, or made up', () => {
    const keys = { keys: [NEW_KEY, OLD_KEY] };
    expect(
      openUnsubscribeToken(keys, signUnsubscribeToken({ keys: ['x'.repeat(40)] }, SUBJECT)),
    ).toBeUndefined();
    expect(openUnsubscribeToken(keys, `s1.${Buffer.alloc(60, 7).toString('base64url')}`)).toBeUndefined();
    expect(openUnsubscribeToken(keys, 'not-a-token')).toBeUndefined();
    expect(openUnsubscribeToken(keys, 's1.')).toBeUndefined();
    expect(openUnsubscribeToken(keys, 's1.!!!')).toBeUndefined();
    expect(openUnsubscribeToken(keys, `s1.${'A'.repeat(4000)}`)).toBeUndefined();
  });

  it('refuses a tampered token, whichever byte changed', () => {
    // Arrange
    const keys = { keys: [NEW_KEY] };
    const token = signUnsubscribeToken(keys, SUBJECT);
    const length = Buffer.from(token.slice(3), 'base64url').length;

    // Act / Assert: IV, ciphertext and tag bytes alike.
    for (let i = 0; i < length; i++)
      expect(openUnsubscribeToken(keys, flipByte(token, i)), `byte ${i}`).toBeUndefined();
    expect(openUnsubscribeToken(keys, token.slice(0, -2))).toBeUndefined();
    expect(openUnsubscribeToken(keys, `${token}AA`)).toBeUndefined();
  });

  it('refuses a token sealed for another purpose or holding another shape', () => {
    const keys = { keys: [NEW_KEY] };
    expect(
      openUnsubscribeToken(keys, sealToken(keys, 'approval', ['DEMO', 'ada@example.com'])),
    ).toBeUndefined();
    expect(
      openUnsubscribeToken(keys, sealToken(keys, 'unsubscribe', { projectKey: 'DEMO' })),
    ).toBeUndefined();
    expect(openUnsubscribeToken(keys, sealToken(keys, 'unsubscribe', ['DEMO', '']))).toBeUndefined();
    expect(openToken(keys, 'approval', signUnsubscribeToken(keys, SUBJECT))).toBeUndefined();
  });

  it('builds a link that carries only the token', () => {
    const url = new URL(
      unsubscribeUrl('https://hooks.example.com/unsubscribe', { keys: [NEW_KEY] }, SUBJECT),
    );
    expect(url.origin + url.pathname).toBe('https://hooks.example.com/unsubscribe');
    expect([...url.searchParams.keys()]).toEqual(['t']);
    expect(openUnsubscribeToken({ keys: [NEW_KEY] }, url.searchParams.get('t') ?? '')).toEqual(SUBJECT);
  });
});

describe('Function: parseSigningKeys', () => {
  it('reads a JSON array of keys, newest first', () => {
    expect(parseSigningKeys(JSON.stringify([NEW_KEY, OLD_KEY]))).toEqual({ keys: [NEW_KEY, OLD_KEY] });
  });

  it.each([
    ['not JSON', 'k'.repeat(40), 'not JSON'],
    ['an empty list', '[]', 'JSON array of 1 to 10'],
    ['an object', JSON.stringify({ keys: [NEW_KEY] }), 'JSON array'],
    ['a short key', JSON.stringify([NEW_KEY, 'short']), 'signing key #2 must be a string of at least 32'],
    ['a number', JSON.stringify([42]), 'signing key #1'],
    ['a repeated key', JSON.stringify([NEW_KEY, NEW_KEY]), 'distinct'],
    ['eleven keys', JSON.stringify(Array.from({ length: 11 }, (_, i) => `${i}`.padEnd(32, 'k'))), '1 to 10'],
  ])('refuses %s with a SigningKeysError that shows no key', (_name, value, message) => {
    expect(() => parseSigningKeys(value)).toThrow(SigningKeysError);
    expect(() => parseSigningKeys(value)).toThrow(message);
    try {
      parseSigningKeys(value);
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(NEW_KEY);
      expect((err as SigningKeysError).reason).toBe('signing_keys_invalid');
    }
  });
});
