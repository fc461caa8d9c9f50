import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';
import { replanKey, replanRequest } from '#contracts/replanRequest';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';
import type { ComposeRun } from './DraftContext.ts';

/** What {@link requestReplan} asks for: the stale job, the version Jira has now, the job's trace. */
export interface ReplanOf {
  job: ComposeJob;
  version: VersionState;
  /** The compose.job's traceparent, when no span is active. */
  incomingTraceparent: string | undefined;
}

/**
 * Puts a synthetic release.changed (`jira:version_updated`, occurred now) for the job's version
 * on the enrich queue, so a fresh read re-plans the release for the date Jira has now. A job
 * whose date moved means the schedules missed the change (a lost or late webhook): without this,
 * no schedule would ever exist for the new date. Keyed per point and new date, so every chunk
 * and redelivery of the point asks for the same re-plan.
 */
export const requestReplan = async (
  { job, version, incomingTraceparent }: ReplanOf,
  { deps, retry, logger }: Pick<ComposeRun, 'deps' | 'retry' | 'logger'>,
): Promise<void> => {
  // enrich reads the project by id; the job carries only its key.
  const project = await retry('jira.get_project', ({ signal }) =>
    deps.jira.getProject(job.projectKey, { signal }),
  );
  const key = replanKey.movedPoint(job.versionId, job.pointId, version.releaseDate);
  const envelope = replanRequest({
    versionId: job.versionId,
    projectId: project.id,
    occurredAt: deps.now().getTime(),
    version,
    key,
    traceparent: currentTraceparent() ?? incomingTraceparent,
  });
  const target = queueName('enrich', 'main', deps.env ?? '');
  await retry('sqs.send', () => deps.queue.send(target, [{ body: JSON.stringify(envelope) }]));
  logger.info(
    { key, projectId: project.id, plannedDate: job.releaseDate, releaseDate: version.releaseDate },
    'replan_requested',
  );
};
