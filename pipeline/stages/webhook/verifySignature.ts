import { createHmac, timingSafeEqual } from 'node:crypto';

/** Prefix of Jira's `X-Hub-Signature` header value. */
export const SIGNATURE_PREFIX = 'sha256=';

/** A SHA-256 digest in hex: exactly 64 hex digits. */
const SHA256_HEX = /^[\da-f]{64}$/i;

/**
 * Checks Jira's webhook signature: `X-Hub-Signature: sha256=<hex>`, an HMAC-SHA256 of the exact
 * raw request bytes keyed with the webhook secret. The comparison is constant time.
 *
 * @param secret the webhook secret; an empty secret never verifies (a misconfiguration, not a key).
 * @param rawBody the body exactly as received (a string is taken as UTF-8).
 * @param header the `x-hub-signature` header value, if any.
 * @returns false when the header is missing, malformed or does not match.
 */
export const verifySignature = (
  secret: string,
  rawBody: Buffer | string,
  header: string | undefined,
): boolean => {
  if (!secret || !header) return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(SIGNATURE_PREFIX)) return false;
  const hex = value.slice(SIGNATURE_PREFIX.length);
  // Checking the shape first keeps timingSafeEqual on equal-length buffers (it throws otherwise).
  if (!SHA256_HEX.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
};
