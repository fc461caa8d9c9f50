import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutbox } from '#local/Outbox';
import { assertSafeEmail } from '#test/corpus/assertSafeEmail';
import { countByCategory, loadCorpus } from '#test/corpus/loadCorpus';
import type { LoadedCase } from '#test/corpus/types';
import { e2eEndpoint, uniqueEnv } from '#test/e2e/local/support';
import { topology } from '#topology/topology';
import { CORPUS_ISSUE_LINK_BASE, type CorpusRunResult, runCorpus } from './corpusRun.ts';

const env = uniqueEnv('corpus');
const secret = randomBytes(24).toString('base64url');
const signingKeys = [randomBytes(32).toString('base64url')];
const cases = loadCorpus({ env, secret, now: new Date() });
const counts = countByCategory(cases);

/** Most receives of one message on one queue before the ladder moves it on. */
const MAX_RECEIVES = Math.max(...Object.values(topology.stages).map((s) => s.retry.maxReceiveCount));

let run: CorpusRunResult;

beforeAll(async () => {
  run = await runCorpus({ endpoint: e2eEndpoint(), env, secret, cases, signingKeys });
}, 240_000);

afterAll(async () => {
  // HERALD_CORPUS_OUTBOX=<dir> keeps the corpus's emails as .eml and .html for a look by eye.
  const dir = process.env.HERALD_CORPUS_OUTBOX;
  if (dir && run)
    await writeOutbox(
      dir,
      [...run.outcomes.values()].flatMap((o) => o.emails),
    );
  await run?.stop();
});

const describeCase = (c: LoadedCase) => {
  const e = c.expect;
  if (e.kind === 'http') return `${c.category}: ${c.name} → HTTP ${e.status}`;
  if (e.kind === 'dlq') return `${c.category}: ${c.name} → ${e.stage} DLQ`;
  if (e.kind === 'silent') return `${c.category}: ${c.name} → nothing sent`;
  return `${c.category}: ${c.name} → safe email`;
};

