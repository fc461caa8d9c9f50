import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UnsubscribeSubject } from './unsubscribeToken.ts';

/**
 * The subject of an unsubscribe link of the first format (`?p=<project>&e=<email>&t=<HMAC-SHA256
 * of "unsubscribe\n<project>\n<email>" under the webhook secret, base64url>`), when its MAC
 * verifies (constant-time); undefined otherwise. Emails sent before the opaque tokens carry such
 * links in their body and their List-Unsubscribe header, and one-click unsubscribe must keep
 * working for them (RFC 8058; CAN-SPAM asks for 30 days): the webhook function, which holds the
 * webhook secret anyway, still opens them. New links never use this format, and these stop
 * working when the webhook secret is rotated, as they always did.
 */
export const openLegacyUnsubscribeLink = (
  webhookSecret: string,
  params: URLSearchParams,
): UnsubscribeSubject | undefined => {
  const projectKey = params.get('p');
  const email = params.get('e');
  const token = params.get('t');
  if (!projectKey || !email || !token || token.startsWith('s1.')) return undefined;
  const expected = createHmac('sha256', webhookSecret)
    .update(`unsubscribe\n${projectKey}\n${email}`)
    .digest();
  const given = Buffer.from(token, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { projectKey, email }
    : undefined;
};
