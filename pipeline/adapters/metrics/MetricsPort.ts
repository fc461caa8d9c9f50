/** CloudWatch namespace of every release-herald metric. */
export const METRICS_NAMESPACE = 'ReleaseHerald';

/**
 * The metrics release-herald emits, all counts (CloudWatch unit `Count`), each with the
 * dimensions of {@link metricDimensions}. Records are counted by the batch runner
 * (`createSqsHandler`), emails and tokens by the metered adapters the handlers wire.
 */
export const METRIC_NAMES = {
  /** Records a stage's core finished without throwing (skips and no-ops included). */
  recordsProcessed: 'RecordsProcessed',
  /** Records that threw and go back to their queue for another receive (retry with backoff). */
  recordsFailed: 'RecordsFailed',
  /** Records that used up their receives and went to `<stage>-reschedule` for a later try. */
  recordsRescheduled: 'RecordsRescheduled',
  /** Records sent to `<stage>-dlq` (permanent error), waiting for a person. */
  recordsDeadLettered: 'RecordsDeadLettered',
  /** Emails SES accepted (send stage). */
  emailsSent: 'EmailsSent',
  /** Prompt tokens of LLM calls, rejected answers included (compose stage). */
  llmPromptTokens: 'LlmPromptTokens',
  /** Completion tokens of LLM calls, rejected answers included (compose stage). */
  llmCompletionTokens: 'LlmCompletionTokens',
} as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** The service dimension of every metric (Powertools' `service`). */
export const METRICS_SERVICE = 'release-herald';

/**
 * The dimensions of every metric a function emits: the service, the deployment's environment
 * (`HERALD_ENV`, `default` when empty) and the stage (or function) name. The CDK dashboard reads
 * the metrics with the same call, so the two cannot drift.
 */
export const metricDimensions = (stage: string, env: string): Record<string, string> => ({
  service: METRICS_SERVICE,
  environment: env || 'default',
  stage,
});

/** Counts things for CloudWatch. Adding never throws and never fails a record. */
export interface MetricsPort {
  /** Adds `value` (default 1) to the metric `name`, in the current batch. */
  count(name: MetricName, value?: number): void;
  /** Writes what was counted since the last flush (once per batch) and starts again. */
  flush(): void;
}

/** A {@link MetricsPort} that keeps nothing (tests, tools). */
export const noMetrics: MetricsPort = { count: () => undefined, flush: () => undefined };
