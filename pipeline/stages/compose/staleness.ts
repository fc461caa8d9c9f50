import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';

/** Why a due compose job no longer matches the release as Jira has it now. */
export const STALE_REASONS = [
  /** Jira answers 404 for the version. */
  'deleted',
  /** The version is archived. */
  'archived',
  /** A `before` point was computed from another release date (compose asks enrich to re-plan). */
  'release_date_moved',
  /** A `before` point fell due after the version was already released. */
  'already_released',
  /** An `on_release` point fell due but the version is not (or no longer) released. */
  'not_released',
] as const;

/** One of {@link STALE_REASONS}. */
export type StaleReason = (typeof STALE_REASONS)[number];

/** Outcome of {@link checkStaleness}. */
export type Staleness = { stale: false } | { stale: true; reason: StaleReason };

/**
 * Decides whether a compose job is stale, given the version read fresh from Jira (null when
 * deleted). Schedules are only as fresh as the last webhook, and Jira's webhooks can be late or
 * lost, so compose checks again at the moment the point is due. Pure.
 */
export const checkStaleness = (
  job: Pick<ComposeJob, 'pointKind' | 'releaseDate'>,
  version: VersionState | null,
): Staleness => {
  if (version === null) return { stale: true, reason: 'deleted' };
  if (version.archived) return { stale: true, reason: 'archived' };
  if (job.pointKind === 'on_release') {
    return version.released ? { stale: false } : { stale: true, reason: 'not_released' };
  }
  // An announcement of an upcoming release is wrong once it is out, whatever the date says.
  if (version.released) return { stale: true, reason: 'already_released' };
  if (job.releaseDate !== version.releaseDate) return { stale: true, reason: 'release_date_moved' };
  return { stale: false };
};
