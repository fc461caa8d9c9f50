import * as z from 'zod';
import { topology } from '#topology/topology';

/**
 * Shortest send lease, seconds: twice the send function's timeout. A claim must outlive the
 * invocation that holds it (a live worker's claim is never taken over) with as much again to spare
 * for the redelivery that finds it.
 */
export const MIN_SEND_LEASE_SECONDS = 2 * topology.stages.send.fn.timeoutSeconds;

const url = (name: string) =>
  z.url({ error: `${name} must be an absolute URL such as https://example.atlassian.net` });

/**
 * A whole number read from `name`, from `min` to `max` inclusive; its errors name the variable,
 * its unit (`noun`, `milliseconds`; `unit` after a bound, `ms`) and the bound it broke.
 */
const wholeNumber = (name: string, noun: string, unit: string, [min, max]: readonly [number, number]) =>
  z.coerce
    .number({ error: `${name} must be a number of ${noun}` })
    .int()
    .min(min, `${name} must be at least ${min} ${unit}`)
    .max(max, `${name} must be at most ${max} ${unit}`);

/**
 * Every environment variable release-herald reads. Stage-specific ones are optional here;
 * a handler asks for what it needs with {@link requireConfig} at cold start.
 */
export const configSchema = z.object({
  /** AWS region. Default us-east-1. */
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Environment name appended to resource names (`herald-<env>-...`). Default none. */
  HERALD_ENV: z
    .string()
    .regex(/^[a-z0-9-]{0,20}$/, 'HERALD_ENV must be 0-20 characters of a-z, 0-9 and -')
    .default(''),
  /** Log level: trace, debug, info, warn, error, fatal, silent. Default info. */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /**
   * File the JSON log lines are appended to instead of stdout (the local stack's `npm start` sets
   * it so that its console stays readable). Default none: stdout, as Lambda wants.
   */
  LOG_FILE: z.string().min(1, 'LOG_FILE must be a file path').optional(),
  /**
   * The ADOT layer's start-up wrapper (infra/tracing.ts), set by the stack when tracing is on.
   * Read only to warn at cold start when no tracer got registered (`tracing_not_registered`).
   */
  AWS_LAMBDA_EXEC_WRAPPER: z.string().min(1).optional(),
  /** Jira Cloud site, e.g. https://acme.atlassian.net. */
  JIRA_SITE_URL: url('JIRA_SITE_URL').optional(),
  /** Jira account email used with the API token (basic auth). */
  JIRA_EMAIL: z.string().min(3).optional(),
  /** Most issues of a release read for one email, 1..10000. Default 500. */
  JIRA_MAX_ISSUES: z.coerce
    .number({ error: 'JIRA_MAX_ISSUES must be a number of issues' })
    .int()
    .min(1, 'JIRA_MAX_ISSUES must be at least 1 issue')
    .max(10_000, 'JIRA_MAX_ISSUES must be at most 10000 issues')
    .default(500),
  /** Jira request timeout, milliseconds, 1000..120000. Default 20000. */
  JIRA_TIMEOUT_MS: wholeNumber('JIRA_TIMEOUT_MS', 'milliseconds', 'ms', [1000, 120_000]).default(20_000),
  /** OpenAI model. Default gpt-4.1-mini. */
  OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  /** OpenAI API base URL (stand-ins and proxies). Default the SDK's. */
  OPENAI_BASE_URL: url('OPENAI_BASE_URL').optional(),
  /** OpenAI request timeout, milliseconds, 1000..600000. Default 60000. */
  OPENAI_TIMEOUT_MS: wholeNumber('OPENAI_TIMEOUT_MS', 'milliseconds', 'ms', [1000, 600_000]).default(60_000),
  /** From address of every email (an SES verified identity). */
  SENDER_EMAIL: z.email({ error: 'SENDER_EMAIL must be an email address' }).optional(),
  /** SES configuration set (bounce/complaint events). Optional. */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Base of one-click unsubscribe links (the webhook URL + /unsubscribe). */
  UNSUBSCRIBE_BASE_URL: url('UNSUBSCRIBE_BASE_URL').optional(),
  /** Base of the Approve/Hold links of review emails (the webhook URL + /review; policy `approval`). */
  REVIEW_BASE_URL: url('REVIEW_BASE_URL').optional(),
  /**
   * How often a send waiting for an approver's decision looks again, seconds, 1..900. Default
   * 300 (the `fast` retry profile: 2).
   */
  APPROVAL_RECHECK_SECONDS: wholeNumber('APPROVAL_RECHECK_SECONDS', 'seconds', 's', [1, 900]).optional(),
  /** IAM role EventBridge Scheduler assumes to send to the queues. */
  SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  /**
   * Retry timing profile (see `retryOf` in the topology): `standard` in production, `fast`
   * compresses every wait to seconds for local tests and the chaos run. Default standard.
   */
  HERALD_RETRY_PROFILE: z
    .enum(['standard', 'fast'], { error: 'HERALD_RETRY_PROFILE must be standard or fast' })
    .default('standard'),
  /**
   * Send lease, seconds, {@link MIN_SEND_LEASE_SECONDS} (2 × the send function's timeout)..900:
   * how long a send claim blocks others. Default 120.
   */
  SEND_LEASE_SECONDS: z.coerce
    .number({ error: 'SEND_LEASE_SECONDS must be a number of seconds' })
    .int()
    .min(
      MIN_SEND_LEASE_SECONDS,
      `SEND_LEASE_SECONDS must be at least ${MIN_SEND_LEASE_SECONDS} seconds (twice the send function's ` +
        `${topology.stages.send.fn.timeoutSeconds} s timeout, so a running send's claim is never taken over)`,
    )
    .max(900, 'SEND_LEASE_SECONDS must be at most 900 seconds')
    .default(120),
  /**
   * Longest wait of the send stage for SES's events of an email whose SendEmail outcome is
   * unknown (a 5xx, a timeout or a reset after the request left; a claim taken over), seconds,
   * 0..15 (it must fit the send function's 30 s beside the SES call). Default 10.
   */
  SES_EVENT_WAIT_SECONDS: z.coerce
    .number({ error: 'SES_EVENT_WAIT_SECONDS must be a number of seconds' })
    .int()
    .min(0, 'SES_EVENT_WAIT_SECONDS must be at least 0 seconds')
    .max(15, 'SES_EVENT_WAIT_SECONDS must be at most 15 seconds (the send function has 30 s)')
    .default(10),
  /**
   * SES sends per second this send process may make, emails/s (0.01..1000): its share of the
   * account's rate. The CDK stack sets it from the deploy-time `sesMaxSendRate` divided by the send
   * stage's event source concurrency. Default the topology's account rate over the stage ceiling.
   */
  SES_SEND_RATE_PER_SECOND: z.coerce
    .number({ error: 'SES_SEND_RATE_PER_SECOND must be a number of emails per second' })
    .min(0.01, 'SES_SEND_RATE_PER_SECOND must be at least 0.01 emails per second')
    .max(1000, 'SES_SEND_RATE_PER_SECOND must be at most 1000 emails per second')
    .default(topology.ses.maxSendRatePerSecond / topology.stages.send.fn.maxConcurrency),
  /**
   * The deploy's primary region: compose and send run only there until `herald region activate`
   * records a switch (docs/DEPLOY.md, "A second region"). Default AWS_REGION (one region: always active).
   */
  HERALD_HOME_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'HERALD_HOME_REGION must be an AWS region such as eu-west-1')
    .optional(),
});

/** Validated configuration. */
export type Config = z.output<typeof configSchema>;

/** Configuration could not be read; the message names each variable and what it must be. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment. Call once at cold start; throws {@link ConfigError}
 * naming every bad variable.
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const picked = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  // One parse per cold start: zod's compiled fast path (new Function) would cost more to build
  // than it saves. Same checks, same result.
  const result = configSchema.safeParse(picked, { jitless: true });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return result.data;
};

/** Returns the named settings, throwing a {@link ConfigError} that names any that are missing. */
export const requireConfig = <K extends keyof Config>(
  config: Config,
  ...keys: K[]
): { [P in K]-?: NonNullable<Config[P]> } => {
  const missing = keys.filter((k) => config[k] === undefined);
  if (missing.length > 0) throw new ConfigError(`missing configuration: ${missing.join(', ')} must be set`);
  return Object.fromEntries(keys.map((k) => [k, config[k]])) as { [P in K]-?: NonNullable<Config[P]> };
};
