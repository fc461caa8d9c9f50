import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';
import type { SendPolicy } from '#contracts/sendPolicy';
import type { TracedRetry } from '#retry/tracedRetry';
import type { Log } from '#shared/logger';
import type { ComposeDeps } from './ComposeDeps.ts';

/** A release point a draft is written for (a compose job or a review job). */
export type DraftPoint = Pick<
  ComposeJob,
  'versionId' | 'projectKey' | 'pointId' | 'pointKind' | 'releaseDate' | 'dueAt' | 'timeZone'
>;

/** What one compose record (a compose.job or a review.job) runs with, from {@link composeRun}. */
export interface ComposeRun {
  deps: ComposeDeps;
  /** Each external call, traced and retried within the record's time budget. */
  retry: TracedRetry;
  /** The record's logger, bound to the job. */
  logger: Log;
  /** Milliseconds left in the invocation. */
  remainingTimeMs: () => number;
}

/** What {@link draftWriterOf} writes drafts with: a record's run and the point it writes for. */
export interface DraftContext extends ComposeRun {
  point: DraftPoint;
  /** The version as Jira has it now. */
  version: VersionState;
  policy: SendPolicy;
}
