import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import type { SqsLambdaHandler } from '#local/LocalLambdaRuntime';
import type { Log } from '#shared/logger';
import { silentLogger } from '#shared/logger';
import type { StageName } from '#topology/topology';
import { type BootstrapResult, bootstrap } from './bootstrap.ts';
import type { InvocationInfo, InvocationResult } from './LocalLambdaRuntime.ts';
import { LocalRuntime } from './LocalRuntime.ts';
import { type FiredSchedule, LocalScheduler } from './LocalScheduler.ts';
import { applyLocalAwsEnv, localClientConfig } from './localAwsConfig.ts';
import { type SesEventPublisher, startSesEventPublisher } from './SesEventPublisher.ts';
import { stackNames } from './stackNames.ts';
import { type FunctionUrlHandler, startWebhookServer, type WebhookServer } from './WebhookServer.ts';

/** Role ARN the local scheduler is told about; the emulator checks only that it is there. */
export const LOCAL_SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/herald-scheduler';

/**
 * AWS SDK v3 service ids (upper case, spaces as `_`) whose endpoint can be set apart from the
 * emulator's: the suffix of the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variable.
 */
export const LOCAL_SERVICE_ENDPOINT_IDS = [
  'SESV2',
  'DYNAMODB',
  'SQS',
  'SCHEDULER',
  'EVENTBRIDGE',
  'SECRETS_MANAGER',
] as const;

/** One of {@link LOCAL_SERVICE_ENDPOINT_IDS}. */
export type LocalServiceEndpointId = (typeof LOCAL_SERVICE_ENDPOINT_IDS)[number];

/** Options of {@link startLocalHerald}. */
export interface LocalHeraldOptions {
  /** AWS emulator endpoint (see `connectOrStart`). */
  endpoint: string;
  /** Environment name in resource names (`HERALD_ENV`). Default none. */
  env?: string;
  /** Jira Cloud site (or the stand-in) and its credentials. */
  jira: { siteUrl: string; email: string; apiToken: string };
  /** OpenAI (or the stand-in); omitted → template emails, marked so. */
  openai?: { apiKey: string; baseURL?: string | undefined; model?: string | undefined } | undefined;
  /** HMAC secret of the Jira webhook (Jira signatures only; links use the signing keys). */
  webhookSecret: string;
  /** From address; created as an SES identity in the emulator. */
  senderEmail: string;
  /** Clock of the local scheduler (what is due). Default the wall clock. */
  now?: () => Date;
  /** Local scheduler pass interval, ms. Default 1000. */
  schedulerTickMs?: number;
  /** Port of the webhook server on 127.0.0.1; 0 picks a free one. Default 0. */
  webhookPort?: number;
  /** Retry timing (`HERALD_RETRY_PROFILE`): `fast` shrinks every ladder wait to seconds. Default `standard`. */
  retryProfile?: 'standard' | 'fast';
  /** Handlers' log level (`LOG_LEVEL`). Default `warn`. */
  logLevel?: string;
  /** File the handlers append their JSON log lines to (`LOG_FILE`). Default none: stdout. */
  logFile?: string | undefined;
  /** Pollers per stage queue. Default 1. */
  concurrency?: number;
  /** Long-poll wait of the runtime, seconds. Default 1. */
  waitTimeSeconds?: number;
  /** The harness's own logger. Default silent. */
  logger?: Log;
  /**
   * Endpoints of single services for the handlers (e.g. `{ SESV2: proxy.url }` to put an
   * AwsFaultProxy in front of SES), set as `AWS_ENDPOINT_URL_<SERVICE>` before the handlers are
   * imported; every other service uses `endpoint`. The bootstrap and the runtime's and
   * scheduler's clients always use `endpoint`; the returned `directory`, built with the default
   * client like the handlers', follows the setting. Without an `SESV2` entry the handlers' SES
   * endpoint is this process's {@link SesEventPublisher} (SES's events for what the emulator
   * accepts); a proxy given here should forward to one to keep those events. Default none.
   */
  serviceEndpoints?: Partial<Record<LocalServiceEndpointId, string>>;
  /** Observers, for progress output and tests. Observers must not throw. */
  onInvoke?: (info: InvocationInfo) => void;
  onResult?: (result: InvocationResult) => void;
  onFire?: (fired: FiredSchedule) => void;
  onRequest?: (info: { method: string; path: string; status: number; durationMs: number }) => void;
  /**
   * Keys of the signing-keys secret (unsubscribe links), newest first, each at least 32
   * characters. Default: the emulator's existing value, else one random key.
   */
  signingKeys?: readonly string[] | undefined;
}

