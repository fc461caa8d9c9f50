import { randomBytes } from 'node:crypto';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { type Message, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type ComposeJob, composeJobMessage } from '#contracts/composeJob';
import type { Recipient } from '#contracts/contact';
import { wrap } from '#contracts/envelope';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { postSignedWebhook } from '#local/demo';
import { type LocalHerald, type LocalServiceEndpointId, startLocalHerald } from '#local/LocalHerald';
import type { InvocationInfo, InvocationResult } from '#local/LocalLambdaRuntime';
import type { FiredSchedule } from '#local/LocalScheduler';
import { type OutboxEmail, readOutbox } from '#local/Outbox';
import { type SesEventPublisher, startSesEventPublisher } from '#local/SesEventPublisher';
import type { SigningKeys } from '#shared/signingKeys';
import { type AwsFaultProxy, startAwsFaultProxy } from '#test/standins/AwsFaultProxy';
import { type JiraStandIn, type StandInVersion, startJiraStandIn } from '#test/standins/JiraStandIn';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { STAGES, type StageName } from '#topology/topology';
import { e2eEndpoint, queueDepth, receiveNow, uniqueEnv, waitFor } from '../local/support.ts';

/** The sender of every pipeline e2e email (an SES identity the bootstrap creates). */
export const SENDER = 'releases@example.com';

/** The Jira stand-in's credentials (the token is also in the stack's secret, where the CLI reads it). */
export const JIRA_EMAIL = 'herald@example.com';
const JIRA_TOKEN = 'jira-token';
const OPENAI_KEY = 'sk-e2e';

/** A clock the test moves: the local scheduler's idea of now. Starts at the wall clock. */
export interface TestClock {
  now: () => Date;
  /** Sets the clock to `instant`. */
  set: (instant: Date) => void;
}

const testClock = (): TestClock => {
  let current = Date.now();
  return {
    now: () => new Date(current),
    set: (instant) => {
      current = instant.getTime();
    },
  };
};

/** A schedule of the local stack as Scheduler holds it. */
export interface StoredSchedule {
  name: string;
  /** The `at()` argument, `yyyy-mm-ddThh:mm:ss` local time. */
  at: string;
  timeZone: string;
  /** The Input (a compose.job envelope), parsed. */
  job: ReturnType<typeof composeJobMessage.parse>;
  /** The Input as stored. */
  input: string;
}

/**
 * {@link readOutbox}, tried up to 5 times: moto builds `/moto-api/data.json` from every backend
 * while the stages write to them, and now and then answers 500 mid-way.
 */
const readOutboxRetrying = async (endpoint: string): Promise<OutboxEmail[]> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOutbox(endpoint);
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
};

let publisherOfProcess: Promise<SesEventPublisher> | undefined;

/** One SES event publisher per test process (the handlers keep the endpoint they first read). */
const sesEventPublisherFor = (endpoint: string): Promise<SesEventPublisher> => {
  publisherOfProcess ??= startSesEventPublisher({ target: endpoint, unref: true });
  return publisherOfProcess;
};

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  /** Short label for the environment name. */
  label: string;
  /** Put an AwsFaultProxy in front of these services (e.g. `['SESV2']`). Default none. */
  proxied?: LocalServiceEndpointId[];
  /** Default `fast`. */
  retryProfile?: 'fast' | 'standard';
  /** Handlers' log level. Default `HERALD_E2E_LOG_LEVEL`, else `silent` (the tests read outcomes, not logs). */
  logLevel?: string;
  /** File the handlers write their log lines to (`LOG_FILE`). Default none: stdout. */
  logFile?: string;
  /** Concurrent invocations per queue (SQS event source maximum concurrency). Default 1. */
  concurrency?: number;
  /** The fault proxy forwards one request at a time (see `AwsFaultProxyOptions.serialize`). Default false. */
  serializeProxied?: boolean;
}

