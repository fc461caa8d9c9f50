/**
 * The one description of release-herald's resources. The CDK stack (infra/), the local
 * bootstrap (local) and the ops CLI (ops/) all read this module; nothing else
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

/** Alarm thresholds of one stage (infra/ builds the CloudWatch alarms from them). */
export interface AlarmTopology {
  /**
   * Alarm when the main queue's ApproximateAgeOfOldestMessage exceeds this, seconds: a message
   * that old means the queue is not being consumed (see {@link oldestMessageAgeSeconds}).
   */
  readonly oldestMessageAgeSeconds: number;
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
  readonly alarms: AlarmTopology;
}

/**
 * Settings of every `<stage>-reschedule` queue. One rescheduler function consumes them all, so
 * they are one setting, not one per stage.
 */
export interface RescheduleQueueTopology {
  /**
   * Visibility timeout, seconds: 6 times the rescheduler's function timeout, as AWS recommends
   * for an SQS event source.
   */
  readonly visibilityTimeoutSeconds: number;
  /**
   * Receives the rescheduler gets of one message before SQS moves it on to `<stage>-dlq`. The
   * rescheduler only moves messages, so failing this often on one means it cannot be moved; it
   * must not loop. The redrive policy holds {@link rescheduleRedriveMaxReceiveCount}, not this.
   */
  readonly maxReceiveCount: number;
}

const DAY = 86_400;

/**
 * Default alarm threshold on a main queue's oldest message, seconds. A message stays on its main
 * queue at most `maxReceiveCount` receives, each lasting at most the longer of the visibility
 * timeout (a crashed invocation) and the backoff cap (a reported failure); SQS then redrives it
 * to `<stage>-reschedule`. A message older than that means the queue is not being consumed.
 */
export const oldestMessageAgeSeconds = (
  retry: Pick<RetryTopology, 'maxReceiveCount' | 'backoffCapSeconds'>,
  visibilityTimeoutSeconds: number,
): number => retry.maxReceiveCount * Math.max(visibilityTimeoutSeconds, retry.backoffCapSeconds);

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
    alarms?: Partial<AlarmTopology>;
  },
): StageTopology => {
  const visibilityTimeoutSeconds = overrides.timeoutSeconds * 6;
  const retry: RetryTopology = {
    maxReceiveCount: 5,
    backoffBaseSeconds: 2,
    backoffCapSeconds: 300,
    rescheduleDelaysSeconds: [300, 900, 3600],
    ...overrides.retry,
  };
  return {
    name,
    batchSize: overrides.batchSize,
    batchWindowSeconds: 0,
    visibilityTimeoutSeconds,
    retentionSeconds: 4 * DAY,
    retry,
    fn: {
      memoryMb: overrides.memoryMb ?? 256,
      timeoutSeconds: overrides.timeoutSeconds,
      maxConcurrency: overrides.maxConcurrency ?? 5,
    },
    alarms: {
      oldestMessageAgeSeconds: oldestMessageAgeSeconds(retry, visibilityTimeoutSeconds),
      ...overrides.alarms,
    },
  };
};

/**
 * Retry policy of an EventBridge target (a rule's or a schedule's). EventBridge and Scheduler
 * both accept an event age of 60..86,400 s and 0..185 retries.
 */
export interface TargetRetryTopology {
  /** Give up on an event this old, seconds. */
  readonly maximumEventAgeSeconds: number;
  /** Retries before the event goes to the target's DLQ. */
  readonly maximumRetryAttempts: number;
}

/** Memory and timeout of a function that no SQS event source drives (webhook, feedback). */
export type FunctionSizeTopology = Pick<FunctionTopology, 'memoryMb' | 'timeoutSeconds'>;

/**
 * The ladder of the stages that call Jira and OpenAI at a send point (compose) and SES (send):
 * outages of those last hours, not seconds. Redeliveries back off up to 30, 60, 120 and 240 s
 * (full jitter), then five reschedules wait 15 min, 30 min, 1 h, 2 h and 3 h: 6 h 45 min of
 * reschedules before the DLQ, plus up to 7.5 min on the main queue per round. Waits over 900 s go
 * through one-time Scheduler schedules.
 */
export const OUTAGE_LADDER = {
  backoffBaseSeconds: 30,
  rescheduleDelaysSeconds: [900, 1800, 3600, 7200, 10_800],
} as const satisfies Partial<RetryTopology>;

