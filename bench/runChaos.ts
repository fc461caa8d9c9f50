import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListSchedulesCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { stackNames } from '#local/stackNames';
import { type SesEventPublisher, startSesEventPublisher } from '#local/SesEventPublisher';
import { MIN_SEND_LEASE_SECONDS } from '#shared/config';
import { type AwsFaultProxy, sesThrottlingFault, startAwsFaultProxy } from '#test/standins/AwsFaultProxy';
import { type Fault, type ChaosOptions as FaultChaos, seededRandom } from '#test/standins/faults';
import { startJiraStandIn } from '#test/standins/JiraStandIn';
import { startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { STAGES, type StageName } from '#topology/topology';
import { emulatorClients, freshEnv, STANDIN_CREDENTIALS, workerOptionsFor } from './BenchContext.ts';
import {
  type BenchRelease,
  deliverWebhook,
  offsetPastLastRelease,
  seedWorkload,
  versionCreatedBody,
} from './fixtures.ts';
import { deadLetters, pendingWork, stackDepths, until as untilRaw, WaitTimeoutError } from './queues.ts';
import { countDeliveries, type DeliveryCount, readStoredEmails } from './sesStore.ts';
import { WorkerProcess } from './WorkerProcess.ts';

/** When the worker process is SIGKILLed (and started again). */
export type ChaosKill =
  /** Halfway through the webhooks, once scheduling is under way: ingest, enrich and schedule in flight. */
  | 'scheduling'
  /** At a random moment (seeded: after 20-60% of the emails) while compose and send run. */
  | 'sending'
  /**
   * Between SES's acceptance of an email and the ledger's record of it: the next SendEmail goes
   * through to the emulator, its answer is held, and the worker dies waiting for it.
   */
  | 'ses-accepted';

/** Every kill, in the order a run makes them. */
export const CHAOS_KILLS: readonly ChaosKill[] = ['scheduling', 'sending', 'ses-accepted'];

/** Options of {@link runChaos}. */
export interface ChaosRunOptions {
  /** AWS emulator endpoint (moto: the run reads the SES store). */
  endpoint: string;
  releases: number;
  /** Send points per release, 1..3 (of 7 days, 1 day before and on the day). Default 3. */
  points?: number;
  /** Recipients per project. */
  recipients: number;
  /** Releases per project. Default 5. */
  releasesPerProject?: number;
  /** Probability of a fault on each Jira, OpenAI and SES SendEmail call, 0..1. Default 0.3. */
  faultRate?: number;
  /**
   * Share of SES SendEmail calls whose answer is lost after the emulator accepted the email (an
   * ambiguous outcome: reset at once, or held until the SDK times out), within `faultRate`.
   * Default 0.12 (at most `faultRate`).
   */
  ambiguousRate?: number;
  /** PRNG seed of the faults and the duplicate webhooks. Default 42. */
  seed?: number;
  /** Kills, in order. Default {@link CHAOS_KILLS}. */
  kills?: readonly ChaosKill[];
  /** Share of webhooks delivered twice at once, 0..1. Default 0.3. */
  duplicateRate?: number;
  /** Webhooks delivered once more after the points fired (Jira's late retries). Default 10% of releases, at least 1. */
  lateDuplicates?: number;
  /**
   * Function timeout of every stage, seconds (receive visibility 5 s more). Default
   * {@link CHAOS_FUNCTION_TIMEOUT_SECONDS}. Shorter budgets make records run out of time mid-batch.
   */
  functionTimeoutSeconds?: number;
  /** Longest the run may take before it gives up and reports what is missing, ms. Default 20 minutes. */
  timeoutMs?: number;
  /** Folder for the worker log. Default a new temporary folder. */
  logDir?: string;
  /** Progress lines for a person. Default none. */
  say?: (text: string) => void;
}

/** Faults injected into one dependency, against its calls. */
export interface FaultFigures {
  calls: number;
  faults: number;
}

/** What a chaos run saw. */
export interface ChaosReport extends DeliveryCount {
  releases: number;
  points: number;
  recipients: number;
  faultRate: number;
  seed: number;
  /**
   * Faults injected per dependency, against its calls (SES: SendEmail only; `answersLost` = of
   * those, the ambiguous ones: forwarded to the emulator, which accepted the email, then the
   * answer reset or held past the SDK's timeout, the `ses-accepted` kill's included).
   */
  faults: { jira: FaultFigures; openai: FaultFigures; ses: FaultFigures & { answersLost: number } };
  /**
   * Unknown SendEmail outcomes: `unknown` = `email_send_outcome_unknown` lines (ambiguous SES
   * errors, the state `ambiguous`); `resolved` = `email_send_resolved` lines (settled as sent from
   * SES's events instead of sending again: after an ambiguous error or a taken-over claim);
   * `resent` = `email_send_unresolved` lines (no SES event: SES had not taken it, so it was sent
   * or left to its lease); `eventsPublished` = SES events the local publisher put on the bus.
   */
  ambiguous: { unknown: number; resolved: number; unresolved: number; eventsPublished: number };
  /** Records received again (ApproximateReceiveCount above 1), over every stage and generation. */
  redeliveries: number;
  /** Faults injected plus redeliveries. */
  retries: number;
  /** `record_failed` / `record_rescheduled` log lines (handler failures the ladder retried). */
  failedRecords: number;
  rescheduled: number;
  webhooks: {
    releases: number;
    immediateDuplicates: number;
    lateDuplicates: number;
    refusedAttempts: number;
  };
  /** What was killed when. */
  kills: string[];
  /** Messages left in each stage's DLQ. */
  dlq: Record<StageName, number>;
  wallMs: number;
  /** duplicates = 0, missing = 0, nothing unexpected, every DLQ empty. */
  ok: boolean;
  /** The worker log. */
  logFile: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Client timeouts of the stages against the stand-ins, ms (the smallest the configuration allows). */
const CLIENT_TIMEOUT_MS = 1000;

/**
 * Function timeout of every stage in the chaos run, seconds: the send function's own (the
 * shortest in the topology), so the send stage runs with its production budget.
 */
export const CHAOS_FUNCTION_TIMEOUT_SECONDS = 30;

/** Receive visibility of every queue in the chaos run beyond the function timeout, seconds. */
export const CHAOS_VISIBILITY_MARGIN_SECONDS = 5;

/** Pause after each webhook in each of the two delivery lanes, ms (about 10 webhooks a second). */
const WEBHOOK_PACE_MS = 200;

/** The faults each dependency gets: 5xx, 429 with Retry-After, a wait past the client timeout, a dropped connection. */
const httpFaults: Fault[] = [
  { status: 500 },
  { status: 503 },
  { status: 429, retryAfterSeconds: 1 },
  { delayMs: CLIENT_TIMEOUT_MS * 2 },
  { drop: true },
];

/**
 * SES faults, with their weights: before the emulator sees the email, 5xx and dropped
 * connections (SesMailer: outcome unknown, so the send stage asks SES's events and finds none),
 * throttling with Retry-After and a slow answer; after the emulator accepted it, the answer lost
 * (reset at once, or held until the SDK's 10 s timeout): the "maybe sent" outcome SES's events
 * settle. The lost answers weigh `ambiguousRate / faultRate` of all faults, 3 resets to 1 hold.
 */
const sesFaultsOf = (faultRate: number, ambiguousRate: number): { kinds: Fault[]; weights: number[] } => {
  const before: Fault[] = [
    { status: 500 },
    { status: 503 },
    { ...sesThrottlingFault(), retryAfterSeconds: 1 },
    { drop: true },
    { delayMs: 500 },
  ];
  const lost = Math.min(1, ambiguousRate / faultRate);
  const other = (1 - lost) / before.length;
  return {
    kinds: [...before, { answerLost: 'drop' }, { answerLost: 'hang' }],
    weights: [...before.map(() => other || 1e-9), lost * 0.75, lost * 0.25],
  };
};

/** SES event wait of the chaos worker, seconds: the local publisher's events land within a second or two. */
const CHAOS_SES_EVENT_WAIT_SECONDS = 3;

const countSchedules = async (client: SchedulerClient, group: string): Promise<number> => {
  let total = 0;
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListSchedulesCommand({ GroupName: group, MaxResults: 100, NextToken }),
    );
    total += page.Schedules?.length ?? 0;
    NextToken = page.NextToken;
  } while (NextToken);
  return total;
};