/** A running pipeline with its stand-ins and what the test observes of it. */
export interface Pipeline {
  env: string;
  herald: LocalHerald;
  jira: JiraStandIn;
  openai: OpenAiStandIn;
  /** The AWS fault proxy, when {@link PipelineOptions.proxied} names a service. */
  proxy: AwsFaultProxy | undefined;
  clock: TestClock;
  webhookSecret: string;
  /** Every invocation started (any stage or the rescheduler), in order. */
  invocations: InvocationInfo[];
  /** Every invocation finished, in order. */
  results: InvocationResult[];
  /** Every schedule the local scheduler fired, in order. */
  fired: FiredSchedule[];
  /** A contact address unique to this run: `<name>.<env>@<domain>`. */
  address: (name: string, domain?: string) => string;
  /** POSTs a signed Jira version webhook; resolves with the HTTP status. */
  postVersionEvent: (event: string, version: StandInVersion, timestamp?: number) => Promise<number>;
  /** The release's send-point schedules (`rh-<versionId>-`, review schedules left out), sorted by name. */
  schedulesOf: (versionId: string) => Promise<StoredSchedule[]>;
  /** Emails in the emulator's SES store sent to any of `addresses`. */
  emailsTo: (addresses: readonly string[]) => Promise<OutboxEmail[]>;
  /** Waits until `count` emails to `addresses` are stored; resolves with them. */
  waitForEmails: (addresses: readonly string[], count: number, timeoutMs?: number) => Promise<OutboxEmail[]>;
  /** Waits until every schedule in `names` has fired (at least once). */
  waitForFires: (names: readonly string[], timeoutMs?: number) => Promise<void>;
  /**
   * Waits until nothing moves: no invocation running and every stage's main and reschedule queue
   * empty (visible, in flight and, unless `countDelayed` is false, delayed), seen on consecutive
   * checks over `quietMs`.
   */
  waitForIdle: (options?: { quietMs?: number; timeoutMs?: number; countDelayed?: boolean }) => Promise<void>;
  /** Sends `body` straight into a stage's main queue (SQS SendMessage). */
  sendToQueue: (stage: StageName, body: string) => Promise<string>;
  /** Receives what is in a stage's DLQ now (left in flight for `visibilitySeconds`). */
  receiveDlq: (stage: StageName, visibilitySeconds?: number) => Promise<Message[]>;
  /** Stops the herald, the stand-ins and the proxy. */
  stop: () => Promise<void>;
  /** The signing keys of this run's unsubscribe links (the tests open the tokens with them). */
  signingKeys: SigningKeys;
}

/** Options of {@link dayBeforeJob}. */
export interface DayBeforeJobOptions {
  versionId: string;
  projectKey: string;
  releaseDate: string;
  recipients: Recipient[];
  /** Chunk of the point. Default 0 of 1. */
  chunk?: ComposeJob['chunk'];
  /** When the point was due, ISO. Default now. */
  dueAt?: string;
}

/**
 * A compose.job envelope of the `-1d@09:00` point in UTC, as the schedule stage puts it in a
 * schedule (key `<version>:b1d0h0m0900@<date>:UTC:<chunk>`), for tests that queue compose directly.
 */
export const dayBeforeJob = (options: DayBeforeJobOptions) => {
  const chunk = options.chunk ?? { index: 0, count: 1 };
  return wrap('compose.job', `${options.versionId}:b1d0h0m0900@${options.releaseDate}:UTC:${chunk.index}`, {
    versionId: options.versionId,
    projectKey: options.projectKey,
    pointId: 'b1d0h0m0900',
    pointKind: 'before',
    releaseDate: options.releaseDate,
    timeZone: 'UTC',
    dueAt: options.dueAt ?? new Date().toISOString(),
    chunk,
    recipients: options.recipients,
  } satisfies ComposeJob);
};

/**
 * The first schedule of release `versionId` and the AWS fault proxy of a pipeline started with
 * `proxied`: what a fault test arms before it fires the point.
 * @throws Error when the release has no schedule or the pipeline no proxy.
 */
export const scheduleAndProxyOf = async (
  p: Pipeline,
  versionId: string,
): Promise<{ schedule: StoredSchedule; proxy: AwsFaultProxy }> => {
  const [schedule] = await p.schedulesOf(versionId);
  if (!schedule) throw new Error('no schedule');
  if (!p.proxy) throw new Error('no AWS fault proxy');
  return { schedule, proxy: p.proxy };
};

/** `yyyy-mm-dd` of `date` shifted by `days` (UTC calendar). */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Today's UTC date shifted by `days`, `yyyy-mm-dd`. */
export const daysFromToday = (days: number): string => addDays(new Date().toISOString().slice(0, 10), days);

