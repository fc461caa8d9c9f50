import { openToken, sealToken } from './sealedToken.ts';
import type { SigningKeys } from './signingKeys.ts';

/** What an unsubscribe link identifies. */
export interface UnsubscribeSubject {
  projectKey: string;
  /** Normalised (lower-case) address. */
  email: string;
}

/** The purpose unsubscribe tokens are sealed for (no other token opens as one). */
const PURPOSE = 'unsubscribe';

/**
 * The opaque token of a one-click unsubscribe link: project and address sealed under the first
 * signing key (see {@link sealToken}), so neither appears in the link, in access logs or in
 * browser history, and no one without a key can make or alter one.
 */
export const signUnsubscribeToken = (keys: SigningKeys, subject: UnsubscribeSubject): string =>
  sealToken(keys, PURPOSE, [subject.projectKey, subject.email]);

/**
 * The subject of an unsubscribe token when one of the accepted keys opens it (a link signed with
 * a key since dropped from the list no longer works); undefined for a forged, tampered or
 * malformed token.
 */
export const openUnsubscribeToken = (keys: SigningKeys, token: string): UnsubscribeSubject | undefined => {
  const payload = openToken(keys, PURPOSE, token);
  if (!Array.isArray(payload) || payload.length !== 2) return undefined;
  const [projectKey, email] = payload as unknown[];
  if (typeof projectKey !== 'string' || typeof email !== 'string' || !projectKey || !email) return undefined;
  return { projectKey, email };
};

/**
 * The one-click unsubscribe URL (RFC 8058): `<base>?t=<token>`, the token opaque. The webhook
 * function serves POST (one click) and GET (a confirmation page) on it.
 */
export const unsubscribeUrl = (baseUrl: string, keys: SigningKeys, subject: UnsubscribeSubject): string => {
  const url = new URL(baseUrl);
  url.searchParams.set('t', signUnsubscribeToken(keys, subject));
  return url.toString();
};
