import { PermanentError } from './errors.ts';

/** Shortest accepted signing key, characters (`openssl rand -base64 32` gives 44). */
export const MIN_SIGNING_KEY_LENGTH = 32;

/** Most keys in the list (the current one and the ones still accepted). */
export const MAX_SIGNING_KEYS = 10;

/**
 * The signing keys of links in emails (unsubscribe links from the `signing-keys` secret, approval
 * links from their own `review-signing-keys` secret), never the webhook secret. The first key signs; every
 * key verifies, so a rotation puts a new key first and drops an old one only once the links it
 * signed may go dead.
 */
export interface SigningKeys {
  /** Newest first; at least one. Never logged. */
  readonly keys: readonly string[];
}

/** The signing-keys secret is missing a usable value: a deploy-time fault no retry fixes. */
export class SigningKeysError extends PermanentError {
  override name = 'SigningKeysError';

  constructor(message: string) {
    super('signing_keys_invalid', message);
  }
}

/**
 * Parses the signing-keys secret: a JSON array of 1..10 distinct strings of at least 32
 * characters, newest first, e.g. `["<new key>", "<old key>"]`.
 * @throws SigningKeysError naming what is wrong (never a key's value).
 */
export const parseSigningKeys = (secretString: string): SigningKeys => {
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    throw new SigningKeysError('the signing-keys secret is not JSON; expected ["<key>", ...]');
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SIGNING_KEYS) {
    throw new SigningKeysError(
      `the signing-keys secret must be a JSON array of 1 to ${MAX_SIGNING_KEYS} keys, newest first`,
    );
  }
  value.forEach((key, i) => {
    if (typeof key !== 'string' || key.length < MIN_SIGNING_KEY_LENGTH) {
      throw new SigningKeysError(
        `signing key #${i + 1} must be a string of at least ${MIN_SIGNING_KEY_LENGTH} characters`,
      );
    }
  });
  if (new Set(value).size !== value.length) throw new SigningKeysError('the signing keys must be distinct');
  return { keys: value as string[] };
};
