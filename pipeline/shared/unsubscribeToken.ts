import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an unsubscribe link identifies. */
export interface UnsubscribeSubject {
  projectKey: string;
  /** Normalised (lower-case) address. */
  email: string;
}

const mac = (secret: string, subject: UnsubscribeSubject): Buffer =>
  createHmac('sha256', secret).update(`unsubscribe\n${subject.projectKey}\n${subject.email}`).digest();

/** The token of a one-click unsubscribe link: HMAC-SHA256 over project and address, base64url. */
export const signUnsubscribeToken = (secret: string, subject: UnsubscribeSubject): string =>
  mac(secret, subject).toString('base64url');

/** True when `token` was signed with `secret` for `subject` (constant-time compare). */
export const verifyUnsubscribeToken = (
  secret: string,
  subject: UnsubscribeSubject,
  token: string,
): boolean => {
  const expected = mac(secret, subject);
  const given = Buffer.from(token, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/**
 * The one-click unsubscribe URL (RFC 8058): `<base>?p=<project>&e=<email>&t=<token>`. The
 * webhook function serves POST (one click) and GET (a confirmation page) on it.
 */
export const unsubscribeUrl = (baseUrl: string, secret: string, subject: UnsubscribeSubject): string => {
  const url = new URL(baseUrl);
  url.searchParams.set('p', subject.projectKey);
  url.searchParams.set('e', subject.email);
  url.searchParams.set('t', signUnsubscribeToken(secret, subject));
  return url.toString();
};
