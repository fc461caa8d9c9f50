/**
 * One local release-herald runtime in its own process, driven by a parent over IPC: the
 * benchmarks (`npm run bench`) and the chaos run (`npm run chaos`) fork it so that the handlers'
 * log lines can be read from its stdout and so that it can be SIGKILLed mid-run and started again.
 *
 * It runs what {@link startLocalHerald} runs (bootstrap, the webhook on loopback HTTP, every stage
 * on its main queue, the rescheduler on every reschedule queue, the local scheduler) from the
 * same building blocks, plus what a crash test needs and LocalHerald does not offer:
 * - a scheduler clock the parent moves (`clockOffsetMs`, then `{ type: 'clock' }` messages), so
 *   that releases dated weeks ahead fall due at once (time travel);
 * - a shorter receive visibility and function timeout than the topology's (12 minutes for
 *   compose), so that what a killed process had in flight comes back in seconds;
 * - a subset of stages, a service endpoint override (SES through a fault proxy), and the stages'
 *   client timeouts and send lease.
 * Like LocalHerald it runs the feedback stage on the local SES feedback queue and, unless given
 * an `SESV2` endpoint, its own SesEventPublisher in front of the emulator's SES.
 *
 * Protocol: the parent forks this file with one argument, the JSON of {@link WorkerOptions}.
 * The worker answers `{ type: 'ready', webhookUrl, queues }` once everything runs, and stops on
 * `{ type: 'stop' }`, SIGTERM, SIGINT or when the IPC channel closes. Everything it observes
 * (handler logs, one `worker_invocation` line per batch, `worker_schedule_fired`) goes to stdout
 * as pino JSON lines.
 */

import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { createLogger, type Log } from '#shared/logger';
import { resourceName, STAGES, type StageName, topology } from '#topology/topology';
import { type BootstrapResult, bootstrap, type StackQueues } from './bootstrap.ts';
import { RESCHEDULER_FUNCTION } from './constants.ts';
import { LOCAL_SCHEDULER_ROLE_ARN, LOCAL_SERVICE_ENDPOINT_IDS } from './LocalHerald.ts';
import { type InvocationResult, LocalLambdaRuntime, type SqsLambdaHandler } from './LocalLambdaRuntime.ts';
import { LocalScheduler } from './LocalScheduler.ts';
import { applyLocalAwsEnv, localClientConfig } from './localAwsConfig.ts';
import { feedbackRuntime } from './LocalRuntime.ts';
import { startSesEventPublisher } from './SesEventPublisher.ts';
import { stackNames } from './stackNames.ts';
import { startWebhookServer } from './WebhookServer.ts';

const positiveInt = z.number().int().positive();

/** What a worker runs, as the parent passes it (JSON, first argument). */
export const workerOptions = z
  .object({
    /** AWS emulator endpoint. */
    endpoint: z.url(),
    /** Environment name in resource names (`HERALD_ENV`). Default none. */
    env: z.string().default(''),
    /** Jira Cloud site (a stand-in) and its credentials. */
    jira: z.object({ siteUrl: z.url(), email: z.string().min(3), apiToken: z.string().min(1) }),
    /** OpenAI (a stand-in); omitted → template emails. */
    openai: z
      .object({ apiKey: z.string().min(1), baseURL: z.url(), model: z.string().optional() })
      .optional(),
    /** HMAC secret of the Jira webhook. */
    webhookSecret: z.string().min(1),
    /** From address; created as an SES identity. */
    senderEmail: z.email(),
    /** Webhook port on 127.0.0.1; 0 picks a free one. Default 0. */
    webhookPort: z.number().int().min(0).max(65_535).default(0),
    /** `HERALD_RETRY_PROFILE`. Default `standard`. */
    retryProfile: z.enum(['standard', 'fast']).default('standard'),
    /** Handlers' and the worker's log level. Default `info` (benchmarks read `email_composed`). */
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Stages polled; the others' messages wait in their queues. Default every stage. */
    stages: z.array(z.enum(STAGES)).default([...STAGES]),
    /** Run the rescheduler on every reschedule queue. Default true. */
    rescheduler: z.boolean().default(true),
    /** Run the local scheduler. Default true. */
    scheduler: z.boolean().default(true),
    /** Pollers per queue. Default 1. */
    concurrency: positiveInt.max(10).default(1),
    /** Long-poll wait, seconds. Default 1. */
    waitTimeSeconds: z.number().int().min(0).max(20).default(1),
    /** Local scheduler pass interval, ms. Default 1000. */
    schedulerTickMs: positiveInt.default(1000),
    /** Scheduler clock = wall clock + this, ms (time travel). Default 0. */
    clockOffsetMs: z.number().int().default(0),
    /**
     * Receive visibility of every queue, seconds; default each queue's (the topology's). Must be
     * above {@link functionTimeoutSeconds}, like a real event source's.
     */
    visibilityTimeoutSeconds: positiveInt.max(43_200).optional(),
    /** Function timeout of every stage, seconds; default the topology's (capped at it when set). */
    functionTimeoutSeconds: positiveInt.max(900).optional(),
    /** `SEND_LEASE_SECONDS` (the handlers' configuration checks its range). Default the config's. */
    sendLeaseSeconds: positiveInt.optional(),
    /** `JIRA_TIMEOUT_MS` (range checked by the configuration). Default the config's. */
    jiraTimeoutMs: positiveInt.optional(),
    /** `OPENAI_TIMEOUT_MS` (range checked by the configuration). Default the config's. */
    openaiTimeoutMs: positiveInt.optional(),
    /**
     * Endpoints of single services for the handlers' SDK clients, as in `startLocalHerald`
     * (`{ SESV2: proxy.url }` → `AWS_ENDPOINT_URL_SESV2`), e.g. an AwsFaultProxy in front of SES.
     * The worker's own clients always use `endpoint`. Default none.
     */
    serviceEndpoints: z.partialRecord(z.enum(LOCAL_SERVICE_ENDPOINT_IDS), z.url()).default({}),
    /** `SES_EVENT_WAIT_SECONDS` (range checked by the configuration). Default the config's. */
    sesEventWaitSeconds: z.number().int().min(0).optional(),
  })
  // An invocation still running when its records turn visible again would race its own redelivery.
  .refine(
    (o) =>
      o.visibilityTimeoutSeconds === undefined ||
      (o.functionTimeoutSeconds !== undefined && o.visibilityTimeoutSeconds > o.functionTimeoutSeconds),
    {
      message: 'visibilityTimeoutSeconds needs a functionTimeoutSeconds below it',
      path: ['visibilityTimeoutSeconds'],
    },
  );

