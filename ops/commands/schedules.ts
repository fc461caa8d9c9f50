import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import type { OneTimeSchedule, SchedulerPort } from '#adapters/scheduler/SchedulerPort';
import { OpsError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import type { Progress } from '#ops/cli/progress';
import { renderTable } from '#ops/cli/table';
import { pointLabel } from '#ops/format/pointLabel';
import { zonedToUtc } from '#shared/zonedTime';
import { scheduledJobOfInput } from '#stages/schedule/scheduleInput';
import { releaseSchedulePrefix } from '#stages/schedule/scheduleNames';
import { topology } from '#topology/topology';

/** A send-point schedule as `herald schedules list` shows it. */
export interface ScheduleView {
  name: string;
  /** Local `at()` time and its zone, as Scheduler holds them. */
  at: string;
  timeZone: string;
  /** The instant it fires, ISO 8601 UTC; undefined when `at` cannot be read. */
  dueAt: string | undefined;
  /** From the compose.job it carries; undefined when its Input is not one. */
  versionId: string | undefined;
  projectKey: string | undefined;
  pointId: string | undefined;
  /** The point as a spec (`-7d@09:00`, `on release`). */
  point: string | undefined;
  /** `1/2`: chunk 1 of 2. */
  chunk: string | undefined;
  recipients: number | undefined;
}

/** Filters of {@link listSchedules}. */
export interface ScheduleFilter {
  /** Only this Jira project's schedules (from the compose.job in each). */
  project?: string | undefined;
  /** Only this version's schedules (by name prefix). */
  release?: string | undefined;
}

const dueAtOf = (schedule: OneTimeSchedule): string | undefined => {
  try {
    return zonedToUtc(schedule.at, schedule.timeZone).toISOString();
  } catch {
    return undefined;
  }
};

/** Reads a schedule into a {@link ScheduleView}. */
export const scheduleViewOf = (schedule: OneTimeSchedule): ScheduleView => {
  const scheduled = scheduledJobOfInput(schedule.input);
  const job = scheduled?.payload;
  // A review schedule (policy approval) has no chunk: it reviews the whole point.
  const review = scheduled?.kind === 'review.job' ? scheduled.payload : undefined;
  return {
    name: schedule.name,
    at: schedule.at,
    timeZone: schedule.timeZone,
    dueAt: dueAtOf(schedule),
    versionId: job?.versionId,
    projectKey: job?.projectKey,
    pointId: job?.pointId,
    point: job ? `${pointLabel(job.pointId)}${review ? ' (review)' : ''}` : undefined,
    chunk: review
      ? 'review'
      : job && 'chunk' in job
        ? `${job.chunk.index + 1}/${job.chunk.count}`
        : undefined,
    recipients: review
      ? review.groups.reduce((n, g) => n + g.recipients, 0)
      : job && 'recipients' in job
        ? job.recipients.length
        : undefined,
  };
};

/**
 * Pending send-point schedules (`rh-…`), soonest first, optionally of one release (listed by
 * name prefix) or one project (read from each schedule's compose.job).
 */
export const listSchedules = async (
  scheduler: SchedulerPort,
  filter: ScheduleFilter,
): Promise<ScheduleView[]> => {
  const prefix =
    filter.release !== undefined ? releaseSchedulePrefix(filter.release) : `${topology.schedulePrefix}-`;
  const views = (await scheduler.list(prefix)).map(scheduleViewOf);
  return views
    .filter((v) => filter.project === undefined || v.projectKey === filter.project)
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.name.localeCompare(b.name));
};

/**
 * Deletes every send-point schedule of a release; resolves to the names deleted. Cancelled points
 * come back if the release changes in Jira again (the schedule stage re-plans from the policy).
 */
