import type { QueuePort } from '#adapters/queue/QueuePort';
import { SqsQueue } from '#adapters/queue/SqsQueue';
import type { ReleaseChanged } from '#contracts/releaseChanged';
import { replanKey, replanRequest } from '#contracts/replanRequest';
import { OpsError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { opsJira } from '#ops/jira/jiraAccess';
import type { ReadVersion } from '#ops/jira/readVersionRecord';
import { queueName } from '#topology/topology';

/** What {@link replayRelease} queued. */
export interface ReplayResult {
  versionId: string;
  projectId: string;
  /** Queue the release.changed went to (enrich). */
  queue: string;
  /** Idempotency key of the message. */
  key: string;
  event: ReleaseChanged['event'];
  /** The version as Jira has it now. */
  version: { name: string; releaseDate: string | undefined; released: boolean; archived: boolean };
}

/**
 * Makes the pipeline read one release again, as if Jira had sent `jira:version_updated` now:
 * reads the version (for its project id) and puts a release.changed on the enrich queue. Enrich
 * re-reads it with its contacts and policy, and the schedule stage re-plans its schedules.
 * @throws OpsError when Jira has no such version (a deleted release: cancel its schedules instead).
 */
export const replayRelease = async (
  deps: { readVersion: ReadVersion; queue: QueuePort; env: string; now: () => Date },
  id: string,
): Promise<ReplayResult> => {
  const version = await deps.readVersion(id);
  if (version === null) {
    throw new OpsError(
      `version ${id} not found in Jira (deleted?); to drop its schedules: herald schedules cancel --release ${id}`,
    );
  }
  if (version.projectId === undefined)
    throw new OpsError(`Jira did not say which project version ${id} belongs to`);
  const occurredAt = deps.now().getTime();
  const key = replanKey.replay(version.id, occurredAt);
  const envelope = replanRequest({
    versionId: version.id,
    projectId: version.projectId,
    occurredAt,
    version,
    key,
  });
  const payload = envelope.payload;
  const queue = queueName('enrich', 'main', deps.env);
  await deps.queue.send(queue, [{ body: JSON.stringify(envelope) }]);
  return {
    versionId: version.id,
    projectId: version.projectId,
    queue,
    key,
    event: payload.event,
    version: {
      name: version.name,
      releaseDate: version.releaseDate,
      released: version.released,
      archived: version.archived,
    },
  };
};

/** `herald replay`: exit 1 when Jira has no such version. */
export const replayAction = async (
  ctx: OpsContext,
  id: string,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const { readVersion } = await opsJira(ctx);
  const result = await replayRelease(
    { readVersion, queue: new SqsQueue({ client: ctx.clients.sqs }), env: ctx.env, now: ctx.now },
    id,
  );
  if (options.json) ctx.output.json(result);
  else {
    ctx.output.out(
      `queued ${result.event} of version ${result.versionId} "${result.version.name}" (project ${result.projectId}, release date ${result.version.releaseDate ?? 'none'}) on ${result.queue}; enrich re-reads it and the schedule stage re-plans it`,
    );
  }
  return EXIT_CODES.ok;
};
