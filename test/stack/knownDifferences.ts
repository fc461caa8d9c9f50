/**
 * Where ministack (the emulator of the deployed-stack tests) differs from AWS, and what the
 * harness does about it. The one place that says so: the tests and the harness name an entry of
 * {@link KNOWN_DIFFERENCES} wherever they work around one, and production code never does.
 */
export interface KnownDifference {
  /** What ministack does. */
  emulator: string;
  /** What AWS does. */
  aws: string;
  /** What the harness or the test does instead (never a change of production code). */
  workaround: string;
}

/** Every known difference, by id. */
export const KNOWN_DIFFERENCES = {
  'function-url-host': {
    emulator:
      'A function URL is https://<id>.lambda-url.<region>.on.aws/ in the stack outputs, a name no DNS resolves; ministack serves it at <endpoint>/_aws/lambda-url/<id>/<path>.',
    aws: 'The URL resolves and serves the function.',
    workaround:
      'localFunctionUrl() maps the output URL to the path ministack serves; the path after the host is kept.',
  },
  'function-env-from-emulator': {
    emulator:
      "Its local Lambda executor starts each function with ministack's own process environment, under the function's configured variables.",
    aws: 'A function sees only its configured variables and the runtime ones.',
    workaround:
      'The harness uses it to point the functions at the loopback stand-ins without changing the template: OPENAI_BASE_URL (the stack sets none: production uses the OpenAI default) and AWS_ENDPOINT_URL_SESV2 (the SES recorder). Variables the stack sets (HERALD_RETRY_PROFILE=standard, JIRA_SITE_URL...) win, as they should.',
  },
  'lambda-node-from-path': {
    emulator: 'Node functions run on the first `node` on its PATH, whatever Runtime says.',
    aws: 'Runtime nodejs24.x runs Node 24.',
    workaround:
      "startMinistack puts the pinned Node 24 (the Node running the tests) first on ministack's PATH.",
  },
  'ses-store-drops-headers': {
    emulator:
      'Its SES store (/_ministack/ses/messages) keeps only the subject and the body of a raw email; the MIME headers are lost.',
    aws: 'SES delivers the raw message with its headers.',
    workaround:
      'AWS_ENDPOINT_URL_SESV2 sends the functions through SesRecorder, a loopback proxy that forwards to ministack and parses the raw MIME of every SendEmail it accepted.',
  },
  'scheduler-at-is-utc': {
    emulator:
      'at() is read as UTC whatever ScheduleExpressionTimezone says; schedules are checked every 10 s.',
    aws: 'at() is local time in ScheduleExpressionTimezone; with FlexibleTimeWindow OFF it fires at that time.',
    workaround: 'The tests use UTC send policies, so the two agree, and wait up to a minute past a due time.',
  },
  'sqs-no-message-move-task': {
    emulator: 'SQS has no StartMessageMoveTask (InvalidAction).',
    aws: 'StartMessageMoveTask moves dead letters back server side.',
    workaround:
      "None needed in the harness: `herald dlq redrive`'s default method (auto) falls back to copy (receive, send, delete), and the test expects method copy.",
  },
  'global-table-ttl-ignored': {
    emulator: 'TimeToLiveSpecification of AWS::DynamoDB::GlobalTable is ignored.',
    aws: 'The ledger expires items at expiresAt.',
    workaround: 'None needed: no test waits for an expiry (the Template assertions check the TTL setting).',
  },
  'empty-secrets': {
    emulator: 'A secret created without a value reads as "".',
    aws: 'GetSecretValue of a secret with no value fails (ResourceNotFoundException: no current version).',
    workaround:
      'The harness puts every secret before the first webhook, as docs/DEPLOY.md step 5 tells operators to.',
  },
  'no-adot-layer': {
    emulator:
      "It has no ADOT JavaScript layer (published in AWS's own account) and no X-Ray daemon: a function started with AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-instrument finds no wrapper and fails.",
    aws: 'The layer registers the OpenTelemetry SDK and active tracing exports its spans to X-Ray.',
    workaround:
      'The harness synthesises with `-c tracing=false`; the tracing configuration is asserted on the template (test/infra/observability.test.ts) and the span links on the local stack (test/e2e/pipeline/tracing.test.ts).',
  },
} as const satisfies Record<string, KnownDifference>;

/** Id of a {@link KNOWN_DIFFERENCES} entry. */
export type KnownDifferenceId = keyof typeof KNOWN_DIFFERENCES;

/**
 * The URL ministack serves a function URL of the stack outputs at (`function-url-host`):
 * `https://<id>.lambda-url.<region>.on.aws/<path>` → `<endpoint>/_aws/lambda-url/<id>/<path>`.
 */
export const localFunctionUrl = (endpoint: string, functionUrl: string): string => {
  const url = new URL(functionUrl);
  const id = url.hostname.split('.')[0];
  return `${endpoint}/_aws/lambda-url/${id}${url.pathname}${url.search}`;
};
