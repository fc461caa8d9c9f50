import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { SpanKind } from '@opentelemetry/api';
import { isTimeZone } from '#contracts/timeZone';
import { isRetryable } from '#retry/isRetryable';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { PermanentError, RetryableError } from '#shared/errors';
import { mapLimit } from '#shared/mapLimit';
import { withSpan } from '#shared/tracing';
import { isLocalDateTime, zonedToUtc } from '#shared/zonedTime';
import { topology } from '#topology/topology';
import { ScheduleTimePassedError } from './errors.ts';
import { FIRE_WINDOW_MS, type OneTimeSchedule, type SchedulerPort } from './SchedulerPort.ts';

/** Retry policy of a schedule's target (how long and how often Scheduler retries delivery). */
export interface ScheduleTargetRetry {
  /** Oldest an undelivered invocation may get before it goes to the DLQ, seconds, 60..86400. */
  maximumEventAgeSeconds: number;
  /** Delivery retries, 0..185. */
  maximumRetryAttempts: number;
}

/** Options of {@link EventBridgeScheduler}. */
export interface EventBridgeSchedulerOptions {
  /** Scheduler client. Default a `SchedulerClient` with the shared request timeouts. */
  client?: SchedulerClient;
  /** Schedule group every schedule lives in (`resourceName(topology.scheduleGroup, env)`). */
  groupName: string;
  /** IAM role Scheduler assumes to send to the target queue. */
  roleArn: string;
  /** ARN of the SQS queue undeliverable invocations go to. Default none. */
  deadLetterArn?: string;
  /** Target retry policy. Default `topology.scheduleTargetRetry` (1 day, 185 attempts). */
  retry?: ScheduleTargetRetry;
  /** Clock, epoch ms: decides whether a schedule's time has come. Default `Date.now`. */
  now?: () => number;
  /**
   * How close to its time, milliseconds, a schedule that `update` finds missing is taken to have
   * fired rather than created again. Default {@link DEFAULT_FIRE_WINDOW_MS}.
   */
  fireWindowMs?: number;
}

/** Default fire window, milliseconds: the port's {@link FIRE_WINDOW_MS} (2 minutes). */
export const DEFAULT_FIRE_WINDOW_MS = FIRE_WINDOW_MS;

/** Scheduler's schedule name rule. */
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
/** Scheduler's limit on a schedule's description, characters. */
const MAX_DESCRIPTION = 512;
/** GetSchedule calls in flight at once while listing (Scheduler's API rate is 50/s per account). */
const GET_CONCURRENCY = 5;

/**
 * How Scheduler words a ValidationException about an `at()` time that has passed. The wording is
 * not documented, so a time that has passed by our own clock counts as well (see `#translate`).
 */
const PAST_TIME_MESSAGE = /in the past|past (?:date|time)|earlier than|before the current/i;

/** Options of one Scheduler call. */
interface CallOptions {
  /** Error names rethrown as they are, for the caller to handle. */
  passThrough?: readonly string[];
  /** The schedule being written, to recognise a rejection of its time. */
  schedule?: OneTimeSchedule;
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : '');

/** When a schedule fires: its `at` in its zone (both checked by `assertSchedule`). */
const dueAtOf = (schedule: OneTimeSchedule): Date => zonedToUtc(schedule.at, schedule.timeZone);

/** A schedule name Scheduler would reject, named before any call. */
const assertName = (name: string): void => {
  if (!NAME.test(name)) {
    throw new PermanentError(
      'schedule_invalid',
      `schedule name "${name}" must be 1-64 characters of 0-9, a-z, A-Z, -, _ and .`,
    );
  }
};

/** Checks a schedule before any call: a bad one is permanent (`schedule_invalid`). */
const assertSchedule = (schedule: OneTimeSchedule): void => {
  assertName(schedule.name);
  const problems: string[] = [];
  if (!isLocalDateTime(schedule.at)) problems.push(`at "${schedule.at}" is not yyyy-mm-ddThh:mm:ss`);
  if (!isTimeZone(schedule.timeZone)) problems.push(`time zone "${schedule.timeZone}" is unknown`);
  if (schedule.input.length > topology.scheduleInputLimit) {
    problems.push(`input is ${schedule.input.length} characters, over ${topology.scheduleInputLimit}`);
  }
  if ((schedule.description?.length ?? 0) > MAX_DESCRIPTION) {
    problems.push(`description is over ${MAX_DESCRIPTION} characters`);
  }
  if (problems.length > 0) {
    throw new PermanentError('schedule_invalid', `schedule ${schedule.name}: ${problems.join('; ')}`);
  }
};

