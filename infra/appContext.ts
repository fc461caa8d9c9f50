import * as z from 'zod';

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');

/**
 * The CDK context the app reads (`cdk.json` defaults, `-c key=value` or cdk.context.json). Values
 * given with `-c` arrive as strings; lists may be comma-separated.
 */
export const appContextSchema = z.object({
  /** Environment name in resource and stack names (`herald-<envName>-…`), 0-20 of a-z 0-9 -. Default none. */
  envName: z
    .string()
    .regex(/^[a-z0-9-]{0,20}$/, 'must be 0-20 characters of a-z, 0-9 and -')
    .default(''),
  /**
   * Regions, comma-separated: the first is the primary (owns tables and secrets), each further one
   * a standby with replicas (docs/DEPLOY.md, "A second region"). Default us-east-1.
   */
  regions: csv
    .pipe(z.array(region).min(1, 'needs at least one region'))
    .refine((r) => new Set(r).size === r.length, 'must not repeat a region')
    .default(['us-east-1']),
  /** AWS account id. Default the CLI's (CDK_DEFAULT_ACCOUNT); unset leaves the template account-agnostic. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit account id')
    .optional(),
  /** From address of every email (SES verified identity). */
  senderEmail: z.email('must be an email address'),
  /** SES identity to send as (domain or address). Default the sender's domain. */
  sesIdentity: z.string().min(1).optional(),
  /** Jira Cloud site URL. */
  jiraSiteUrl: z.url('must be an absolute URL such as https://acme.atlassian.net'),
  /** Jira account of the API token. */
  jiraEmail: z.email('must be an email address'),
  /** OpenAI model. Default the config's. */
  openaiModel: z.string().min(1).optional(),
  /** Most issues per release read for one email. Default the config's. */
  jiraMaxIssues: z.coerce.number().int().min(1).max(10_000).optional(),
  /**
   * Jira request timeout of enrich and compose, milliseconds (JIRA_TIMEOUT_MS, 1000..120000; the
   * stack also refuses more than half a function's timeout). Default the config's.
   */
  jiraTimeoutMs: z.coerce.number().int().min(1000).max(120_000).optional(),
  /**
   * The SES account's maximum send rate, emails per second (GetAccount's MaxSendRate; 1 in the SES
   * sandbox). Bounds the send stage's concurrency, batch and per-process pacing. Default 14.
   */
  sesMaxSendRate: z.coerce
    .number()
    .positive('must be a positive number of emails per second')
    .max(100_000)
    .optional(),
  /** Log level of every function. Default the config's. */
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  /** Address subscribed to the alarm topic at deploy. Default none. */
  alarmEmail: z.email('must be an email address').optional(),
  /** Keep tables and secrets when the stack is deleted. Default true; false for throw-away stacks. */
  retainData: flag.default(true),
  /** Synthesise with placeholder code instead of `dist/` (checks without `npm run build`). Default false. */
  placeholderCode: flag.default(false),
  /** Spans to X-Ray through the ADOT layer with active tracing (infra/tracing.ts). Default true. */
  tracing: flag.default(true),
  /** ADOT JavaScript layer ARN, for a region or version other than infra/tracing.ts's. Default that one. */
  adotLayerArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[\w-]+:\d+$/, 'must be a Lambda layer version ARN')
    .optional(),
});

/** Validated app context. */
export type AppContext = z.output<typeof appContextSchema>;

/**
 * Reads and validates the app context; throws one error naming every bad key. Empty strings count
 * as unset so that `-c alarmEmail=` clears a cdk.json default.
 */
export const readAppContext = (get: (key: string) => unknown): AppContext => {
  const raw = Object.fromEntries(
    Object.keys(appContextSchema.shape).map((key) => {
      const value = get(key);
      return [key, value === '' && key !== 'envName' ? undefined : value];
    }),
  );
  const result = appContextSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `-c ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid CDK context: ${lines.join('; ')}`);
  }
  return result.data;
};

/** Stack name of the deployment in one region: `herald[-<env>]` (the same in every region). */
export const stackNameOf = (prefix: string, envName: string): string =>
  envName ? `${prefix}-${envName}` : prefix;