/** The rescheduler function (one for every stage's reschedule queue). */
const RESCHEDULER_FN = {
  memoryMb: 256,
  timeoutSeconds: 30,
  maxConcurrency: 2,
} as const satisfies FunctionTopology;

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
    /** DLQ of the rule's target: events it could not deliver to the ingest queue (14 days). */
    deadLetterQueue: 'jira-version-events-dlq',
  },
  /** Retry policy of the EventBridge rule targets (the ingest queue, the feedback function). */
  ruleTargetRetry: { maximumEventAgeSeconds: DAY, maximumRetryAttempts: 185 } satisfies TargetRetryTopology,
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
    /**
     * Keys of the unsubscribe links in client emails: a JSON array, newest first; the first
     * signs, every one verifies. Never the webhook secret.
     */
    signingKeys: 'signing-keys',
    /**
     * Keys of the Approve/Hold links in review emails, dedicated to them (same format as
     * `signingKeys`): a leaked unsubscribe key cannot approve a draft.
     */
    reviewSigningKeys: 'review-signing-keys',
  },
  webhook: {
    /** Largest accepted webhook body, bytes. Version events are a few hundred bytes. */
    maxBodyBytes: 64 * 1024,
    /** The webhook function (Jira webhooks, unsubscribe links): 256 MiB, 10 s. */
    fn: { memoryMb: 256, timeoutSeconds: 10 } satisfies FunctionSizeTopology,
  },
  ses: {
    /**
     * Default sends per second of the account, used when the deploy does not say
     * (CDK context `sesMaxSendRate`; a sandbox account has 1) and by the local stack.
     */
    maxSendRatePerSecond: 14,
    /** Configuration set every email is sent with; it publishes bounces and complaints (`herald-email`). */
    configurationSet: 'email',
  },
  /** SES bounce and complaint handling: a rule on the default bus invokes the feedback function. */
  feedback: {
    /** The feedback function (opts addresses out): 256 MiB, 30 s. */
    fn: { memoryMb: 256, timeoutSeconds: 30 } satisfies FunctionSizeTopology,
    /** Rule on the default bus routing this environment's SES events to the function. */
    rule: 'ses-feedback',
    /** DLQ of the rule's target and of the function's failed asynchronous invocations (14 days). */
    deadLetterQueue: 'feedback-dlq',
    /**
     * Local stack only: the queue the rule targets in the emulator, polled by the local runtime
     * in place of Lambda's asynchronous invocation (redrive → {@link deadLetterQueue} after 3
     * receives: the first attempt and Lambda's 2 retries).
     */
    localQueue: 'feedback-events',
  },
  /** SNS topic every alarm notifies (`herald-alarms`). */
  alarmTopic: 'alarms',
  stages: {
    ingest: stage('ingest', { batchSize: 10, timeoutSeconds: 30 }),
    enrich: stage('enrich', { batchSize: 5, timeoutSeconds: 60 }),
    schedule: stage('schedule', { batchSize: 5, timeoutSeconds: 60 }),
    compose: stage('compose', {
      batchSize: 1,
      timeoutSeconds: 120,
      memoryMb: 512,
      retry: OUTAGE_LADDER,
    }),
    send: stage('send', { batchSize: 10, timeoutSeconds: 30, maxConcurrency: 2, retry: OUTAGE_LADDER }),
  } satisfies Record<StageName, StageTopology>,
  rescheduler: {
    batchSize: 10,
    fn: RESCHEDULER_FN,
  },
  /** Every `<stage>-reschedule` queue (visibility 180 s, 5 rescheduler attempts). */
  rescheduleQueue: {
    visibilityTimeoutSeconds: RESCHEDULER_FN.timeoutSeconds * 6,
    maxReceiveCount: 5,
  } satisfies RescheduleQueueTopology,
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

/** Options of {@link rescheduleRedriveMaxReceiveCount}. */
export interface RescheduleRedriveOptions {
  /**
   * Whether the queue service keeps a message's ApproximateReceiveCount when it redrives it from
   * `<stage>` to `<stage>-reschedule`. moto does (true: the local bootstrap). AWS does not document
   * it, so infra/ passes true as well: the rescheduler then gets at least its attempts either way.
   */
  receiveCountCarriesOver: boolean;
}

/**
 * `maxReceiveCount` to put in the redrive policy of `<stage>-reschedule` (→ `<stage>-dlq`) so
 * that the rescheduler gets {@link RescheduleQueueTopology.maxReceiveCount} attempts at each
 * message. Where the receive count carries over a redrive (moto), a message arrives on the
 * reschedule queue already counted at the main queue's `maxReceiveCount`, and a bare 5 would pass
 * it on to the DLQ at its first receive there: the policy then holds the stage's
 * `retry.maxReceiveCount` plus the rescheduler's attempts. Where it restarts, the rescheduler's
 * attempts alone.
 */
export const rescheduleRedriveMaxReceiveCount = (
  stageName: StageName,
  options: RescheduleRedriveOptions,
): number =>
  topology.rescheduleQueue.maxReceiveCount +
  (options.receiveCountCarriesOver ? topology.stages[stageName].retry.maxReceiveCount : 0);

/** The queue name at the end of an SQS ARN or URL. */
export const queueNameFromArnOrUrl = (arnOrUrl: string): string => arnOrUrl.split(/[:/]/).at(-1) ?? arnOrUrl;

/** Retry timing profiles: `standard` in production; `fast` only for local tests and the chaos run. */
export const RETRY_PROFILES = ['standard', 'fast'] as const;

/** One of {@link RETRY_PROFILES}. */
export type RetryProfile = (typeof RETRY_PROFILES)[number];

/**
 * The retry ladder of a stage under a profile. `fast` keeps the shape of the ladder (the same
 * receive count and number of reschedules, so tests can count hops against the topology) but
 * shrinks every wait to seconds: backoff base 1 s capped at 2 s, reschedule delays 1, 2, 3… s.
 */
export const retryOf = (stageName: StageName, profile: RetryProfile = 'standard'): RetryTopology => {
  const retry = topology.stages[stageName].retry;
  if (profile === 'standard') return retry;
  return {
    ...retry,
    backoffBaseSeconds: 1,
    backoffCapSeconds: 2,
    rescheduleDelaysSeconds: retry.rescheduleDelaysSeconds.map((_, i) => i + 1),
  };
};
