/**
 * The one description of release-herald's resources. The CDK stack (infra/), the local
 * bootstrap (pipeline/local) and the ops CLI (ops/) all read this module; nothing else
 * hard-codes a queue name, a batch size or a retry setting.
 */

/** The five queue-driven stages, in pipeline order. */
export const STAGES = ['ingest', 'enrich', 'schedule', 'compose', 'send'] as const;

/** One of {@link STAGES}. */
export type StageName = (typeof STAGES)[number];

/** The three queues of a stage. */
export const QUEUE_ROLES = ['main', 'reschedule', 'dlq'] as const;

/** One of {@link QUEUE_ROLES}. */
export type QueueRole = (typeof QUEUE_ROLES)[number];

/** Retry ladder settings of one stage (see pipeline/retry). */
export interface RetryTopology {
  /** Receives on the main queue before SQS redrives to `<stage>-reschedule`. */
  readonly maxReceiveCount: number;
  /** Redelivery backoff: base of the exponential, seconds. */
  readonly backoffBaseSeconds: number;
  /** Redelivery backoff cap, seconds (SQS allows at most 43,200). */
  readonly backoffCapSeconds: number;
  /**
   * Delay before each reschedule, seconds; its length is the number of reschedules. Up to 900 s
   * uses SQS DelaySeconds; longer waits use a one-time Scheduler schedule.
   */
  readonly rescheduleDelaysSeconds: readonly number[];
}

/** Lambda settings of one stage. */
export interface FunctionTopology {
  /** Memory, MiB. */
  readonly memoryMb: number;
  /** Timeout, seconds. The queue's visibility timeout must be at least 6 times this. */
  readonly timeoutSeconds: number;
  /** SQS event source maximum concurrency (2..1000). */
  readonly maxConcurrency: number;
}

/** Everything about one stage. */
export interface StageTopology {
  readonly name: StageName;
  /** Records per invocation (SQS event source batch size; local runtime receive size). */
  readonly batchSize: number;
  /** Maximum batching window, seconds (0 = none). */
  readonly batchWindowSeconds: number;
  /** Main queue visibility timeout, seconds. */
  readonly visibilityTimeoutSeconds: number;
  /** Main and reschedule queue retention, seconds. */
  readonly retentionSeconds: number;
  readonly retry: RetryTopology;
  readonly fn: FunctionTopology;
}

const DAY = 86_400;

/** DLQ retention: 14 days, SQS's maximum. */
export const DLQ_RETENTION_SECONDS = 14 * DAY;

const stage = (
  name: StageName,
  overrides: {
    batchSize: number;
    timeoutSeconds: number;
    memoryMb?: number;
    maxConcurrency?: number;
    retry?: Partial<RetryTopology>;
  },
): StageTopology => ({
  name,
  batchSize: overrides.batchSize,
  batchWindowSeconds: 0,
  visibilityTimeoutSeconds: overrides.timeoutSeconds * 6,
  retentionSeconds: 4 * DAY,
  retry: {
    maxReceiveCount: 5,
    backoffBaseSeconds: 2,
    backoffCapSeconds: 300,
    rescheduleDelaysSeconds: [300, 900, 3600],
    ...overrides.retry,
  },
  fn: {
    memoryMb: overrides.memoryMb ?? 256,
    timeoutSeconds: overrides.timeoutSeconds,
    maxConcurrency: overrides.maxConcurrency ?? 5,
  },
});

/** The topology of release-herald. */
export const topology = {
  /** Prefix of every resource name; an environment name is appended by {@link resourceName}. */
  prefix: 'herald',
  /** Custom EventBridge bus the webhook puts Jira events on (`herald-bus`). */
  bus: 'bus',
  /** The rule that routes version events from the bus to the ingest queue. */
  rule: {
    name: 'jira-version-events',
    source: 'jira',
    detailTypePrefix: 'jira:version_',
  },
  /** Scheduler group holding every send-point schedule and long reschedule (`herald-schedules`). */
  scheduleGroup: 'schedules',
  /** Prefix of send-point schedule names (`rh-<versionId>-<pointId>-<tz>-<chunk>`). */
  schedulePrefix: 'rh',
  /** Prefix of long-reschedule schedule names. */
  reschedulePrefix: 'rr',
  /**
   * Cap on a schedule's target Input, characters. Deliberately far below Scheduler's payload
   * quota: compose jobs are split into recipient chunks under it, so each job stays small.
   */
  scheduleInputLimit: 8192,
  /** Retry policy of the Scheduler target (compose queue). */
  scheduleTargetRetry: { maximumEventAgeSeconds: DAY, maximumRetryAttempts: 185 },
  tables: {
    /** Contacts and send policy per Jira project, and global opt-outs. */
    directory: 'directory',
    /** Idempotency ledger of compose (drafts) and send (one row per email). */
    ledger: 'ledger',
  },
  /** Ledger rows expire after this many seconds (DynamoDB TTL attribute `expiresAt`). */
  ledgerTtlSeconds: 90 * DAY,
  /** Secrets Manager secret names (values are never in code). */
  secrets: {
    jiraApiToken: 'jira-api-token',
    openaiApiKey: 'openai-api-key',
    webhookSecret: 'webhook-secret',
  },
  webhook: {
    /** Largest accepted webhook body, bytes. Version events are a few hundred bytes. */
    maxBodyBytes: 64 * 1024,
  },
  /** SES: sends per second the account may make (GetAccount is not emulated: configured here). */
  ses: { maxSendRatePerSecond: 14 },
  stages: {
    ingest: stage('ingest', { batchSize: 10, timeoutSeconds: 30 }),
    enrich: stage('enrich', { batchSize: 5, timeoutSeconds: 60 }),
    schedule: stage('schedule', { batchSize: 5, timeoutSeconds: 60 }),
    compose: stage('compose', { batchSize: 1, timeoutSeconds: 120, memoryMb: 512 }),
    send: stage('send', { batchSize: 10, timeoutSeconds: 30, maxConcurrency: 2 }),
  } satisfies Record<StageName, StageTopology>,
  rescheduler: {
    batchSize: 10,
    fn: { memoryMb: 256, timeoutSeconds: 30, maxConcurrency: 2 } satisfies FunctionTopology,
  },
} as const;

/** The topology's type. */
export type Topology = typeof topology;

/**
 * The physical name of a resource: `herald-<env>-<name>` (or `herald-<name>` with no env).
 * @param env environment name such as `prod`; empty for the default environment.
 */
export const resourceName = (name: string, env = ''): string =>
  env ? `${topology.prefix}-${env}-${name}` : `${topology.prefix}-${name}`;

/** Physical name of one of a stage's queues: `herald-compose`, `herald-compose-reschedule`, `herald-compose-dlq`. */
export const queueName = (stageName: StageName, role: QueueRole = 'main', env = ''): string =>
  resourceName(role === 'main' ? stageName : `${stageName}-${role}`, env);

/** Resolves a queue name back to its stage and role; undefined when it is not one of ours. */
export const parseQueueName = (name: string, env = ''): { stage: StageName; role: QueueRole } | undefined => {
  for (const s of STAGES) {
    for (const role of QUEUE_ROLES) {
      if (queueName(s, role, env) === name) return { stage: s, role };
    }
  }
  return undefined;
};

/** The queue name at the end of an SQS ARN or URL. */
export const queueNameFromArnOrUrl = (arnOrUrl: string): string => arnOrUrl.split(/[:/]/).at(-1) ?? arnOrUrl;
