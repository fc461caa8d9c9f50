import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';
import type { SigningKeys } from './signingKeys.ts';

/** Format version of a sealed token; part of the token and of its authenticated data. */
const VERSION = 's1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Longest token accepted for opening, characters: a bound on work for a hostile link. */
export const MAX_SEALED_TOKEN_LENGTH = 2048;

/** Per key and purpose: the AES-256-GCM key and the key of the synthetic IV (HKDF-SHA256). */
const derive = (key: string, purpose: string): { enc: Buffer; iv: Buffer } => {
  const material = (label: string) =>
    Buffer.from(hkdfSync('sha256', key, 'release-herald sealed token', `${VERSION} ${purpose} ${label}`, 32));
  return { enc: material('enc'), iv: material('iv') };
};

/**
 * Seals `payload` (JSON) under the first signing key for one `purpose` (`unsubscribe`,
 * `approval`): AES-256-GCM, so the token is opaque (nothing in it reads as the payload) and any
 * change to it fails to open. The IV is an HMAC of the payload (a synthetic IV), so one payload
 * always gives the same token, and two payloads never share an IV. A token sealed for one
 * purpose never opens for another. Format: `s1.<base64url(iv | ciphertext | tag)>`.
 */
export const sealToken = (keys: SigningKeys, purpose: string, payload: unknown): string => {
  const key = keys.keys[0];
  if (key === undefined) throw new Error('sealToken needs at least one signing key');
  const { enc, iv: ivKey } = derive(key, purpose);
  const plaintext = Buffer.from(JSON.stringify(payload), 'utf8');
  const iv = createHmac('sha256', ivKey).update(plaintext).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', enc, iv);
  cipher.setAAD(Buffer.from(`${VERSION} ${purpose}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
};

const tryOpen = (key: string, purpose: string, raw: Buffer): unknown => {
  const { enc } = derive(key, purpose);
  const decipher = createDecipheriv('aes-256-gcm', enc, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`${VERSION} ${purpose}`));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    const plaintext = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plaintext.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Opens a token sealed by {@link sealToken} for `purpose` under any of the keys (the first
 * one that authenticates it); undefined when none does, or the token is malformed, too long,
 * tampered with or sealed for another purpose.
 */
export const openToken = (keys: SigningKeys, purpose: string, token: string): unknown => {
  if (token.length > MAX_SEALED_TOKEN_LENGTH || !token.startsWith(`${VERSION}.`)) return undefined;
  const encoded = token.slice(VERSION.length + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const raw = Buffer.from(encoded, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
  for (const key of keys.keys) {
    const payload = tryOpen(key, purpose, raw);
    if (payload !== undefined) return payload;
  }
  return undefined;
};