/** A running local release-herald. */
export interface LocalHerald {
  readonly endpoint: string;
  readonly env: string;
  /** Where Jira should POST webhooks (`http://127.0.0.1:PORT/`). */
  readonly webhookUrl: string;
  readonly stack: BootstrapResult;
  readonly runtime: LocalRuntime;
  readonly scheduler: LocalScheduler;
  /** The client directory, for seeding contacts and policies. */
  readonly directory: DynamoDirectory;
  readonly sqs: SQSClient;
  readonly schedulerClient: SchedulerClient;
  /** Stops the runtime (waiting for in-flight invocations), the scheduler and the webhook server. */
  stop(): Promise<void>;
  /** The SES event publisher in front of the emulator's SES, unless `serviceEndpoints.SESV2` was given. */
  readonly sesEvents: SesEventPublisher | undefined;
}

let configuredFor: string | undefined;

/**
 * One SES event publisher per process and emulator: the send handler reads its SES endpoint once,
 * at import, so every LocalHerald of this process must keep the same one (it is never closed and
 * does not keep the process alive).
 */
let processPublisher: { endpoint: string; publisher: Promise<SesEventPublisher> } | undefined;

const publisherFor = (endpoint: string): Promise<SesEventPublisher> => {
  if (processPublisher?.endpoint !== endpoint) {
    processPublisher = { endpoint, publisher: startSesEventPublisher({ target: endpoint, unref: true }) };
  }
  return processPublisher.publisher;
};

/**
 * Runs the whole pipeline on this machine: bootstraps the emulator from the topology, serves
 * the webhook stage on loopback HTTP, runs every stage handler (the same modules Lambda runs)
 * on its queue through the local Lambda runtime, fires due schedules with the local
 * scheduler, and publishes SES's events for the emails the emulator accepts (a
 * {@link SesEventPublisher} in front of its SES, a rule on the default bus, the feedback stage on
 * its queue). Handlers read their configuration from `process.env` when first imported, so one
 * process hosts one configuration: a second call with different settings throws.
 */
