import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '#stages/webhook/verifySignature';

const SECRET = 'test-webhook-secret';
const BODY = Buffer.from('{"webhookEvent":"jira:version_created","timestamp":1767225600000}');
const sign = (body: Buffer | string, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('Function: verifySignature', () => {
  it('accepts the HMAC-SHA256 of the raw body under the secret', () => {
    // Arrange
    const header = sign(BODY);

    // Act
    const ok = verifySignature(SECRET, BODY, header);

    // Assert
    expect(ok).toBe(true);
  });

  it('accepts a string body signed as its UTF-8 bytes, and upper-case hex', () => {
    const text = '{"name":"Grüße"}';
    expect(verifySignature(SECRET, text, sign(Buffer.from(text, 'utf8')))).toBe(true);
    expect(verifySignature(SECRET, BODY, `sha256=${sign(BODY).slice(7).toUpperCase()}`)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifySignature(SECRET, BODY, sign(BODY, 'another-secret'))).toBe(false);
  });

  it('rejects a missing or empty header', () => {
    expect(verifySignature(SECRET, BODY, undefined)).toBe(false);
    expect(verifySignature(SECRET, BODY, '')).toBe(false);
  });

  it.each([
    ['no prefix', () => sign(BODY).slice(7)],
    ['another algorithm', () => `sha1=${sign(BODY).slice(7)}`],
    ['non-hex digits', () => `sha256=${'z'.repeat(64)}`],
    ['prefix only', () => 'sha256='],
  ])('rejects a malformed header (%s)', (_name, header) => {
    expect(verifySignature(SECRET, BODY, header())).toBe(false);
  });

  it('rejects a valid signature of another body', () => {
    const header = sign(BODY);
    const swapped = Buffer.from('{"webhookEvent":"jira:version_deleted","timestamp":1767225600000}');
    expect(verifySignature(SECRET, swapped, header)).toBe(false);
  });

  it('rejects hex of a different length without throwing', () => {
    const hex = sign(BODY).slice(7);
    expect(() => verifySignature(SECRET, BODY, `sha256=${hex.slice(0, 62)}`)).not.toThrow();
    expect(verifySignature(SECRET, BODY, `sha256=${hex.slice(0, 62)}`)).toBe(false);
    expect(verifySignature(SECRET, BODY, `sha256=${hex}00`)).toBe(false);
  });

  it('never verifies under an empty secret', () => {
    expect(verifySignature('', BODY, sign(BODY, ''))).toBe(false);
  });
});