/**
 * {@link SchedulerPort} over EventBridge Scheduler: one-time `at()` schedules in one group, each
 * with `ActionAfterCompletion: DELETE`, no flexible window, and an SQS target with a retry policy
 * and an optional DLQ. create and update are each other's fallback, so callers may use either.
 *
 * A schedule whose time has come is never written: create and update throw
 * {@link ScheduleTimePassedError} when its time is at or before the clock (no call made), when
 * Scheduler rejects its time as past, or when update finds it gone (fired and deleted itself)
 * and its time is within the fire window. A ConflictException (another call is changing the
 * same schedule) is a {@link RetryableError}.
 */
export class EventBridgeScheduler implements SchedulerPort {
  readonly #client: SchedulerClient;
  readonly #group: string;
  readonly #roleArn: string;
  readonly #deadLetterArn: string | undefined;
  readonly #retry: ScheduleTargetRetry;
  readonly #now: () => number;
  readonly #fireWindowMs: number;

  constructor(options: EventBridgeSchedulerOptions) {
    this.#client = options.client ?? new SchedulerClient(awsClientDefaults());
    this.#group = options.groupName;
    this.#roleArn = options.roleArn;
    this.#deadLetterArn = options.deadLetterArn;
    this.#retry = options.retry ?? { ...topology.scheduleTargetRetry };
    this.#now = options.now ?? Date.now;
    this.#fireWindowMs = options.fireWindowMs ?? DEFAULT_FIRE_WINDOW_MS;
  }