/** Options of a worker (input form: defaults may be left out). */
export type WorkerOptions = z.input<typeof workerOptions>;

/** Messages the worker sends to its parent. */
export type WorkerMessage =
  | { type: 'ready'; webhookUrl: string; queues: StackQueues; scheduleGroup: string }
  | { type: 'stopped' };

/** Messages the parent sends to the worker. */
export type ParentMessage = { type: 'clock'; offsetMs: number } | { type: 'stop' };

/** One `worker_invocation` log line: a batch one of the runtimes handled. */
export interface WorkerInvocationLine {
  msg: 'worker_invocation';
  functionName: string;
  queue: string;
  records: number;
  /** Records of the batch with ApproximateReceiveCount above 1. */
  redelivered: number;
  outcome: InvocationResult['outcome'];
  durationMs: number;
}

/** Records of a batch that SQS delivered before (receive count above 1). */
const redeliveredIn = (event: SQSEvent): number =>
  event.Records.filter((r) => Number(r.attributes.ApproximateReceiveCount ?? '1') > 1).length;

/** Sets the handlers' configuration; they read it when first imported. */
const configure = (options: z.output<typeof workerOptions>, unsubscribeBaseUrl: string): void => {
  applyLocalAwsEnv(options.endpoint);
  const settings: Record<string, string | undefined> = {
    HERALD_ENV: options.env,
    SES_CONFIGURATION_SET: stackNames(options.env).feedback.configurationSet,
    LOG_LEVEL: options.logLevel,
    HERALD_RETRY_PROFILE: options.retryProfile,
    JIRA_SITE_URL: options.jira.siteUrl,
    JIRA_EMAIL: options.jira.email,
    OPENAI_BASE_URL: options.openai?.baseURL,
    OPENAI_MODEL: options.openai?.model,
    SENDER_EMAIL: options.senderEmail,
    UNSUBSCRIBE_BASE_URL: unsubscribeBaseUrl,
    REVIEW_BASE_URL: new URL('review', unsubscribeBaseUrl).toString(),
    SCHEDULER_ROLE_ARN: LOCAL_SCHEDULER_ROLE_ARN,
    // No CloudWatch here to read EMF lines: they would only crowd the console.
    POWERTOOLS_METRICS_DISABLED: 'true',
    SEND_LEASE_SECONDS: options.sendLeaseSeconds?.toString(),
    JIRA_TIMEOUT_MS: options.jiraTimeoutMs?.toString(),
    OPENAI_TIMEOUT_MS: options.openaiTimeoutMs?.toString(),
    SES_EVENT_WAIT_SECONDS: options.sesEventWaitSeconds?.toString(),
  };
  for (const id of LOCAL_SERVICE_ENDPOINT_IDS)
    settings[`AWS_ENDPOINT_URL_${id}`] = options.serviceEndpoints[id];
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

/** Runs the worker until it is told to stop. */
const main = async (): Promise<void> => {
  const parsed = workerOptions.parse(JSON.parse(process.argv[2] ?? '{}'));
  const logger: Log = createLogger({ level: parsed.logLevel, name: 'herald-worker' });
  // SES's events for what the emulator accepts, unless the parent put its own chain (a fault
  // proxy forwarding to a publisher it runs) in front of SES.
  const publisher = parsed.serviceEndpoints.SESV2
    ? undefined
    : await startSesEventPublisher({ target: parsed.endpoint, logger });
  const options = publisher
    ? { ...parsed, serviceEndpoints: { ...parsed.serviceEndpoints, SESV2: publisher.url } }
    : parsed;
  const send = (message: WorkerMessage): void => {
    process.send?.(message);
  };

  let offsetMs = options.clockOffsetMs;
  const now = () => new Date(Date.now() + offsetMs);
  const server = await startWebhookServer({
    port: options.webhookPort,
    // Resolved on the first request, after configure() below: handlers read process.env at import.
    handler: async () => (await import('#stages/webhook/handler')).handler,
  });
  configure(options, new URL('unsubscribe', server.url).toString());

  const stack: BootstrapResult = await bootstrap({
    endpoint: options.endpoint,
    env: options.env,
    senderEmail: options.senderEmail,
    secrets: { jira: options.jira.apiToken, openai: options.openai?.apiKey, webhook: options.webhookSecret },
    logger,
  });
  const modules: Record<StageName, () => Promise<{ handler: SqsLambdaHandler }>> = {
    ingest: () => import('#stages/ingest/handler'),
    enrich: () => import('#stages/enrich/handler'),
    schedule: () => import('#stages/schedule/handler'),
    compose: () => import('#stages/compose/handler'),
    send: () => import('#stages/send/handler'),
  };

  const clientConfig = localClientConfig(options.endpoint);
  const sqs = new SQSClient(clientConfig);
  const schedulerClient = new SchedulerClient(clientConfig);
  const onResult = (result: InvocationResult): void => {
    const line: Omit<WorkerInvocationLine, 'msg'> = {
      functionName: result.functionName,
      queue: result.queueName,
      records: result.event.Records.length,
      redelivered: redeliveredIn(result.event),
      outcome: result.outcome,
      durationMs: result.durationMs,
    };
    logger.info(line, 'worker_invocation');
  };
  const timeoutOf = (seconds: number) =>
    options.functionTimeoutSeconds === undefined
      ? seconds
      : Math.min(seconds, options.functionTimeoutSeconds);
  const common = {
    sqs,
    logger,
    concurrency: options.concurrency,
    waitTimeSeconds: options.waitTimeSeconds,
    onResult,
  };

  const runtimes: LocalLambdaRuntime[] = [];
  for (const stage of options.stages) {
    const settings = topology.stages[stage];
    runtimes.push(
      new LocalLambdaRuntime({
        ...common,
        queue: stack.queues[stage].main,
        functionName: resourceName(stage, options.env),
        handler: (await modules[stage]()).handler,
        batchSize: settings.batchSize,
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? settings.visibilityTimeoutSeconds,
        timeoutSeconds: timeoutOf(settings.fn.timeoutSeconds),
        memoryMb: settings.fn.memoryMb,
      }),
    );
  }
  if (options.rescheduler) {
    const { handler } = await import('#stages/rescheduler/handler');
    for (const stage of STAGES) {
      runtimes.push(
        new LocalLambdaRuntime({
          ...common,
          queue: stack.queues[stage].reschedule,
          functionName: resourceName(RESCHEDULER_FUNCTION, options.env),
          handler,
          batchSize: topology.rescheduler.batchSize,
          visibilityTimeoutSeconds:
            options.visibilityTimeoutSeconds ?? topology.rescheduleQueue.visibilityTimeoutSeconds,
          timeoutSeconds: timeoutOf(topology.rescheduler.fn.timeoutSeconds),
          memoryMb: topology.rescheduler.fn.memoryMb,
        }),
      );
    }
  }
  runtimes.push(
    feedbackRuntime(
      { queue: stack.feedbackQueue, handler: (await import('#stages/feedback/handler')).handler },
      options.env,
      common,
    ),
  );
  const scheduler = options.scheduler
    ? new LocalScheduler({
        scheduler: schedulerClient,
        sqs,
        groupName: stack.names.scheduleGroup,
        tickMs: options.schedulerTickMs,
        logger,
        now,
        onFire: (fired) =>
          logger.info({ name: fired.name, dueAt: fired.dueAt.toISOString() }, 'worker_schedule_fired'),
      })
    : undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await scheduler?.stop();
      await Promise.all(runtimes.map((r) => r.stop()));
      await server.close();
      await publisher?.close();
      sqs.destroy();
      schedulerClient.destroy();
      logger.info('worker_stopped');
      send({ type: 'stopped' });
      // The handlers' SDK clients keep sockets open; nothing else is left to finish.
      process.exit(0);
    })();
    return stopping;
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'clock') {
      offsetMs = message.offsetMs;
      logger.info({ offsetMs }, 'worker_clock_set');
    } else if (message.type === 'stop') void stop();
  });
  // The parent is gone: nobody will stop this process, so it stops itself.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  for (const runtime of runtimes) runtime.start();
  scheduler?.start();
  logger.info({ webhookUrl: server.url, runtimes: runtimes.length, offsetMs }, 'worker_ready');
  send({
    type: 'ready',
    webhookUrl: server.url,
    queues: stack.queues,
    scheduleGroup: stack.names.scheduleGroup,
  });
};

if (import.meta.main) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