/** Offset of `zone` from UTC at `utcMs`, milliseconds (positive east of Greenwich). */
const zoneOffsetMs = (utcMs: number, zone: string): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) -
    utcMs
  );
};

/**
 * The instant of a wall-clock time in `zone` (`2030-03-24T09:00:00`), for times that exist once
 * (not in a DST gap or overlap: the tests use 09:00). Independent of the pipeline's own zone code.
 */
export const wallClockToUtc = (local: string, zone: string): Date => {
  const asUtc = Date.parse(`${local}Z`);
  const first = asUtc - zoneOffsetMs(asUtc, zone);
  return new Date(asUtc - zoneOffsetMs(first, zone));
};

/** The Jira version webhook body Jira Cloud would POST for `event`. */
export const versionWebhookBody = (event: string, version: StandInVersion, timestamp: number): string =>
  JSON.stringify({
    timestamp,
    webhookEvent: event,
    version: {
      self: `https://example.atlassian.net/rest/api/3/version/${version.id}`,
      id: version.id,
      name: version.name,
      ...(version.description !== undefined ? { description: version.description } : {}),
      archived: version.archived ?? false,
      released: version.released ?? false,
      ...(version.releaseDate !== undefined ? { releaseDate: version.releaseDate } : {}),
      projectId: Number(version.projectId),
    },
  });

/** A send policy from point specs, in UTC with English as the default locale. */
export const policyOf = (points: SendPolicy['points'], onRelease = false): SendPolicy => ({
  ...DEFAULT_SEND_POLICY,
  points,
  onRelease,
  timeZone: 'UTC',
  defaultLocale: 'en',
});

/**
 * Starts stand-ins (Jira, OpenAI, optionally an AWS fault proxy) and the whole pipeline on the
 * shared emulator in a fresh environment, with a test clock on the local scheduler (ticking every
 * 250 ms) and observers recording invocations and fires.
 */