  async list(prefix: string): Promise<OneTimeSchedule[]> {
    if (prefix !== '') assertName(prefix);
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#call('ListSchedules', () =>
        this.#client.send(
          new ListSchedulesCommand({
            GroupName: this.#group,
            NamePrefix: prefix === '' ? undefined : prefix,
            NextToken: nextToken,
            MaxResults: 100,
          }),
        ),
      );
      for (const summary of page.Schedules ?? []) {
        if (summary.Name) names.push(summary.Name);
      }
      nextToken = page.NextToken;
    } while (nextToken);

    const schedules = await mapLimit(names, GET_CONCURRENCY, (name) => this.#get(name));
    return schedules.filter((s): s is OneTimeSchedule => s !== undefined);
  }

  async create(schedule: OneTimeSchedule): Promise<void> {
    // Exists already (an earlier attempt, or a concurrent run of the same release): update it.
    await this.#putOr('CreateSchedule', schedule, 'ConflictException', () =>
      this.#put('UpdateSchedule', schedule),
    );
  }

  async update(schedule: OneTimeSchedule): Promise<void> {
    // Missing: never created, or it already fired and deleted itself (ActionAfterCompletion).
    await this.#putOr('UpdateSchedule', schedule, 'ResourceNotFoundException', async (err) => {
      const dueAt = dueAtOf(schedule);
      if (dueAt.getTime() <= this.#now() + this.#fireWindowMs) {
        // Within the fire window it has most likely just fired: creating it again would ask
        // Scheduler for a time that has come (rejected, or accepted and never fired).
        throw new ScheduleTimePassedError(
          schedule.name,
          dueAt,
          'fired',
          `schedule ${schedule.name} due at ${dueAt.toISOString()} is gone; within the fire window it is taken to have fired`,
          { cause: err },
        );
      }
      await this.#put('CreateSchedule', schedule);
    });
  }

  async delete(name: string): Promise<void> {
    assertName(name);
    try {
      await this.#call(
        'DeleteSchedule',
        () => this.#client.send(new DeleteScheduleCommand({ GroupName: this.#group, Name: name })),
        { passThrough: ['ResourceNotFoundException'] },
      );
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException') throw err;
    }
  }

  /** Refuses, before any call, a schedule whose time is at or before the clock. */
  #assertTimeAhead(schedule: OneTimeSchedule): void {
    const dueAt = dueAtOf(schedule);
    if (dueAt.getTime() <= this.#now()) {
      throw new ScheduleTimePassedError(
        schedule.name,
        dueAt,
        'past',
        `schedule ${schedule.name} is due at ${dueAt.toISOString()}, which has passed`,
      );
    }
  }

  /** One schedule as the pipeline sees it; undefined when it vanished or is not a one-time schedule. */
  async #get(name: string): Promise<OneTimeSchedule | undefined> {
    let output: GetScheduleCommandOutput;
    try {
      output = await this.#call(
        'GetSchedule',
        () => this.#client.send(new GetScheduleCommand({ GroupName: this.#group, Name: name })),
        { passThrough: ['ResourceNotFoundException'] },
      );
    } catch (err) {
      // Fired and deleted itself (or was deleted) between ListSchedules and GetSchedule.
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw err;
    }
    // Only one-time schedules are ours; a rate() or cron() schedule in the group is left alone.
    const at = AT_EXPRESSION.exec(output.ScheduleExpression ?? '')?.[1];
    if (at === undefined) return undefined;
    return {
      name: output.Name ?? name,
      at,
      // Scheduler reads an at() expression without a zone as UTC.
      timeZone: output.ScheduleExpressionTimezone ?? 'UTC',
      targetArn: output.Target?.Arn ?? '',
      input: output.Target?.Input ?? '',
      description: output.Description,
    };
  }

  /** The full definition of a schedule: create and update send the same. */
  #definition(schedule: OneTimeSchedule): CreateScheduleCommandInput {
    const deadLetterArnOf = schedule.deadLetterArn ?? this.#deadLetterArn;
    return {
      GroupName: this.#group,
      Name: schedule.name,
      ScheduleExpression: `at(${schedule.at})`,
      ScheduleExpressionTimezone: schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: schedule.description,
      Target: {
        Arn: schedule.targetArn,
        RoleArn: this.#roleArn,
        Input: schedule.input,
        RetryPolicy: {
          MaximumEventAgeInSeconds: this.#retry.maximumEventAgeSeconds,
          MaximumRetryAttempts: this.#retry.maximumRetryAttempts,
        },
        // A schedule's own dead-letter target (long reschedules: the stage's DLQ) wins over the adapter's.
        DeadLetterConfig: deadLetterArnOf === undefined ? undefined : { Arn: deadLetterArnOf },
      },
    };
  }

  /**
   * Runs one Scheduler call in a client span, translating the errors we know except those named
   * in `options.passThrough`.
   */
  /** Creates or updates `schedule` from its definition; `passThrough` errors come back as they are. */
  /**
   * Checks `schedule` and its time, then writes it with `operation`; when Scheduler refuses it
   * with the error named `refusal`, runs `instead` with that error.
   */
  async #putOr(
    operation: 'CreateSchedule' | 'UpdateSchedule',
    schedule: OneTimeSchedule,
    refusal: string,
    instead: (err: unknown) => Promise<void>,
  ): Promise<void> {
    assertSchedule(schedule);
    this.#assertTimeAhead(schedule);
    try {
      await this.#put(operation, schedule, [refusal]);
    } catch (err) {
      if (errorName(err) !== refusal) throw err;
      await instead(err);
    }
  }

  async #put(
    operation: 'CreateSchedule' | 'UpdateSchedule',
    schedule: OneTimeSchedule,
    passThrough: readonly string[] = [],
  ): Promise<void> {
    await this.#call(
      operation,
      () => {
        const definition = this.#definition(schedule);
        return this.#client.send(
          operation === 'CreateSchedule'
            ? new CreateScheduleCommand(definition)
            : new UpdateScheduleCommand(definition),
        );
      },
      { passThrough, schedule },
    );
  }

  async #call<T>(operation: string, fn: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    return withSpan(
      `Scheduler.${operation}`,
      async () => {
        try {
          return await fn();
        } catch (err) {
          if (options.passThrough?.includes(errorName(err))) throw err;
          throw this.#translate(err, operation, options.schedule);
        }
      },
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'Scheduler',
          'rpc.method': operation,
          'herald.schedule_group': this.#group,
        },
      },
    );
  }

  #translate(err: unknown, operation: string, schedule: OneTimeSchedule | undefined): unknown {
    const name = errorName(err);
    const detail = err instanceof Error ? err.message : String(err);
    if (name === 'ValidationException' && schedule !== undefined) {
      // A time that passed while the call was on its way (or retried) is no broken schedule:
      // the caller still has the due work to do, so it must not dead-letter the whole release.
      const dueAt = dueAtOf(schedule);
      if (PAST_TIME_MESSAGE.test(detail) || dueAt.getTime() <= this.#now()) {
        return new ScheduleTimePassedError(
          schedule.name,
          dueAt,
          'rejected',
          `Scheduler ${operation} rejected schedule ${schedule.name} due at ${dueAt.toISOString()} as past: ${detail}`,
          { cause: err },
        );
      }
    }
    if (name === 'ValidationException') {
      return new PermanentError(
        'schedule_invalid',
        `Scheduler ${operation} rejected the schedule: ${detail}`,
        {
          cause: err,
        },
      );
    }
    if (name === 'ServiceQuotaExceededException') {
      // Raising the quota takes a person; the DLQ holds the message until it is redriven.
      return new PermanentError('schedule_quota_exceeded', `Scheduler ${operation}: ${detail}`, {
        cause: err,
      });
    }
    if (name === 'ConflictException') {
      // Another call (a concurrent run for the same release) is changing this schedule.
      return new RetryableError(`Scheduler ${operation} conflicted with a concurrent change: ${detail}`, {
        cause: err,
      });
    }
    if (isRetryable(err)) {
      return new RetryableError(`Scheduler ${operation} failed (${name || 'server error'}): ${detail}`, {
        cause: err,
      });
    }
    return err;
  }
}
