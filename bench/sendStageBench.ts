import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import type { EmailDraft } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { sendJobMessage, sendKey } from '#contracts/sendJob';
import { stackNames } from '#local/stackNames';
import { renderEmail } from '#stages/compose/renderEmail';
import { draftKey } from '#stages/shared/draftKey';
import { generateIssues } from '#test/standins/JiraStandIn';
import { topology } from '#topology/topology';
import { type BenchContext, freshEnv, startWorker } from './BenchContext.ts';
import { type RawHopsResult, rawHops, sendAll, until } from './queues.ts';
import type { WorkerProcess } from './WorkerProcess.ts';

/** Send stage throughput beside the emulator's raw hops. */
export interface SendStageFigures {
  jobs: number;
  ms: number;
  perSecond: number;
  raw: RawHopsResult;
}

/** Send outcomes other than `email_sent`: none may happen in a benchmark that expects every email sent. */
const NOT_SENT = [
  'recipient_opted_out',
  'recipient_removed',
  'email_duplicate_skipped',
  'email_rejected',
  'record_dead_lettered',
] as const;

/**
 * True once `expected` emails were sent since `sentBefore`.
 * @throws when the worker logged any other outcome of a send job: the figure would be wrong.
 */
export const allSent = (worker: WorkerProcess, sentBefore: number, expected: number): boolean => {
  const other = NOT_SENT.filter((msg) => worker.count(msg) > 0);
  if (other.length > 0)
    throw new Error(`send jobs ended without an email: ${other.join(', ')} (see the worker log)`);
  return worker.count('email_sent') - sentBefore >= expected;
};

/** A realistic draft (the template renderer over a 12-issue release) stored under `key`. */
const benchDraft = (key: string, siteUrl: string): EmailDraft => {
  const issues = generateIssues('BS', 12);
  const rendered = renderEmail(
    {
      subject: 'Bench Shop 1.0 is coming soon',
      preheader: '12 changes in Bench Shop 1.0',
      intro: 'Here is what is coming in Bench Shop 1.0.',
      sections: [
        {
          heading: 'New features',
          items: issues.map((i) => ({ text: `${i.summary}.`, issueKeys: [i.key] })),
        },
      ],
      outro: 'Thank you for working with us.',
    },
    {
      projectName: 'Bench Shop',
      versionName: 'Bench Shop 1.0',
      releaseDate: '2030-01-01',
      siteUrl,
      locale: 'en',
    },
  );
  return {
    key,
    source: 'llm',
    model: 'bench',
    locale: 'en',
    ...rendered,
    issueKeys: issues.map((i) => i.key),
    createdAt: new Date().toISOString(),
  };
};

/**
 * `jobs` send.job messages, each to its own recipient, drained by the real send handler in a
 * worker (send stage only): from the first SendMessageBatch until the worker has logged
 * `email_sent` for every one. Then the same number of raw SQS hops on the emulator.
 */
export const benchSendStage = async (ctx: BenchContext, jobs: number): Promise<SendStageFigures> => {
  const env = freshEnv('bsend');
  const worker = await startWorker(ctx, env, { stages: ['send'], rescheduler: false, scheduler: false });
  try {
    const ledger = new DynamoLedger({
      client: ctx.documents,
      tableName: stackNames(env).tables.ledger,
      ttlSeconds: topology.ledgerTtlSeconds,
    });
    const job = { versionId: '90001', projectKey: 'BS', pointId: 'b7d0h0m0900', releaseDate: '2030-01-01' };
    const draft = benchDraft(draftKey(job, 'en'), ctx.jira.url);
    await ledger.putDraftIfAbsent(draft);
    const directory = new DynamoDirectory({
      client: ctx.documents,
      tableName: stackNames(env).tables.directory,
    });
    const recipients = Array.from({ length: jobs }, (_, i) => ({
      email: `r${i + 1}.${env}@example.com`,
      name: `Client ${i + 1}`,
      locale: 'en',
    }));
    // The send stage sends only to contacts still in the project's directory.
    for (const r of recipients) await directory.putContact(job.projectKey, { ...r, optedOut: false });
    const bodies = recipients.map((recipient) => {
      const envelope = sendJobMessage.parse(
        wrap('send.job', sendKey(job, recipient.email), { ...job, draftKey: draft.key, recipient }),
      );
      return JSON.stringify(envelope);
    });

    const sentBefore = worker.count('email_sent');
    const started = performance.now();
    await sendAll(ctx.sqs, worker.ready.queues.send.main.url, bodies);
    await until(`${jobs} emails sent`, () => allSent(worker, sentBefore, jobs), {
      timeoutMs: 30_000 + jobs * 1000,
      intervalMs: 50,
    });
    const ms = performance.now() - started;
    // The baseline runs on an idle emulator: no worker polling beside it.
    await worker.close();
    const raw = await rawHops(ctx.sqs, `herald-${env}-raw`, jobs, bodies[0] ?? '');
    return { jobs, ms, perSecond: (jobs * 1000) / ms, raw };
  } finally {
    await worker.close();
  }
};