/** Runs `work` over `items`, `limit` at a time. */
const eachLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
};

/**
 * The chaos run: releases × points × recipients through the local stack in a worker process
 * (local/worker.ts), with seeded faults on a share of every Jira, OpenAI and SES
 * SendEmail call, duplicate webhook deliveries (at once and late), and the worker SIGKILLed and
 * started again mid-run. Then it counts, from the emulator's SES store, what every recipient got.
 *
 * Timeline:
 * 1. stand-ins, an SesEventPublisher in front of the emulator's SES and an AwsFaultProxy in front
 *    of it; a worker with the `fast` retry profile, 1 s
 *    client timeouts, the shortest send lease the configuration allows (60 s), 2 pollers per
 *    queue, every function timeout capped at the send function's 30 s and a receive visibility
 *    5 s above it, so that what a killed worker had in flight comes back in seconds rather than
 *    after the topology's visibility (12 minutes for compose);
 * 2. the workload: releases dated 30+ days ahead (the schedule stage plans on the real clock),
 *    contacts and the policy; faults switched on;
 * 3. signed `jira:version_created` webhooks (some twice at once); kill `scheduling` halfway;
 * 4. once every point has its schedule, the worker's scheduler clock jumps a day past the last
 *    release date (time travel): every point falls due; late duplicate webhooks follow, which
 *    schedule the points again for the send ledger to drop;
 * 5. kill `sending` at a seeded random moment once 20-60% of the emails are out, and kill
 *    `ses-accepted` right after the emulator accepted an email whose answer the proxy holds: the
 *    worker dies between SES's acceptance and the ledger's `markSent`. Throughout, a share of
 *    SendEmail answers is lost after acceptance; SES's events, which the local SesEventPublisher
 *    (in this process, so a kill cannot lose them) puts on the default bus for every accepted
 *    email, let the send stage record those emails as sent instead of sending them again;
 * 6. waits until every queue is empty and no schedule is left, then counts.
 */