export const startPipeline = async (options: PipelineOptions): Promise<Pipeline> => {
  const env = uniqueEnv(options.label);
  const endpoint = e2eEndpoint();
  const jira = await startJiraStandIn({ email: JIRA_EMAIL, apiToken: JIRA_TOKEN });
  const openai = await startOpenAiStandIn({ apiKey: OPENAI_KEY });
  const proxied = options.proxied ?? [];
  // A proxy in front of SES forwards to an SES event publisher (which forwards everything to the
  // emulator), so SES's events still flow for what the emulator accepts.
  const publisher = proxied.includes('SESV2') ? await sesEventPublisherFor(endpoint) : undefined;
  const proxy =
    proxied.length > 0
      ? await startAwsFaultProxy({
          target: publisher?.url ?? endpoint,
          serialize: options.serializeProxied ?? false,
        })
      : undefined;
  const clock = testClock();
  const webhookSecret = randomBytes(16).toString('hex');
  const signingKeys: SigningKeys = { keys: [randomBytes(32).toString('base64url')] };
  const invocations: InvocationInfo[] = [];
  const results: InvocationResult[] = [];
  const fired: FiredSchedule[] = [];
  let running = 0;

  const herald = await startLocalHerald({
    endpoint,
    env,
    jira: { siteUrl: jira.url, email: JIRA_EMAIL, apiToken: JIRA_TOKEN },
    openai: { apiKey: OPENAI_KEY, baseURL: openai.url, model: 'gpt-e2e' },
    webhookSecret,
    signingKeys: signingKeys.keys,
    senderEmail: SENDER,
    now: clock.now,
    schedulerTickMs: 250,
    retryProfile: options.retryProfile ?? 'fast',
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    logLevel: options.logLevel ?? process.env.HERALD_E2E_LOG_LEVEL ?? 'silent',
    ...(options.logFile ? { logFile: options.logFile } : {}),
    ...(proxy ? { serviceEndpoints: Object.fromEntries(proxied.map((id) => [id, proxy.url])) } : {}),
    onInvoke: (info) => {
      running++;
      invocations.push(info);
    },
    onResult: (result) => {
      running--;
      results.push(result);
    },
    onFire: (f) => {
      fired.push(f);
    },
  });

  const { sqs, schedulerClient, stack } = herald;
  const emailsTo = async (addresses: readonly string[]) => {
    const wanted = new Set(addresses);
    return (await readOutboxRetrying(endpoint)).filter((e) => e.to.some((to) => wanted.has(to)));
  };
  const watchedQueues = STAGES.flatMap((stage) => [stack.queues[stage].main, stack.queues[stage].reschedule]);

  return {
    env,
    herald,
    jira,
    openai,
    proxy,
    clock,
    webhookSecret,
    signingKeys,
    invocations,
    results,
    fired,
    address: (name, domain = 'example.com') => `${name}.${env}@${domain}`,
    postVersionEvent: (event, version, timestamp = Date.now()) =>
      postSignedWebhook(herald.webhookUrl, webhookSecret, versionWebhookBody(event, version, timestamp)),
    schedulesOf: async (versionId) => {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await schedulerClient.send(
          new ListSchedulesCommand({
            GroupName: stack.names.scheduleGroup,
            NamePrefix: `rh-${versionId}-`,
            NextToken,
          }),
        );
        // Send-point schedules only: a review schedule (policy approval) carries a review.job.
        names.push(...(page.Schedules ?? []).map((s) => s.Name ?? '').filter((n) => !n.includes('-review-')));
        NextToken = page.NextToken;
      } while (NextToken);
      const schedules = await Promise.all(
        names.map(async (name) => {
          const s = await schedulerClient.send(
            new GetScheduleCommand({ Name: name, GroupName: stack.names.scheduleGroup }),
          );
          const input = s.Target?.Input ?? '';
          return {
            name,
            at: /^at\((.*)\)$/.exec(s.ScheduleExpression ?? '')?.[1] ?? '',
            timeZone: s.ScheduleExpressionTimezone ?? '',
            job: composeJobMessage.parse(JSON.parse(input)),
            input,
          };
        }),
      );
      return schedules.sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    emailsTo,
    waitForEmails: (addresses, count, timeoutMs = 30_000) =>
      waitFor(
        `${count} emails to ${addresses.length} recipients`,
        async () => {
          const emails = await emailsTo(addresses);
          return emails.length >= count ? emails : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      ),
    waitForFires: async (names, timeoutMs = 15_000) => {
      await waitFor(
        `schedules ${names.join(', ')} to fire`,
        () => (names.every((n) => fired.some((f) => f.name === n)) ? true : undefined),
        { timeoutMs, intervalMs: 100 },
      );
    },
    waitForIdle: async ({ quietMs = 1500, timeoutMs = 45_000, countDelayed = true } = {}) => {
      let quietSince: number | undefined;
      let busy = '';
      try {
        await waitFor(
          'the pipeline to go idle',
          async () => {
            if (running > 0) {
              busy = `${running} invocations running`;
              quietSince = undefined;
              return undefined;
            }
            const depths = await Promise.all(
              watchedQueues.map(async (q) => ({ queue: q.name, ...(await queueDepth(sqs, q.url)) })),
            );
            const loaded = depths.filter((d) => d.visible + d.inFlight + (countDelayed ? d.delayed : 0) > 0);
            if (loaded.length > 0 || running > 0) {
              busy = JSON.stringify(loaded);
              quietSince = undefined;
              return undefined;
            }
            quietSince ??= Date.now();
            return Date.now() - quietSince >= quietMs ? true : undefined;
          },
          { timeoutMs, intervalMs: 250 },
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}; still busy: ${busy}`, { cause: err });
      }
    },
    sendToQueue: async (stage, body) => {
      const sent = await sqs.send(
        new SendMessageCommand({ QueueUrl: stack.queues[stage].main.url, MessageBody: body }),
      );
      return sent.MessageId ?? '';
    },
    receiveDlq: (stage, visibilitySeconds = 30) =>
      receiveNow(sqs, stack.queues[stage].dlq.url, visibilitySeconds),
    stop: async () => {
      await herald.stop();
      await Promise.all([jira.close(), openai.close(), proxy?.close()]);
      // startLocalHerald set these for the handlers; leave no pointer to a closed proxy behind.
      for (const id of proxied) delete process.env[`AWS_ENDPOINT_URL_${id}`];
    },
  };
};