describe('Function: hostile input corpus', () => {
  it('has at least 50 cases covering every category', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    for (const [category, count] of Object.entries(counts)) expect(count, category).toBeGreaterThan(0);
  });

  it('reaches an outcome for every case in time', () => {
    expect(run.timeouts).toEqual([]);
  });

  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', (_, c) => {
    const o = run.outcomes.get(c.name);
    if (!o) throw new Error(`no outcome for ${c.name}`);
    const e = c.expect;
    const perStage = (fn: string) => o.records.filter((r) => r.fn === fn);

    if (e.kind === 'http') {
      expect(o.http?.status, o.http?.body).toBe(e.status);
      if (typeof e.error === 'string')
        expect(JSON.parse(o.http?.body ?? '{}')).toMatchObject({ error: e.error });
      else if (e.error) expect(o.http?.body).toMatch(e.error);
      if ((e.forwarded ?? 'no') === 'no') expect(perStage('ingest')).toEqual([]);
      else expect(perStage('ingest').filter((r) => !r.left).length).toBe(1);
      expect(o.dlq).toEqual([]);
      expect(o.emails).toEqual([]);
      expect(o.records.filter((r) => r.fn !== 'ingest')).toEqual([]);
      return;
    }

    expect(o.http?.status, o.http?.body).toBe(202);

    if (e.kind === 'dlq') {
      expect(o.dlq.map((d) => d.stage)).toEqual([e.stage]);
      const entry = o.dlq[0];
      expect(entry?.attributes['herald-reason']).toMatch(e.reason);
      expect(entry?.attributes['herald-stage']).toBe(e.stage);
      expect(entry?.attributes['herald-error']?.length).toBeGreaterThan(0);
      // Permanent: dead-lettered on its first receive, never retried.
      expect(perStage(e.stage).length).toBe(1);
      expect(o.emails).toEqual([]);
      return;
    }

    if (e.kind === 'silent') {
      // Compose handled the point once and sent nothing: no email, no DLQ entry, no retry.
      expect(perStage('compose').map((r) => r.left)).toEqual([false]);
      expect(perStage('send')).toEqual([]);
      expect(o.dlq).toEqual([]);
      expect(o.emails).toEqual([]);
      return;
    }

    expect(o.dlq).toEqual([]);
    expect(o.emails.map((m) => m.to[0]).sort()).toEqual([...c.ids.recipients].sort());
    for (const email of o.emails) {
      const audit = assertSafeEmail(email, {
        recipient: email.to[0] ?? '',
        siteUrl: run.jira.url,
        releaseKeys: o.releaseKeys,
        unsubscribeUrl: `${run.herald.webhookUrl}unsubscribe`,
        projectKey: c.ids.projectKey,
        versionId: c.ids.versionId,
        issueLinkBase: CORPUS_ISSUE_LINK_BASE,
        signingKeys: { keys: signingKeys },
        hostile: e.hostile,
        visible: e.visible,
        invisible: e.invisible,
        source: e.source,
      });
      const distinct = new Set(audit.linkedKeys).size;
      if (e.maxIssueLinks !== undefined) expect(distinct).toBeLessThanOrEqual(e.maxIssueLinks);
      if (e.minIssueLinks !== undefined) expect(distinct).toBeGreaterThanOrEqual(e.minIssueLinks);
      if (e.maxIssueNumber !== undefined) {
        const numbers = audit.linkedKeys.map((k) => Number(k.slice(k.lastIndexOf('-') + 1)));
        expect(Math.max(0, ...numbers)).toBeLessThanOrEqual(e.maxIssueNumber);
      }
    }
  });

  it('never sends to an address or for a release outside the corpus', () => {
    expect(run.foreignEmails.map((m) => ({ to: m.to, subject: m.subject }))).toEqual([]);
  });

  it('dead-letters nothing that no case expects, each failure once with its reason', () => {
    expect(run.strayDlq).toEqual([]);
    const dlqCases = cases.filter((c) => c.expect.kind === 'dlq');
    for (const c of dlqCases) expect(run.outcomes.get(c.name)?.dlq.length, c.name).toBe(1);
    for (const c of cases.filter((k) => k.expect.kind !== 'dlq')) {
      expect(run.outcomes.get(c.name)?.dlq, c.name).toEqual([]);
    }
  });

  it('leaves every main and reschedule queue empty (no crash loop)', () => {
    expect(run.depths.length).toBe(Object.keys(topology.stages).length * 2);
    expect(run.depths.filter((d) => d.visible + d.inFlight + d.delayed > 0)).toEqual([]);
  });

  it('receives no message more often than the retry ladder allows', () => {
    const over = [...run.invocations].filter(([, count]) => count > MAX_RECEIVES);
    expect(over).toEqual([]);
    expect(run.invocations.size).toBeGreaterThan(0);
  });

  it('leaves Object.prototype unpolluted by hostile JSON', () => {
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('composes the 10,000-issue release within the issue cap, quickly', () => {
    const big = cases.filter((c) => c.name.startsWith('volume-ten-thousand-issues'));
    expect(big.length).toBeGreaterThan(0);
    for (const c of big) {
      const compose = run.outcomes.get(c.name)?.records.filter((r) => r.fn === 'compose') ?? [];
      expect(compose.length, c.name).toBe(1);
      const ms = compose[0]?.durationMs ?? Number.POSITIVE_INFINITY;
      console.info(`corpus: ${c.name} composed in ${ms} ms`);
      // Well inside the compose function's timeout, with room for a slow CI machine.
      expect(ms).toBeLessThan((topology.stages.compose.fn.timeoutSeconds * 1000) / 4);
    }
    console.info(
      `corpus: ${cases.length} cases ${JSON.stringify(counts)}; phases ${JSON.stringify(run.timings)}; llm ${JSON.stringify(run.router.routed)}`,
    );
  });
});