export const runChaos = async (options: ChaosRunOptions): Promise<ChaosReport> => {
  const say = options.say ?? (() => undefined);
  const faultRate = options.faultRate ?? 0.3;
  const seed = options.seed ?? 42;
  const kills = options.kills ?? CHAOS_KILLS;
  const ambiguousRate = Math.min(faultRate, options.ambiguousRate ?? 0.12);
  const timeoutMs = options.timeoutMs ?? 20 * 60_000;
  const functionTimeoutSeconds = options.functionTimeoutSeconds ?? CHAOS_FUNCTION_TIMEOUT_SECONDS;
  const random = seededRandom(seed ^ 0x5eed);
  const started = Date.now();
  const deadline = started + timeoutMs;
  const remaining = () => Math.max(1000, deadline - Date.now());

  const clients = emulatorClients(options.endpoint);
  const jira = await startJiraStandIn({
    email: STANDIN_CREDENTIALS.jiraEmail,
    apiToken: STANDIN_CREDENTIALS.jiraToken,
  });
  const openai = await startOpenAiStandIn({ apiKey: STANDIN_CREDENTIALS.openaiKey });
  let proxy: AwsFaultProxy | undefined;
  let publisher: SesEventPublisher | undefined;
  let worker: WorkerProcess | undefined;
  const env = freshEnv('chaos');
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'herald-chaos-')));
  const logFile = join(logDir, `${env}.log`);
  try {
    publisher = await startSesEventPublisher({ target: options.endpoint });
    proxy = await startAwsFaultProxy({ target: publisher.url });
    const ses = proxy;
    const sesEvents = publisher;
    worker = new WorkerProcess(
      workerOptionsFor({ endpoint: options.endpoint, jira, openai }, env, {
        retryProfile: 'fast',
        concurrency: 2,
        schedulerTickMs: 500,
        functionTimeoutSeconds,
        visibilityTimeoutSeconds: functionTimeoutSeconds + CHAOS_VISIBILITY_MARGIN_SECONDS,
        sendLeaseSeconds: MIN_SEND_LEASE_SECONDS,
        jiraTimeoutMs: CLIENT_TIMEOUT_MS,
        openaiTimeoutMs: CLIENT_TIMEOUT_MS,
        serviceEndpoints: { SESV2: ses.url },
        sesEventWaitSeconds: CHAOS_SES_EVENT_WAIT_SECONDS,
      }),
      { logFile },
    );
    const w = worker;
    // Every wait also fails fast when the worker dies without being killed.
    const until: typeof untilRaw = (what, probe, timing) =>
      untilRaw(
        what,
        () => {
          w.assertHealthy();
          return probe();
        },
        timing,
      );
    let redeliveries = 0;
    w.onLine((line) => {
      if (line.msg === 'worker_invocation') redeliveries += Number(line.redelivered) || 0;
    });
    say(`worker log: ${logFile}`);
    await w.start();

    const directory = new DynamoDirectory({
      client: clients.documents,
      tableName: stackNames(env).tables.directory,
    });
    const workload = await seedWorkload(jira, directory, {
      releases: options.releases,
      recipients: options.recipients,
      releasesPerProject: options.releasesPerProject ?? 5,
      ...(options.points !== undefined ? { points: options.points } : {}),
      tag: env,
    });
    const expected = workload.expected.size;
    say(
      `${env}: ${workload.releases.length} releases × ${workload.points.length} points × ${options.recipients} recipients = ${expected} emails; faults on ${Math.round(faultRate * 100)}% of calls, SES answers lost after acceptance on ${Math.round(ambiguousRate * 100)}% of SendEmail (seed ${seed})`,
    );

    const chaosOf = (kinds: Fault[], salt: number, route?: string): FaultChaos => ({
      rate: faultRate,
      kinds,
      seed: seed + salt,
      ...(route ? { route } : {}),
    });
    const sesFaults = sesFaultsOf(faultRate, ambiguousRate);
    const sesChaos = { ...chaosOf(sesFaults.kinds, 3, 'SESv2.SendEmail'), weights: sesFaults.weights };
    jira.faults.chaos(chaosOf(httpFaults, 1));
    openai.faults.chaos(chaosOf(httpFaults, 2));
    ses.faults.chaos(sesChaos);

    const killLog: string[] = [];
    /** SIGKILLs the worker (`before` runs just before), then starts it again. */
    const killAndRestart = async (what: () => string, before?: () => Promise<void>) => {
      await before?.();
      const pid = w.pid;
      await w.kill();
      killLog.push(what());
      say(`SIGKILLed worker ${pid} ${killLog.at(-1)}`);
      await sleep(1000);
      await w.start();
      say(`worker restarted (pid ${w.pid}, generation ${w.generation})`);
    };

    // 3. Webhooks, some twice; the scheduling kill halfway.
    const secret = STANDIN_CREDENTIALS.webhookSecret;
    const bodies = new Map<string, string>();
    let immediateDuplicates = 0;
    let refusedAttempts = 0;
    let delivered = 0;
    const deliver = async (release: BenchRelease) => {
      const body = bodies.get(release.versionId) ?? versionCreatedBody(release, Date.now());
      bodies.set(release.versionId, body);
      const times = random() < (options.duplicateRate ?? 0.3) ? 2 : 1;
      if (times === 2) immediateDuplicates += 1;
      for (let i = 0; i < times; i++)
        refusedAttempts += (await deliverWebhook(() => w.ready.webhookUrl, secret, body)) - 1;
      delivered += 1;
      // Jira sends webhooks as versions change, not all at once: the scheduling kill then finds
      // some still to come, which Jira-like retries deliver once the worker is back.
      await sleep(WEBHOOK_PACE_MS);
    };
    const webhooks = eachLimited(workload.releases, 2, deliver);
    if (kills.includes('scheduling')) {
      const half = Math.ceil(workload.releases.length / 2);
      await until('scheduling under way', () => delivered >= half && w.count('release_scheduled') > 0, {
        timeoutMs: remaining(),
        intervalMs: 20,
      });
      await killAndRestart(
        () =>
          `during scheduling (${delivered}/${workload.releases.length} webhooks delivered, ${w.count('schedule_created')} schedules created)`,
      );
    }
    await webhooks;
    say(
      `webhooks delivered: ${workload.releases.length} + ${immediateDuplicates} duplicates (${refusedAttempts} attempts refused while the worker was down)`,
    );

    // 4. Every point scheduled, then time travel.
    const wanted = workload.releases.length * workload.points.length;
    let schedules = 0;
    await until(
      `${wanted} schedules`,
      async () => {
        schedules = await countSchedules(clients.scheduler, w.ready.scheduleGroup);
        if (schedules < wanted) return false;
        const depths = await stackDepths(clients.sqs, w.ready.queues);
        return (['ingest', 'enrich', 'schedule'] as const).every(
          (s) => depths[s].main.visible + depths[s].main.inFlight + depths[s].main.delayed === 0,
        );
      },
      { timeoutMs: remaining(), intervalMs: 1000 },
    );
    say(`${schedules} schedules exist; scheduler clock jumps to ${workload.lastReleaseDate} + 1 day`);
    w.setClockOffset(offsetPastLastRelease(workload));

    // Late duplicates once sending is under way; the sending kill later.
    const late = Math.min(
      workload.releases.length,
      options.lateDuplicates ?? Math.max(1, Math.round(workload.releases.length / 10)),
    );
    await until('first emails', () => w.count('email_sent') > 0, { timeoutMs: remaining(), intervalMs: 100 });
    const lateDeliveries = eachLimited(workload.releases.slice(0, late), 2, async (release) => {
      refusedAttempts +=
        (await deliverWebhook(() => w.ready.webhookUrl, secret, bodies.get(release.versionId) ?? '')) - 1;
    });
    if (kills.includes('sending')) {
      const mark = Math.max(1, Math.floor(expected * (0.2 + 0.4 * random())));
      await until(`${mark} emails sent`, () => w.count('email_sent') >= mark, {
        timeoutMs: remaining(),
        intervalMs: 50,
      });
      await killAndRestart(
        () => `while sending, at a random moment (${w.count('email_sent')}/${expected} emails sent)`,
      );
    }
    if (kills.includes('ses-accepted')) {
      // The next SendEmail reaches the emulator, which accepts the email; its answer is held, and
      // the worker dies waiting for it: SES has the email, the ledger says `claimed`.
      const before = ses.faults.counters.answersLost;
      ses.faults.enqueue({ answerLost: 'hang' }, { route: 'SESv2.SendEmail' });
      await killAndRestart(
        () =>
          `between SES's acceptance and the ledger write (${w.count('email_sent')}/${expected} emails sent)`,
        () =>
          until(
            'an email accepted by SES with its answer held',
            () => ses.faults.counters.answersLost > before && ses.faults.pending === 0,
            { timeoutMs: remaining(), intervalMs: 20 },
          ).then(() => sleep(500)),
      );
    }
    await lateDeliveries;
    say(`late duplicate webhooks delivered: ${late}`);

    // 6. Until nothing is left to do (or the time is up).
    let idleStreak = 0;
    let lastReport = 0;
    await until(
      'every queue empty and every schedule fired',
      async () => {
        const depths = await stackDepths(clients.sqs, w.ready.queues);
        const pending = pendingWork(depths);
        const left = pending === 0 ? await countSchedules(clients.scheduler, w.ready.scheduleGroup) : -1;
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          say(`progress: ${w.count('email_sent')}/${expected} email_sent lines, ${pending} messages pending`);
        }
        idleStreak = pending === 0 && left === 0 ? idleStreak + 1 : 0;
        return idleStreak >= 2;
      },
      { timeoutMs: remaining(), intervalMs: 2500 },
    ).catch((err: unknown) => {
      // Out of time: count what did arrive. Anything else (a worker crash) fails the run.
      if (!(err instanceof WaitTimeoutError)) throw err;
      say(`giving up: ${err.message}`);
    });

    const stored = await readStoredEmails(options.endpoint, (e) => e.to.some((to) => to.includes(env)));
    const delivery = countDeliveries(workload.expected, stored);
    const dlq = deadLetters(await stackDepths(clients.sqs, w.ready.queues));
    const jc = jira.faults.counters.total;
    const oc = openai.faults.counters.total;
    const sc = ses.faults.counters.byRoute['SESv2.SendEmail'] ?? 0;
    const faults = {
      jira: { calls: jira.requests.count(), faults: jc },
      openai: { calls: openai.requests.count(), faults: oc },
      ses: {
        calls: ses.requests.count('SESv2.SendEmail'),
        faults: sc,
        answersLost: ses.faults.counters.answersLost,
      },
    };
    const ambiguous = {
      unknown: w.count('email_send_outcome_unknown'),
      resolved: w.count('email_send_resolved'),
      unresolved: w.count('email_send_unresolved'),
      eventsPublished: sesEvents.counts.events,
    };
    const report: ChaosReport = {
      ...delivery,
      releases: workload.releases.length,
      points: workload.points.length,
      recipients: options.recipients,
      faultRate,
      seed,
      faults,
      ambiguous,
      redeliveries,
      retries: jc + oc + sc + redeliveries,
      failedRecords: w.count('record_failed'),
      rescheduled: w.count('record_rescheduled'),
      webhooks: {
        releases: workload.releases.length,
        immediateDuplicates,
        lateDuplicates: late,
        refusedAttempts,
      },
      kills: killLog,
      dlq,
      wallMs: Date.now() - started,
      ok:
        delivery.duplicates === 0 &&
        delivery.missing === 0 &&
        delivery.unexpected === 0 &&
        STAGES.every((s) => dlq[s] === 0),
      logFile,
    };
    return report;
  } finally {
    await worker?.close();
    await Promise.all([jira.close(), openai.close(), proxy?.close(), publisher?.close()]);
    clients.destroy();
  }
};