export const startLocalHerald = async (options: LocalHeraldOptions): Promise<LocalHerald> => {
  const env = options.env ?? '';
  const logger = options.logger ?? silentLogger();
  let webhookHandler: FunctionUrlHandler | undefined;
  const server: WebhookServer = await startWebhookServer({
    port: options.webhookPort ?? 0,
    handler: async (event) => {
      if (!webhookHandler) throw new Error('webhook handler not loaded yet');
      return webhookHandler(event);
    },
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });

  const sesEvents = options.serviceEndpoints?.SESV2 ? undefined : await publisherFor(options.endpoint);
  const serviceEndpoints = { ...options.serviceEndpoints, ...(sesEvents ? { SESV2: sesEvents.url } : {}) };
  const settings: Record<string, string | undefined> = {
    HERALD_ENV: env,
    SES_CONFIGURATION_SET: stackNames(env).feedback.configurationSet,
    LOG_LEVEL: options.logLevel ?? 'warn',
    LOG_FILE: options.logFile,
    HERALD_RETRY_PROFILE: options.retryProfile ?? 'standard',
    JIRA_SITE_URL: options.jira.siteUrl,
    JIRA_EMAIL: options.jira.email,
    OPENAI_BASE_URL: options.openai?.baseURL,
    OPENAI_MODEL: options.openai?.model ?? process.env.OPENAI_MODEL,
    SENDER_EMAIL: options.senderEmail,
    UNSUBSCRIBE_BASE_URL: new URL('unsubscribe', server.url).toString(),
    REVIEW_BASE_URL: new URL('review', server.url).toString(),
    SCHEDULER_ROLE_ARN: LOCAL_SCHEDULER_ROLE_ARN,
    // No CloudWatch here to read EMF lines: they would only crowd the console.
    POWERTOOLS_METRICS_DISABLED: 'true',
    // The SDK reads AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL; unset ones are removed so
    // that a value left by an earlier run in this process cannot redirect a service.
    ...Object.fromEntries(
      LOCAL_SERVICE_ENDPOINT_IDS.map((id) => [`AWS_ENDPOINT_URL_${id}`, serviceEndpoints[id]]),
    ),
  };
  const fingerprint = JSON.stringify({
    ...settings,
    UNSUBSCRIBE_BASE_URL: undefined,
    REVIEW_BASE_URL: undefined,
    endpoint: options.endpoint,
  });
  if (configuredFor !== undefined && configuredFor !== fingerprint) {
    await server.close();
    throw new Error('startLocalHerald: handlers are already configured differently in this process');
  }
  configuredFor = fingerprint;
  applyLocalAwsEnv(options.endpoint);
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  try {
    const stack = await bootstrap({
      endpoint: options.endpoint,
      env,
      senderEmail: options.senderEmail,
      secrets: {
        jira: options.jira.apiToken,
        openai: options.openai?.apiKey,
        webhook: options.webhookSecret,
        signingKeys: options.signingKeys ? JSON.stringify(options.signingKeys) : undefined,
      },
      logger,
    });

    // Imported only now: each handler builds its clients and reads process.env at import.
    const [ingest, enrich, schedule, compose, send, rescheduler, webhook, feedback] = await Promise.all([
      import('#stages/ingest/handler'),
      import('#stages/enrich/handler'),
      import('#stages/schedule/handler'),
      import('#stages/compose/handler'),
      import('#stages/send/handler'),
      import('#stages/rescheduler/handler'),
      import('#stages/webhook/handler'),
      import('#stages/feedback/handler'),
    ]);
    webhookHandler = webhook.handler;
    const handlers: Record<StageName, SqsLambdaHandler> = {
      ingest: ingest.handler,
      enrich: enrich.handler,
      schedule: schedule.handler,
      compose: compose.handler,
      send: send.handler,
    };

    const clientConfig = localClientConfig(options.endpoint);
    const sqs = new SQSClient(clientConfig);
    const schedulerClient = new SchedulerClient(clientConfig);
    const runtime = new LocalRuntime({
      sqs,
      queues: stack.queues,
      handlers,
      rescheduler: rescheduler.handler,
      feedback: { queue: stack.feedbackQueue, handler: feedback.handler },
      env,
      concurrency: options.concurrency ?? 1,
      waitTimeSeconds: options.waitTimeSeconds ?? 1,
      logger,
      ...(options.onInvoke ? { onInvoke: options.onInvoke } : {}),
      ...(options.onResult ? { onResult: options.onResult } : {}),
    });
    const scheduler = new LocalScheduler({
      scheduler: schedulerClient,
      sqs,
      groupName: stack.names.scheduleGroup,
      tickMs: options.schedulerTickMs ?? 1000,
      logger,
      ...(options.now ? { now: options.now } : {}),
      ...(options.onFire ? { onFire: options.onFire } : {}),
    });
    runtime.start();
    scheduler.start();
    const directory = new DynamoDirectory({ tableName: stack.names.tables.directory });

    return {
      endpoint: options.endpoint,
      env,
      webhookUrl: server.url,
      stack,
      runtime,
      scheduler,
      directory,
      sqs,
      schedulerClient,
      stop: async () => {
        await scheduler.stop();
        await runtime.stop();
        await server.close();
        sqs.destroy();
        schedulerClient.destroy();
      },
      sesEvents,
    };
  } catch (err) {
    await server.close();
    throw err;
  }
};
