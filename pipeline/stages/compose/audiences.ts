import type { Recipient } from '#contracts/contact';
import { type Audience, DEFAULT_AUDIENCE } from '#contracts/issueScope';
import type { SendPolicy } from '#contracts/sendPolicy';
import type { Log } from '#shared/logger';
import { audienceOf } from './releaseScope.ts';

/** The recipients of one job who get the same draft: one audience, one locale. */
export interface DraftGroup {
  audience: Audience;
  locale: string;
  /** Distinct addresses, in job order. */
  recipients: Recipient[];
}

/** The group key of an audience and locale (names and locales never contain a newline). */
export const groupKey = (audience: string, locale: string): string => `${audience}\n${locale}`;

/**
 * The audience a recipient belongs to: theirs when the policy defines it, else `all` (absent, or
 * a name the policy does not define: the caller warns).
 */
export const recipientAudience = (
  policy: Pick<SendPolicy, 'audiences'>,
  recipient: Pick<Recipient, 'audience'>,
): { audience: Audience; unknown: boolean } => {
  const name = recipient.audience ?? DEFAULT_AUDIENCE;
  const known = audienceOf(policy, name);
  return known
    ? { audience: known, unknown: false }
    : { audience: audienceOf(policy, DEFAULT_AUDIENCE) ?? { name: DEFAULT_AUDIENCE }, unknown: true };
};

/**
 * Splits a job's recipients into one group per audience × locale (each address once), in order
 * of first appearance. A recipient whose audience the policy does not define falls back to
 * `all`, logged once per unknown name as `audience_unknown` (with the count, never addresses).
 */
export const groupRecipients = (
  recipients: readonly Recipient[],
  policy: Pick<SendPolicy, 'audiences'>,
  logger: Pick<Log, 'warn'>,
): DraftGroup[] => {
  const groups = new Map<string, DraftGroup>();
  const unknown = new Map<string, number>();
  const seen = new Set<string>();
  for (const recipient of recipients) {
    if (seen.has(recipient.email)) continue;
    seen.add(recipient.email);
    const resolved = recipientAudience(policy, recipient);
    if (resolved.unknown) {
      const name = recipient.audience ?? DEFAULT_AUDIENCE;
      unknown.set(name, (unknown.get(name) ?? 0) + 1);
    }
    const key = groupKey(resolved.audience.name, recipient.locale);
    const group = groups.get(key) ?? {
      audience: resolved.audience,
      locale: recipient.locale,
      recipients: [],
    };
    group.recipients.push(recipient);
    groups.set(key, group);
  }
  for (const [audience, count] of unknown) {
    logger.warn({ audience, recipients: count, fallback: DEFAULT_AUDIENCE }, 'audience_unknown');
  }
  return [...groups.values()];
};