export const cancelSchedules = async (
  scheduler: SchedulerPort,
  release: string,
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> => {
  const names = (await scheduler.list(releaseSchedulePrefix(release))).map((s) => s.name).sort();
  let done = 0;
  for (const name of names) {
    await scheduler.delete(name);
    onProgress?.(++done, names.length);
  }
  return names;
};

/** What {@link fireSchedule} did. */
export interface FiredScheduleView {
  name: string;
  /** Target queue name. */
  queue: string;
  /** SQS message id of the message sent. */
  messageId: string;
  /** When it was due, ISO 8601 UTC, if readable. */
  dueAt: string | undefined;
}

const SQS_ARN = /^arn:[\w-]+:sqs:[\w-]+:(\d{12}):([\w-]+(?:\.fifo)?)$/;

/**
 * Fires one schedule now, as Scheduler would at its time: GetSchedule → send its target Input to
 * its target queue → delete the schedule (send first: a failure before the delete leaves the
 * schedule to fire again, never a lost message; compose is idempotent).
 * @throws OpsError when the schedule does not exist or its target is not an SQS queue.
 */
export const fireSchedule = async (
  deps: { scheduler: SchedulerClient; sqs: SQSClient; groupName: string },
  name: string,
): Promise<FiredScheduleView> => {
  let schedule: GetScheduleCommandOutput;
  try {
    schedule = await deps.scheduler.send(new GetScheduleCommand({ GroupName: deps.groupName, Name: name }));
  } catch (err) {
    if (err instanceof Error && err.name === 'ResourceNotFoundException') {
      throw new OpsError(`schedule ${name} not found in group ${deps.groupName}`, { cause: err });
    }
    throw err;
  }
  const target = schedule.Target?.Arn ?? '';
  const match = SQS_ARN.exec(target);
  if (!match) throw new OpsError(`schedule ${name} targets ${target || 'nothing'}, not an SQS queue`);
  const [, account, queue = ''] = match;
  const { QueueUrl } = await deps.sqs.send(
    new GetQueueUrlCommand({ QueueName: queue, QueueOwnerAWSAccountId: account }),
  );
  const sent = await deps.sqs.send(
    new SendMessageCommand({ QueueUrl, MessageBody: schedule.Target?.Input ?? '{}' }),
  );
  try {
    await deps.scheduler.send(new DeleteScheduleCommand({ GroupName: deps.groupName, Name: name }));
  } catch (err) {
    if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
  }
  const at = /^at\((.+)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1];
  return {
    name,
    queue,
    messageId: sent.MessageId ?? '',
    dueAt:
      at === undefined
        ? undefined
        : dueAtOf({
            name,
            at,
            timeZone: schedule.ScheduleExpressionTimezone ?? 'UTC',
            targetArn: target,
            input: '',
          }),
  };
};

/** `herald schedules list` as text. */
export const renderScheduleList = (views: readonly ScheduleView[]): string => {
  if (views.length === 0) return 'no pending send-point schedules';
  return [
    renderTable(
      ['name', 'due (UTC)', 'local time', 'zone', 'project', 'release', 'point', 'chunk', 'recipients'],
      views.map((v) => [
        v.name,
        v.dueAt?.replace(/:00\.000Z$/, 'Z'),
        v.at,
        v.timeZone,
        v.projectKey,
        v.versionId,
        v.point,
        v.chunk,
        v.recipients,
      ]),
      ['left', 'left', 'left', 'left', 'left', 'left', 'left', 'right', 'right'],
    ),
    '',
    `${views.length} schedule(s)`,
  ].join('\n');
};

/** The Scheduler port over the environment's group (list and delete only: no role needed). */
export const schedulerPort = (ctx: OpsContext): SchedulerPort =>
  new EventBridgeScheduler({
    client: ctx.clients.scheduler,
    groupName: ctx.names.scheduleGroup,
    roleArn: '',
  });

/** Options of `herald schedules list`. */
export interface ScheduleListOptions extends ScheduleFilter {
  json?: boolean | undefined;
}

/** `herald schedules list`. */
export const listAction = async (ctx: OpsContext, options: ScheduleListOptions): Promise<ExitCode> => {
  const views = await listSchedules(schedulerPort(ctx), options);
  if (options.json) ctx.output.json({ group: ctx.names.scheduleGroup, schedules: views });
  else ctx.output.out(renderScheduleList(views));
  return EXIT_CODES.ok;
};

/** Options of `herald schedules cancel`. */
export interface ScheduleCancelOptions {
  release: string;
  json?: boolean | undefined;
}

/** `herald schedules cancel`: a release with no schedules is not an error. */
export const cancelAction = async (ctx: OpsContext, options: ScheduleCancelOptions): Promise<ExitCode> => {
  let progress: Progress | undefined;
  const deleted = await cancelSchedules(schedulerPort(ctx), options.release, (done, total) => {
    progress ??= ctx.progress('cancel', total);
    progress.update(done, total);
  }).finally(() => progress?.stop());
  if (options.json) ctx.output.json({ release: options.release, deleted });
  else if (deleted.length === 0) ctx.output.out(`release ${options.release} has no pending schedules`);
  else {
    ctx.output.out(
      [
        `cancelled ${deleted.length} schedule(s) of release ${options.release}:`,
        ...deleted.map((n) => `  ${n}`),
      ].join('\n'),
    );
  }
  return EXIT_CODES.ok;
};

/** `herald schedules fire`: exit 1 when the schedule does not exist. */
export const fireAction = async (
  ctx: OpsContext,
  name: string,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const fired = await fireSchedule(
    { scheduler: ctx.clients.scheduler, sqs: ctx.clients.sqs, groupName: ctx.names.scheduleGroup },
    name,
  );
  if (options.json) ctx.output.json(fired);
  else ctx.output.out(`fired ${fired.name} → ${fired.queue} (message ${fired.messageId}); schedule deleted`);
  return EXIT_CODES.ok;
};
