import type { StageTopology } from '#topology/topology';

/**
 * Settings the AWS deployment needs that pipeline/topology/topology.ts does not hold yet. Each is
 * a candidate for the topology; until it moves there, infra/ is the only reader.
 */
export const infraSettings = {
  /**
   * Receives the rescheduler gets on a `<stage>-reschedule` queue before SQS moves the message to
   * `<stage>-dlq`: a message the rescheduler itself keeps failing on must not loop. Default 5.
   * See {@link rescheduleRedriveMaxReceiveCount} for the number the redrive policy holds.
   */
  rescheduleMaxReceiveCount: 5,
  /** Lambda settings of the functions no queue stage describes (memory MiB, timeout seconds). */
  functions: {
    webhook: { memoryMb: 256, timeoutSeconds: 10 },
    feedback: { memoryMb: 256, timeoutSeconds: 30 },
  },
  /** Asynchronous retries of the feedback function before its DLQ (Lambda allows 0..2). */
  feedbackRetryAttempts: 2,
  /** Retry policy of the EventBridge rule targets (ingest queue, feedback function). */
  ruleTargetRetry: { maximumEventAgeSeconds: 86_400, maximumRetryAttempts: 185 },
  /** Days each function's log group keeps its events. */
  logRetentionDays: 30,
  /** Alarm evaluation period, seconds. */
  alarmPeriodSeconds: 300,
  /** Names (before `resourceName`) of the resources the topology does not name. */
  names: {
    /** DLQ of the rule that feeds the ingest queue. */
    ingestRuleDlq: 'jira-version-events-dlq',
    /** SES configuration set of every email. */
    configurationSet: 'email',
    /** Rule on the default bus that routes SES bounces and complaints to the feedback function. */
    feedbackRule: 'ses-feedback',
    /** DLQ of the feedback rule and function. */
    feedbackDlq: 'feedback-dlq',
    /** SNS topic every alarm notifies. */
    alarmTopic: 'alarms',
  },
} as const;

/**
 * Threshold of a main queue's oldest-message-age alarm, seconds. A message stays on its main queue
 * at most `maxReceiveCount` receives, each lasting at most the longer of the visibility timeout (a
 * crashed invocation) and the backoff cap (a reported failure); SQS then redrives it. A message
 * older than that means the queue is not being consumed at all.
 */
export const oldestMessageAgeThresholdSeconds = (stage: StageTopology): number =>
  stage.retry.maxReceiveCount * Math.max(stage.visibilityTimeoutSeconds, stage.retry.backoffCapSeconds);

/**
 * `maxReceiveCount` of a `<stage>-reschedule` queue's redrive policy: the stage's own
 * `maxReceiveCount` plus {@link infraSettings.rescheduleMaxReceiveCount}. SQS keeps a message's
 * ApproximateReceiveCount when it redrives it, so a message reaches the reschedule queue already
 * counted past the main queue's limit; a bare 5 would pass it on to the DLQ at its first receive
 * there. (pipeline/local/constants.ts computes the same for the emulator.)
 */
export const rescheduleRedriveMaxReceiveCount = (stage: StageTopology): number =>
  stage.retry.maxReceiveCount + infraSettings.rescheduleMaxReceiveCount;
