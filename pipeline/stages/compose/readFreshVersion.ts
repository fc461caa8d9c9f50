import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';
import type { ComposeRun } from './DraftContext.ts';
import { checkStaleness, type Staleness } from './staleness.ts';

/** The version of a job as Jira has it now (null: deleted), and whether the job is stale for it. */
export interface FreshVersion {
  version: VersionState | null;
  staleness: Staleness;
}

/**
 * Re-reads the job's version from Jira and checks the job against it ({@link checkStaleness}):
 * the head of every compose record, a compose.job or a review.job.
 */
export const readFreshVersion = async (
  job: Pick<ComposeJob, 'versionId' | 'pointKind' | 'releaseDate'>,
  { deps, retry }: Pick<ComposeRun, 'deps' | 'retry'>,
): Promise<FreshVersion> => {
  const version = await retry('jira.get_version', ({ signal }) =>
    deps.jira.getVersion(job.versionId, { signal }),
  );
  return { version, staleness: checkStaleness(job, version) };
};
