/**
 * Settings that only the AWS deployment has a use for: no local stack or CLI equivalent exists
 * (CloudWatch Logs, CloudWatch alarms, Lambda asynchronous invocation). Everything else the stack
 * needs (names, sizes, retry settings, alarm thresholds) is in pipeline/topology/topology.ts.
 */
export const infraSettings = {
  /**
   * Asynchronous retries of the feedback function before its DLQ (Lambda allows 0..2). Local
   * runs call the handler directly, so there is nothing to retry there.
   */
  feedbackRetryAttempts: 2,
  /** Days each function's log group keeps its events (one of the values CloudWatch Logs offers). */
  logRetentionDays: 30,
  /** Alarm evaluation period, seconds. */
  alarmPeriodSeconds: 300,
  /**
   * Base name of the CloudWatch dashboard (`herald[-<env>]-dashboard-<region>`: dashboards are
   * global to an account, so each region's stack names its own).
   */
  dashboardName: 'dashboard',
} as const;
