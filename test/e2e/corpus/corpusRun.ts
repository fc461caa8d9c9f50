import { ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { issueKey } from '#contracts/emailDraft';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { type LocalHerald, startLocalHerald } from '#local/LocalHerald';
import type { InvocationResult } from '#local/LocalLambdaRuntime';
import { type OutboxEmail, readOutbox } from '#local/Outbox';
import { sign, versionWebhookBody } from '#test/corpus/cases/bodies';
import { plainIssues } from '#test/corpus/cases/jira';
import { type LlmRouter, startLlmRouter } from '#test/corpus/LlmRouter';
import type { LlmBehaviour, LoadedCase } from '#test/corpus/types';
import { queueDepth, receiveNow } from '#test/e2e/local/support';
import {
  type JiraStandIn,
  type StandInIssue,
  type StandInVersion,
  startJiraStandIn,
} from '#test/standins/JiraStandIn';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { QUEUE_ROLES, resourceName, STAGES, type StageName } from '#topology/topology';

/** One message found in a stage's DLQ. */
export interface DlqEntry {
  stage: StageName;
  body: string;
  /** String message attributes (`herald-reason`, `herald-error`, ...). */
  attributes: Record<string, string>;
}

/** One invocation's view of one record, attributed to a case. */
export interface RecordSeen {
  /** `ingest`, `enrich`, ... or `rescheduler`. */
  fn: string;
  messageId: string;
  outcome: InvocationResult['outcome'];
  /** True when the record was left on the queue (reported failed). */
  left: boolean;
  durationMs: number;
}

/** Everything the run saw of one case. */
export interface CaseOutcome {
  http?: { status: number; body: string };
  dlq: DlqEntry[];
  emails: OutboxEmail[];
  records: RecordSeen[];
  /** Keys of the release's issues as Jira has them (valid keys only). */
  releaseKeys: Set<string>;
}

/** What {@link runCorpus} returns. */
export interface CorpusRunResult {
  herald: LocalHerald;
  jira: JiraStandIn;
  openAi: OpenAiStandIn;
  router: LlmRouter;
  outcomes: Map<string, CaseOutcome>;
  /** Emails sent during the run that no case owns, or to an address its case does not have. */
  foreignEmails: OutboxEmail[];
  /** DLQ entries no case owns. */
  strayDlq: DlqEntry[];
  /** Invocations per `<function>:<messageId>`. */
  invocations: Map<string, number>;
  /** Queue depth of every main and reschedule queue once the run settled. */
  depths: Array<{ queue: string; visible: number; inFlight: number; delayed: number }>;
  /** Phases that ran out of time (the cases still waiting, by name). */
  timeouts: Array<{ phase: string; waiting: string[] }>;
  /** Wall time of each phase, ms. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** Options of {@link runCorpus}. */
export interface CorpusRunOptions {
  endpoint: string;
  env: string;
  secret: string;
  cases: readonly LoadedCase[];
  /** The signing keys of unsubscribe links (see `startLocalHerald`). Default a random one. */
  signingKeys?: readonly string[];
  /** Longest wait for each phase, ms. Default 90 s. */
  phaseTimeoutMs?: number;
}

const SENDER = 'releases@example.com';
/** Where the corpus policy links issue keys: `<base><KEY>`, never the Jira site. */
export const CORPUS_ISSUE_LINK_BASE = 'https://changes.example.com/issues/';
const JIRA_AUTH = { email: 'corpus@example.com', apiToken: 'corpus-token' };
const OPENAI_KEY = 'corpus-key';
/** The one send point of every case's project: the day before the release, 09:00 UTC. */
const POLICY = {
  points: parsePointSpecs('-1d@09:00'),
  onRelease: false,
  timeZone: 'UTC',
  defaultLocale: 'en',
  // Links on, so every case exercises the link path of the renderer (the default shows none).
  references: 'links',
  linkTemplate: `${CORPUS_ISSUE_LINK_BASE}{key}`,
} as const;
/** How far the scheduler's clock jumps to make every send point due (the release is 30 days out). */
const FIRE_OFFSET_MS = 40 * 86_400_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items`, `limit` at a time. */
const eachLimited = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
};

const markerPattern = (c: LoadedCase) => new RegExp(`\\b${c.ids.marker}\\b|"versionId":"${c.ids.versionId}"`);

/** The issues a release case seeds (computed once: the big ones are 10,000 objects). */
const issuesOf = (c: LoadedCase): StandInIssue[] =>
  c.input.kind === 'release' ? (c.input.issues?.(c.ids) ?? plainIssues(c.ids.projectKey)) : [];

const versionPath = (versionId: string) => new RegExp(`^/rest/api/3/version/${versionId}$`);

/**
 * Runs the corpus through one local herald: seeds Jira and the directory, posts every case's
 * webhook, waits until each release is scheduled (or dead-lettered), applies the "at fire time"
 * changes, jumps the scheduler's clock so every send point is due, and waits for every case's
 * outcome and for the queues to drain. Collects HTTP answers, DLQ entries (drained), emails
 * (from the emulator's SES) and every invocation, attributed to cases by marker and version id.
 */
export const runCorpus = async (options: CorpusRunOptions): Promise<CorpusRunResult> => {
  const { cases, env } = options;
  const phaseTimeoutMs = options.phaseTimeoutMs ?? 90_000;
  const timings: Record<string, number> = {};
  const timeouts: CorpusRunResult['timeouts'] = [];
  const outcomes = new Map<string, CaseOutcome>();
  const issues = new Map<string, StandInIssue[]>();
  for (const c of cases) {
    const list = issuesOf(c);
    issues.set(c.name, list);
    outcomes.set(c.name, {
      dlq: [],
      emails: [],
      records: [],
      releaseKeys: new Set(list.map((i) => i.key).filter((k) => issueKey.safeParse(k).success)),
    });
  }
  const outcome = (c: LoadedCase) => outcomes.get(c.name) as CaseOutcome;
  const patterns = cases.map((c) => [c, markerPattern(c)] as const);
  const owner = (body: string) => patterns.find(([, p]) => p.test(body))?.[0];

  const byKey = new Map<string, LlmBehaviour>();
  for (const c of cases)
    if (c.input.kind === 'release' && c.input.llm) byKey.set(c.ids.projectKey, c.input.llm);

  const jira = await startJiraStandIn(JIRA_AUTH);
  const openAi = await startOpenAiStandIn({ apiKey: OPENAI_KEY });
  const router = await startLlmRouter({
    standIn: openAi,
    behaviourOf: (keys) => {
      const key = keys.map((k) => k.replace(/-\d+$/, '')).find((k) => byKey.has(k));
      return key === undefined ? { mode: 'valid' } : byKey.get(key);
    },
  });

  const invocations = new Map<string, number>();
  const prefix = `${resourceName('', env)}`;
  let clockOffset = 0;
  const herald = await startLocalHerald({
    endpoint: options.endpoint,
    env,
    jira: { siteUrl: jira.url, ...JIRA_AUTH },
    openai: { apiKey: OPENAI_KEY, baseURL: router.url },
    webhookSecret: options.secret,
    signingKeys: options.signingKeys,
    senderEmail: SENDER,
    retryProfile: 'fast',
    schedulerTickMs: 500,
    now: () => new Date(Date.now() + clockOffset),
    // Handlers log every dead-lettered record at error level: silent unless asked for.
    logLevel: process.env.HERALD_CORPUS_LOG_LEVEL ?? 'silent',
    onResult: (result) => {
      const fn = result.functionName.slice(prefix.length);
      const left = new Set(result.left);
      for (const record of (result.event as SQSEvent).Records) {
        const id = `${fn}:${record.messageId}`;
        invocations.set(id, (invocations.get(id) ?? 0) + 1);
        const c = owner(record.body);
        if (c) {
          outcome(c).records.push({
            fn,
            messageId: record.messageId,
            outcome: result.outcome,
            left: left.has(record.messageId),
            durationMs: result.durationMs,
          });
        }
      }
    },
  });

  const stop = async () => {
    await herald.stop();
    await Promise.all([router.close(), openAi.close(), jira.close()]);
  };

  try {
    const baseline = new Set((await readOutbox(options.endpoint)).map((e) => e.id));
    let started = Date.now();

    // Seed Jira and the directory.
    await eachLimited(cases, 6, async (c) => {
      if (c.input.kind !== 'release') return;
      const { ids, input } = c;
      if (input.project !== false) {
        jira.putProject({
          id: ids.projectId,
          key: ids.projectKey,
          name: input.project?.name ?? `Project ${ids.projectKey}`,
        });
      }
      jira.putVersion({
        id: ids.versionId,
        projectId: ids.projectId,
        name: `Release ${ids.projectKey}`,
        description: 'A release of the hostile input corpus.',
        releaseDate: ids.releaseDate,
        ...input.version,
      } as StandInVersion);
      jira.setIssues(ids.versionId, issues.get(c.name) ?? []);
      if (input.versionAnswer?.from === 'enrich') {
        jira.faults.enqueue(
          { status: 200, body: input.versionAnswer.body },
          { route: versionPath(ids.versionId), times: 1000 },
        );
      }
      await herald.directory.putPolicy(ids.projectKey, POLICY);
      const contacts = input.contacts ?? [{ name: 'Client' }];
      for (const [i, contact] of contacts.entries()) {
        await herald.directory.putContact(ids.projectKey, {
          email: ids.recipients[i] as string,
          ...(contact.name !== undefined ? { name: contact.name } : {}),
          ...(contact.locale !== undefined ? { locale: contact.locale } : {}),
          timeZone: 'UTC',
          optedOut: false,
        });
      }
    });
    timings.seed = Date.now() - started;

    // Post every webhook.
    started = Date.now();
    const base = herald.webhookUrl.replace(/\/$/, '');
    await eachLimited(cases, 6, async (c) => {
      const { input, ids } = c;
      let method = 'POST';
      let path = '/';
      let body: Buffer;
      let signature: string | undefined;
      if (input.kind === 'webhook') {
        method = input.method ?? 'POST';
        path = input.path ?? '/';
        const raw = input.body(ids);
        body = typeof raw === 'string' ? Buffer.from(raw) : raw;
        const spec = input.signature ?? 'valid';
        signature =
          spec === 'valid'
            ? sign(body, ids.secret)
            : spec === 'none'
              ? undefined
              : 'secret' in spec
                ? sign(body, spec.secret)
                : spec.header(body, ids.secret);
      } else {
        body = Buffer.from(
          versionWebhookBody(ids, {
            event: input.event,
            version: input.webhookVersion,
            extra: input.webhookExtra,
          }),
        );
        signature = sign(body, ids.secret);
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signature !== undefined) headers['x-hub-signature'] = signature;
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      });
      outcome(c).http = { status: response.status, body: await response.text() };
    });
    timings.post = Date.now() - started;

    const dlqUrls = STAGES.map((stage) => [stage, herald.stack.queues[stage].dlq.url] as const);
    const strayDlq: DlqEntry[] = [];
    const drainDlqs = async () => {
      for (const [stage, url] of dlqUrls) {
        for (;;) {
          const messages = await receiveNow(herald.sqs, url);
          if (messages.length === 0) break;
          for (const m of messages) {
            const attributes: Record<string, string> = {};
            for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
              if (value.StringValue !== undefined) attributes[name] = value.StringValue;
            }
            const entry: DlqEntry = { stage, body: m.Body ?? '', attributes };
            const c = owner(entry.body);
            if (c) outcome(c).dlq.push(entry);
            else strayDlq.push(entry);
          }
          await herald.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
        }
      }
    };
    const scheduleNames = async (): Promise<string[]> => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await herald.schedulerClient.send(
          new ListSchedulesCommand({
            GroupName: herald.stack.names.scheduleGroup,
            NextToken: token,
            MaxResults: 100,
          }),
        );
        names.push(...(page.Schedules ?? []).map((s) => s.Name ?? ''));
        token = page.NextToken;
      } while (token);
      return names;
    };
    const waitPhase = async (
      phase: string,
      pending: (names: string[]) => LoadedCase[],
      readEmails: boolean,
    ) => {
      const phaseStart = Date.now();
      let waiting: LoadedCase[] = [...cases];
      while (Date.now() - phaseStart < phaseTimeoutMs) {
        await drainDlqs();
        if (readEmails) await collectEmails();
        waiting = pending(readEmails ? [] : await scheduleNames());
        if (waiting.length === 0) break;
        await sleep(1000);
      }
      timings[phase] = Date.now() - phaseStart;
      if (waiting.length > 0) timeouts.push({ phase, waiting: waiting.map((c) => c.name) });
    };

    const owned = new Set<string>();
    const foreignEmails: OutboxEmail[] = [];
    const collectEmails = async () => {
      for (const email of await readOutbox(options.endpoint)) {
        if (baseline.has(email.id) || owned.has(email.id)) continue;
        owned.add(email.id);
        const release = email.headers['x-herald-release'];
        const c = cases.find((k) => k.ids.versionId === release);
        if (c && email.to.length === 1 && c.ids.recipients.includes(email.to[0] ?? ''))
          outcome(c).emails.push(email);
        else foreignEmails.push(email);
      }
    };

    const ingestDone = (c: LoadedCase) => outcome(c).records.some((r) => r.fn === 'ingest' && !r.left);
    const composeDone = (c: LoadedCase) => outcome(c).records.some((r) => r.fn === 'compose' && !r.left);
    const needsSchedule = (c: LoadedCase) =>
      c.expect.kind === 'email' ||
      c.expect.kind === 'silent' ||
      (c.expect.kind === 'dlq' && (c.expect.stage === 'compose' || c.expect.stage === 'send'));

    // Phase A: every release scheduled, every early failure dead-lettered.
    await waitPhase(
      'scheduled',
      (names) =>
        cases.filter((c) => {
          const o = outcome(c);
          if (c.expect.kind === 'http') return c.expect.forwarded === 'dropped' && !ingestDone(c);
          if (needsSchedule(c)) return !names.some((n) => n.startsWith(`rh-${c.ids.versionId}-`));
          return o.dlq.length === 0;
        }),
      false,
    );

    // Fire: Jira changes at fire time, then every send point becomes due.
    for (const c of cases) {
      if (c.input.kind !== 'release') continue;
      if (c.input.versionAnswer?.from === 'compose') {
        jira.faults.enqueue(
          { status: 200, body: c.input.versionAnswer.body },
          { route: versionPath(c.ids.versionId), times: 1000 },
        );
      }
      if (c.input.versionAtFire) {
        const current = jira.getVersion(c.ids.versionId);
        if (current) jira.putVersion({ ...current, ...c.input.versionAtFire } as StandInVersion);
      }
    }
    clockOffset = FIRE_OFFSET_MS;

    // Phase B: every email sent, every late failure dead-lettered.
    await waitPhase(
      'delivered',
      () =>
        cases.filter((c) => {
          const o = outcome(c);
          if (c.expect.kind === 'email') return o.emails.length < c.ids.recipients.length;
          if (c.expect.kind === 'dlq') return o.dlq.length === 0;
          if (c.expect.kind === 'silent') return !composeDone(c);
          return false;
        }),
      true,
    );

    // Settle: nothing left on any main or reschedule queue, twice in a row.
    started = Date.now();
    const depths: CorpusRunResult['depths'] = [];
    let quiet = 0;
    while (Date.now() - started < 30_000 && quiet < 2) {
      depths.length = 0;
      for (const stage of STAGES) {
        for (const role of QUEUE_ROLES.filter((r) => r !== 'dlq')) {
          const ref = herald.stack.queues[stage][role];
          depths.push({ queue: ref.name, ...(await queueDepth(herald.sqs, ref.url)) });
        }
      }
      quiet = depths.every((d) => d.visible + d.inFlight + d.delayed === 0) ? quiet + 1 : 0;
      await sleep(1000);
    }
    await drainDlqs();
    await collectEmails();
    timings.settle = Date.now() - started;

    return {
      herald,
      jira,
      openAi,
      router,
      outcomes,
      foreignEmails,
      strayDlq,
      invocations,
      depths,
      timeouts,
      timings,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
};