/** The report as the lines `npm run chaos` prints. */
export const formatChaosReport = (r: ChaosReport): string => {
  const pct = (f: FaultFigures) =>
    `${f.faults}/${f.calls} calls (${f.calls ? Math.round((100 * f.faults) / f.calls) : 0}%)`;
  const rows: [string, string][] = [
    [
      'workload',
      `${r.releases} releases × ${r.points} points × ${r.recipients} recipients, faults on ${Math.round(r.faultRate * 100)}% of calls, seed ${r.seed}`,
    ],
    ['expected emails', String(r.expected)],
    ['sent', String(r.sent)],
    ['duplicates', String(r.duplicates)],
    ['missing', String(r.missing)],
    ['unexpected', String(r.unexpected)],
    [
      'retries',
      `${r.retries} = faults injected (Jira ${pct(r.faults.jira)}, OpenAI ${pct(r.faults.openai)}, SES SendEmail ${pct(r.faults.ses)}) + ${r.redeliveries} redeliveries`,
    ],
    [
      'ambiguous SES faults',
      `${r.faults.ses.answersLost}/${r.faults.ses.calls} SendEmail calls (${r.faults.ses.calls ? Math.round((100 * r.faults.ses.answersLost) / r.faults.ses.calls) : 0}%) accepted by SES, then the answer reset or held past the SDK timeout`,
    ],
    [
      'ambiguous outcomes resolved by SES events',
      `${r.ambiguous.resolved} recorded as sent from SES's events instead of sent again (${r.ambiguous.unknown} ambiguous SES errors, state ambiguous; ${r.ambiguous.unresolved} without an SES event, so not accepted; ${r.ambiguous.eventsPublished} SES events published)`,
    ],
    ['failed records', `${r.failedRecords} retried by the ladder, ${r.rescheduled} rescheduled`],
    [
      'webhooks',
      `${r.webhooks.releases} + ${r.webhooks.immediateDuplicates} immediate duplicates + ${r.webhooks.lateDuplicates} late duplicates (${r.webhooks.refusedAttempts} attempts refused while the worker was down)`,
    ],
    ['kills', r.kills.length ? r.kills.join('; ') : 'none'],
    ['DLQ messages', STAGES.map((s) => `${s} ${r.dlq[s]}`).join(', ')],
    ['wall time', `${Math.round(r.wallMs / 1000)} s`],
    ['worker log', r.logFile],
    [
      'result',
      r.ok ? 'PASS' : 'FAIL (needs duplicates = 0, missing = 0, nothing unexpected, every DLQ empty)',
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
};
