import type { JqlValidator } from '#adapters/jira/JiraPort';
import { isRetryable } from '#retry/isRetryable';
import { OpsError, UsageError } from '#ops/cli/errors';

/** A JQL condition to check and the policy field it goes into (`scope`, `audiences.api.scope`). */
export interface ScopeToCheck {
  field: string;
  jql: string;
}

/** What checking found when Jira could not answer and `--force` was given. */
export interface ScopeCheckOutcome {
  /** True when Jira validated every condition; false when they are stored unchecked (`--force`). */
  checked: boolean;
  /** Why they are unchecked, when they are. */
  warning?: string | undefined;
}

/**
 * Validates scope conditions with Jira (`POST /rest/api/3/jql/parse`, strict) before they are
 * stored. `validator` is a function so that a missing Jira configuration counts as "unreachable".
 * @throws UsageError (exit 2) quoting Jira's own messages (with the position) when Jira rejects one;
 *   OpsError (exit 1) when Jira cannot be reached and `force` is not set. Nothing is stored then.
 */
export const checkScopes = async (
  project: string,
  scopes: readonly ScopeToCheck[],
  validator: () => Promise<JqlValidator>,
  force: boolean,
): Promise<ScopeCheckOutcome> => {
  if (scopes.length === 0) return { checked: true };
  let checks: Awaited<ReturnType<JqlValidator['checkJql']>>;
  try {
    checks = await (await validator()).checkJql(scopes.map((s) => s.jql));
  } catch (err) {
    // A refusal for good (bad credentials, a 400 on the request itself) is not "unreachable".
    const unreachable = err instanceof UsageError || isRetryable(err);
    if (!unreachable) throw err;
    const why = err instanceof Error ? err.message : String(err);
    if (!force) {
      throw new OpsError(
        `project ${project}: cannot validate the scope with Jira (${why}); nothing stored. Give --force to store it unchecked.`,
        { cause: err },
      );
    }
    return { checked: false, warning: `stored without validation: Jira could not be reached (${why})` };
  }
  const problems = checks.flatMap((check, i) =>
    check.errors.map(
      (message) => `${scopes[i]?.field ?? 'scope'} ${JSON.stringify(check.query)}: ${message}`,
    ),
  );
  if (problems.length > 0) {
    throw new UsageError(`project ${project}: Jira rejects the ${problems.join('; ')}; nothing stored`);
  }
  return { checked: true };
};
