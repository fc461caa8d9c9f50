import type { SendPolicy } from '#contracts/sendPolicy';
import type { TracedRetry } from '#retry/tracedRetry';
import type { ComposeDeps } from './ComposeDeps.ts';
import type { DraftPoint } from './DraftContext.ts';
import { ReleaseScope } from './releaseScope.ts';

/** The release's issues per audience, read from Jira once per audience for one record. */
export const releaseScopeOf = (
  point: Pick<DraftPoint, 'versionId' | 'projectKey'>,
  policy: SendPolicy,
  deps: ComposeDeps,
  retry: TracedRetry,
): ReleaseScope =>
  new ReleaseScope({
    projectKey: point.projectKey,
    policy,
    read: (conditions) =>
      retry('jira.list_release_issues', ({ signal }) =>
        deps.jira.listReleaseIssues(point.versionId, {
          signal,
          scope: conditions,
          releaseNoteField: policy.releaseNoteField,
          ...(deps.maxIssues !== undefined ? { maxIssues: deps.maxIssues } : {}),
        }),
      ),
  });
