import type { ComposeJob } from '#contracts/composeJob';
import type { Recipient } from '#contracts/contact';
import type { EmailDraft } from '#contracts/emailDraft';
import { type Audience, DEFAULT_AUDIENCE } from '#contracts/issueScope';
import type { SendPolicy } from '#contracts/sendPolicy';
import type { Log } from '#shared/logger';
import { draftKey } from '#stages/shared/draftKey';
import { type AudienceScope, audienceOf } from './releaseScope.ts';

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

/** What {@link draftsByAudience} needs: where drafts come from, and how one is written. */
export interface DraftsByAudienceOptions {
  job: ComposeJob;
  policy: Pick<SendPolicy, 'audiences'>;
  logger: Pick<Log, 'info' | 'warn'>;
  /** The draft cached under `key` (the ledger), or null. */
  cached: (key: string) => Promise<EmailDraft | null>;
  /** What `audience` may hear about (Jira, read once per audience). */
  scopeOf: (audience: Audience) => Promise<AudienceScope>;
  /** Writes, renders and stores the draft of one group from its in-scope issues. */
  write: (group: DraftGroup, key: string, scope: AudienceScope) => Promise<EmailDraft>;
}

/**
 * The draft of each audience × locale of a job, by {@link groupKey}: the cached one, else written
 * from the audience's scope. A group whose scope selects no issue gets no draft (its recipients no
 * email): logged as `compose_scope_empty` with the reason and the left-out issues. Sequential on
 * purpose: compose runs one job per invocation and the LLM call dominates.
 */
export const draftsByAudience = async (
  options: DraftsByAudienceOptions,
): Promise<Map<string, EmailDraft>> => {
  const { job, logger } = options;
  const drafts = new Map<string, EmailDraft>();
  for (const group of groupRecipients(job.recipients, options.policy, logger)) {
    const { locale } = group;
    const audience = group.audience.name;
    const key = draftKey(job, locale, audience);
    const cached = await options.cached(key);
    if (cached) {
      logger.info({ draftKey: key, audience, locale, source: cached.source, llmCalls: 0 }, 'draft_cache_hit');
      drafts.set(groupKey(audience, locale), cached);
      continue;
    }
    const scope = await options.scopeOf(group.audience);
    if (scope.inScope.length === 0) {
      // Nothing this audience may hear about: no email rather than an empty one.
      const why = { reason: 'no_issue_in_scope', audience, locale, recipients: group.recipients.length };
      logger.warn({ ...why, leftOut: scope.leftOut }, 'compose_scope_empty');
      continue;
    }
    drafts.set(groupKey(audience, locale), await options.write(group, key, scope));
  }
  return drafts;
};
