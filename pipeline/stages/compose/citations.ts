import type { LlmEmail } from '#contracts/emailDraft';

/** Outcome of {@link checkCitations}. */
export interface CitationCheck {
  /** Every distinct issue key the email cites, in order of first appearance. */
  cited: string[];
  /** Cited keys that are not issues of the release, in order of first appearance; empty when all are. */
  unknown: string[];
}

/**
 * Checks that every issue key an email cites belongs to the release. The unknown keys go back
 * to the LLM as feedback on its one retry. Pure.
 * @param releaseKeys the keys of the release's issues as read from Jira.
 */
export const checkCitations = (email: LlmEmail, releaseKeys: Iterable<string>): CitationCheck => {
  const known = new Set(releaseKeys);
  const cited = new Set<string>();
  for (const section of email.sections) {
    for (const item of section.items) {
      for (const key of item.issueKeys) cited.add(key);
    }
  }
  const citedList = [...cited];
  return { cited: citedList, unknown: citedList.filter((key) => !known.has(key)) };
};
