import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  type SchedulerClient,
  type ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Log, silentLogger } from '#shared/logger';
import { zonedToUtc } from '#shared/zonedTime';
import { LocalScheduleError } from './errors.ts';

/** A schedule the local scheduler fired. */
export interface FiredSchedule {
  /** Schedule name. */
  name: string;
  /** Schedule group. */
  groupName: string;
  /** When the schedule was due (its `at()` time in its time zone), UTC. */
  dueAt: Date;
  /** When it fired, by the scheduler's clock. */
  firedAt: Date;
  /** Target queue ARN. */
  targetArn: string;
  /** SQS message id of the message sent. */
  messageId: string;
  /** The message body sent (the target's Input). */
  input: string;
  /** True when the schedule was deleted after firing (ActionAfterCompletion DELETE). */
  deleted: boolean;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  /** Scheduler client pointed at the emulator. */
  scheduler: SchedulerClient;
  /** SQS client pointed at the emulator (schedule targets are queues). */
  sqs: SQSClient;
  /** Schedule group to watch. */
  groupName: string;
  /** Clock deciding what is due. Default `() => new Date()`. */
  now?: () => Date;
  /** Pause between two passes, milliseconds. Default 1000. */
  tickMs?: number;
  /** ListSchedules page size, 1..100. Default 100. */
  pageSize?: number;
  /** Logger. Default silent. */
  logger?: Log;
  /** Called after each schedule fires. An observer that throws is logged, never fatal. */
  onFire?: (fired: FiredSchedule) => void;
}

const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const SQS_ARN = /^arn:[\w-]+:sqs:[\w-]+:(\d{12}):([\w-]+(?:\.fifo)?)$/;

/** The UTC instant of a one-time schedule: its `at(local)` read in its time zone (default UTC). */
export const dueInstant = (expression: string, timeZone: string | undefined): Date | undefined => {
  const local = AT_EXPRESSION.exec(expression)?.[1];
  return local === undefined ? undefined : zonedToUtc(local, timeZone || 'UTC');
};

/**
 * Fires due one-time EventBridge Scheduler schedules, which no emulator does: each pass lists the
 * group (paginated), reads each ENABLED schedule's `at(yyyy-mm-ddThh:mm:ss)` expression in its
 * `ScheduleExpressionTimezone`, and when that instant has come (by the injected clock) sends the
 * target's Input to the target SQS queue, then deletes the schedule if its ActionAfterCompletion
 * is DELETE. Send before delete means at least once: a crash or a failed delete between them
 * fires the schedule again on a later pass (of another process; this one remembers it), so
 * consumers must be idempotent, as with Scheduler itself. A failed send keeps the schedule and is
 * retried on the next pass (the target's RetryPolicy and DLQ are not emulated). DISABLED
 * schedules, `rate()`/`cron()` expressions, StartDate/EndDate and flexible windows are ignored.
 */
