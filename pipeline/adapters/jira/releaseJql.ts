import { isBalancedJql } from '#contracts/issueScope';
import { JiraRequestError } from './errors.ts';

/** A JQL string literal: `"…"` with `\` and `"` escaped, so no value can end the literal early. */
export const jqlString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The search of a release's issues: `fixVersion = "<versionId>"`, then each condition ANDed in
 * its own parentheses (the project scope, then an audience's), ordered by key for stable paging:
 * `fixVersion = "10001" AND (level IS EMPTY) AND (component = API) ORDER BY key ASC`.
 * Empty and undefined conditions are skipped.
 * @throws JiraRequestError `jira_bad_request` when a condition's parentheses or quotes do not
 *   balance (it could widen the search past the release); nothing is sent to Jira.
 */
export const releaseJql = (versionId: string, conditions: ReadonlyArray<string | undefined> = []): string => {
  const parts = [`fixVersion = ${jqlString(versionId)}`];
  for (const condition of conditions) {
    const text = condition?.trim();
    if (!text) continue;
    if (!isBalancedJql(text)) {
      throw new JiraRequestError(
        'jira_bad_request',
        `JQL condition ${JSON.stringify(text.slice(0, 80))} has unbalanced parentheses or quotes`,
        { operation: 'listReleaseIssues', path: '/rest/api/3/search/jql', versionId, status: undefined },
      );
    }
    parts.push(`(${text})`);
  }
  return `${parts.join(' AND ')} ORDER BY key ASC`;
};