export class LocalScheduler {
  readonly #options: LocalSchedulerOptions;
  readonly #logger: Log;
  readonly #now: () => Date;
  /** Due instant per schedule, keyed by its LastModificationDate, to skip GetSchedule when unchanged. */
  readonly #due = new Map<string, { version: number; dueAt: Date | undefined }>();
  /** `name@version` of schedules fired but not deleted, so they fire once per version. */
  readonly #fired = new Set<string>();
  readonly #queueUrls = new Map<string, string>();
  readonly #unsupported = new Set<string>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: LocalSchedulerOptions) {
    this.#options = options;
    this.#logger = (options.logger ?? silentLogger()).child({ scheduleGroup: options.groupName });
    this.#now = options.now ?? (() => new Date());
  }

  /** Starts a pass every `tickMs` (the next pass starts after the previous one ends). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after the pass in progress, if any. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  /** One pass: fires every due schedule. Resolves with what fired. */
  async tick(): Promise<FiredSchedule[]> {
    const fired: FiredSchedule[] = [];
    for (const summary of await this.#list()) {
      const name = summary.Name;
      if (!name || summary.State === 'DISABLED') continue;
      try {
        const dueAt = await this.#dueAt(name, summary);
        if (!dueAt || dueAt.getTime() > this.#now().getTime()) continue;
        const done = await this.#fireIfStillDue(name);
        if (done) fired.push(done);
      } catch (err) {
        this.#logger.error({ err, schedule: name }, 'schedule_fire_failed');
      }
    }
    return fired;
  }

  /**
   * Fires one schedule now, whatever its time and state (for the ops CLI), then deletes it if
   * its ActionAfterCompletion is DELETE.
   * @throws {LocalScheduleError} when it does not exist or its target is not an SQS queue.
   */
  async fireNow(name: string): Promise<FiredSchedule> {
    const schedule = await this.#get(name);
    if (!schedule)
      throw new LocalScheduleError(name, `schedule ${name} not found in ${this.#options.groupName}`);
    const dueAt =
      dueInstant(schedule.ScheduleExpression ?? '', schedule.ScheduleExpressionTimezone) ?? this.#now();
    return this.#fire(name, schedule, dueAt);
  }

  async #run(): Promise<void> {
    const tickMs = this.#options.tickMs ?? 1000;
    while (this.#running) {
      try {
        await this.tick();
      } catch (err) {
        this.#logger.warn({ err }, 'schedule_list_failed');
      }
      if (!this.#running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, tickMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #list(): Promise<ScheduleSummary[]> {
    const all: ScheduleSummary[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.#options.scheduler.send(
        new ListSchedulesCommand({
          GroupName: this.#options.groupName,
          MaxResults: this.#options.pageSize ?? 100,
          NextToken,
        }),
      );
      all.push(...(page.Schedules ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    // Forget what was cached for schedules that are gone.
    const names = new Set(all.map((s) => s.Name));
    for (const name of this.#due.keys()) if (!names.has(name)) this.#due.delete(name);
    for (const name of this.#unsupported) if (!names.has(name)) this.#unsupported.delete(name);
    for (const key of this.#fired)
      if (!names.has(key.slice(0, key.lastIndexOf('@')))) this.#fired.delete(key);
    return all;
  }

  async #get(name: string): Promise<GetScheduleCommandOutput | undefined> {
    try {
      return await this.#options.scheduler.send(
        new GetScheduleCommand({ Name: name, GroupName: this.#options.groupName }),
      );
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }

  /** The due instant of a schedule, read with GetSchedule only when it changed since last pass. */
  async #dueAt(name: string, summary: ScheduleSummary): Promise<Date | undefined> {
    const version = summary.LastModificationDate?.getTime() ?? Number.NaN;
    const cached = this.#due.get(name);
    if (cached && cached.version === version) {
      return this.#fired.has(`${name}@${version}`) ? undefined : cached.dueAt;
    }
    const schedule = await this.#get(name);
    if (!schedule) return undefined;
    const expression = schedule.ScheduleExpression ?? '';
    const timeZone = schedule.ScheduleExpressionTimezone;
    let dueAt: Date | undefined;
    let error: unknown;
    try {
      dueAt = dueInstant(expression, timeZone);
    } catch (err) {
      error = err;
    }
    if (!dueAt && !this.#unsupported.has(name)) {
      this.#unsupported.add(name);
      this.#logger.warn(
        { schedule: name, expression, timeZone, err: error },
        'schedule_expression_unsupported',
      );
    }
    // NaN never equals itself: a summary without LastModificationDate is read again each pass.
    this.#due.set(name, { version, dueAt });
    return dueAt;
  }

  /** Reads the schedule again (its Input may have changed) and fires it if it is still due. */
  async #fireIfStillDue(name: string): Promise<FiredSchedule | undefined> {
    const schedule = await this.#get(name);
    if (!schedule || schedule.State === 'DISABLED') return undefined;
    const dueAt = dueInstant(schedule.ScheduleExpression ?? '', schedule.ScheduleExpressionTimezone);
    if (!dueAt || dueAt.getTime() > this.#now().getTime()) return undefined;
    const version = schedule.LastModificationDate?.getTime() ?? Number.NaN;
    if (this.#fired.has(`${name}@${version}`)) return undefined;
    return this.#fire(name, schedule, dueAt);
  }

  async #fire(name: string, schedule: GetScheduleCommandOutput, dueAt: Date): Promise<FiredSchedule> {
    const targetArn = schedule.Target?.Arn ?? '';
    const arn = SQS_ARN.exec(targetArn);
    if (!arn)
      throw new LocalScheduleError(name, `target ${targetArn || '(none)'} of ${name} is not an SQS queue`);
    const [, account = '', queueName = ''] = arn;
    const queueUrl = await this.#queueUrl(queueName, account);
    // SQS refuses an empty body; Scheduler schedules of this project always carry an Input.
    const input = schedule.Target?.Input ?? '{}';
    const groupId = schedule.Target?.SqsParameters?.MessageGroupId;
    const sent = await this.#options.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: input,
        ...(groupId ? { MessageGroupId: groupId } : {}),
      }),
    );
    const version = schedule.LastModificationDate?.getTime() ?? Number.NaN;
    const key = `${name}@${version}`;
    this.#fired.add(key);
    let deleted = false;
    if (schedule.ActionAfterCompletion === 'DELETE') {
      try {
        await this.#options.scheduler.send(
          new DeleteScheduleCommand({ Name: name, GroupName: this.#options.groupName }),
        );
        deleted = true;
      } catch (err) {
        if ((err as Error).name === 'ResourceNotFoundException') deleted = true;
        // Kept in #fired: this process will not fire it again; another one may (at least once).
        else this.#logger.error({ err, schedule: name }, 'schedule_delete_failed');
      }
      if (deleted) this.#fired.delete(key);
    }
    const fired: FiredSchedule = {
      name,
      groupName: this.#options.groupName,
      dueAt,
      firedAt: this.#now(),
      targetArn,
      messageId: sent.MessageId ?? '',
      input,
      deleted,
    };
    this.#logger.info(
      { schedule: name, dueAt: dueAt.toISOString(), queue: queueName, messageId: fired.messageId, deleted },
      'schedule_fired',
    );
    try {
      this.#options.onFire?.(fired);
    } catch (err) {
      this.#logger.error({ err }, 'observer_failed');
    }
    return fired;
  }

  async #queueUrl(queueName: string, account: string): Promise<string> {
    const key = `${account}/${queueName}`;
    const cached = this.#queueUrls.get(key);
    if (cached) return cached;
    const { QueueUrl } = await this.#options.sqs.send(
      new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: account }),
    );
    if (!QueueUrl) throw new LocalScheduleError(queueName, `no URL for queue ${queueName}`);
    this.#queueUrls.set(key, QueueUrl);
    return QueueUrl;
  }
}
