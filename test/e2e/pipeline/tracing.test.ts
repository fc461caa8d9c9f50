import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { type LocalTracing, startLocalTracing } from '#local/localTracing';
import { putContacts, putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, policyOf, startPipeline } from './support.ts';

const PROJECT = { id: '10900', key: 'TRACE', name: 'Trace Works' };
const version = { id: '20901', projectId: PROJECT.id, name: 'Lantern', releaseDate: daysFromToday(9) };

let tracing: LocalTracing;
let p: Pipeline;
let recipients: string[];

beforeAll(async () => {
  // Registered before the handlers are imported, as the ADOT layer is before a function's code.
  tracing = startLocalTracing();
  p = await startPipeline({ label: 'tracing' });
  recipients = [p.address('ada'), p.address('linus', 'example.org')];
  putRelease(p, PROJECT, version, [{ key: 'TRACE-1', summary: 'Lamps dim at dusk', issueType: 'Story' }]);
  await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs('-1d@09:00')));
  await putContacts(
    p,
    PROJECT.key,
    recipients.map((email) => ({ email, locale: 'en', timeZone: 'UTC' })),
  );
});

afterAll(async () => {
  await p?.stop();
  await tracing?.stop();
});

/** The record span of each stage the runner starts (`<stage> process`, a consumer span). */
const recordSpans = (spans: readonly ReadableSpan[], stage: string) =>
  spans.filter((s) => s.name === `${stage} process` && s.kind === SpanKind.CONSUMER);

/** The span's ancestors, nearest first, as far as the exported spans go. */
const ancestorsOf = (span: ReadableSpan, byId: Map<string, ReadableSpan>): ReadableSpan[] => {
  const chain: ReadableSpan[] = [];
  let parentId = span.parentSpanContext?.spanId;
  while (parentId !== undefined) {
    const parent = byId.get(parentId);
    if (!parent) break;
    chain.push(parent);
    parentId = parent.parentSpanContext?.spanId;
  }
  return chain;
};

describe('Pipeline: traces across every hop', () => {
  it('puts one release point from the webhook to every send in one trace, each stage a child of the one before', async () => {
    // Act: the webhook plans the point; the scheduler fires it; compose and send follow.
    expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
    await p.waitForIdle();
    const [schedule] = await p.schedulesOf(version.id);
    if (!schedule) throw new Error('no schedule');
    p.clock.set(new Date(schedule.job.payload.dueAt));
    await p.waitForFires([schedule.name]);
    await p.waitForEmails(recipients, recipients.length);
    await p.waitForIdle();
    const spans = tracing.spans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    // Assert: the webhook's span is the root, and every stage's record span descends from the
    // record span of the stage before it (through the span that sent its message).
    const [webhook] = spans.filter((s) => s.name === 'eventbridge.put_events');
    if (!webhook) throw new Error('no webhook span');
    expect(webhook.parentSpanContext).toBeUndefined();
    const traceId = webhook.spanContext().traceId;
    const [ingest] = recordSpans(spans, 'ingest');
    const [enrich] = recordSpans(spans, 'enrich');
    const [scheduleSpan] = recordSpans(spans, 'schedule');
    const compose = recordSpans(spans, 'compose');
    const sends = recordSpans(spans, 'send');
    expect(compose).toHaveLength(1);
    expect(sends).toHaveLength(recipients.length);
    const chain: [ReadableSpan | undefined, ReadableSpan][] = [
      [ingest, webhook],
      [enrich, ingest as ReadableSpan],
      [scheduleSpan, enrich as ReadableSpan],
      [compose[0], scheduleSpan as ReadableSpan],
      ...sends.map((send): [ReadableSpan, ReadableSpan] => [send, compose[0] as ReadableSpan]),
    ];
    for (const [child, parent] of chain) {
      expect(child, `record span after ${parent.name}`).toBeDefined();
      expect(child?.spanContext().traceId).toBe(traceId);
      const ancestors = ancestorsOf(child as ReadableSpan, byId);
      expect(ancestors).toContain(parent);
      expect(ancestors.at(-1)).toBe(webhook);
    }
    // Every span of the release (the stages' own and their calls) is in that one trace.
    const ours = spans.filter((s) => ancestorsOf(s, byId).includes(webhook) || s === webhook);
    expect(new Set(ours.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it("runs each stage core's span as a child of the runner's record span (the traceparent read once)", () => {
    // Arrange
    const spans = tracing.spans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    // Assert: schedule.record, compose.record and send.record sit right under `<stage> process`.
    for (const stage of ['schedule', 'compose', 'send']) {
      const cores = spans.filter((s) => s.name === `${stage}.record`);
      expect(cores.length, stage).toBeGreaterThan(0);
      for (const core of cores) {
        const parent = byId.get(core.parentSpanContext?.spanId ?? '');
        expect(parent?.name, stage).toBe(`${stage} process`);
      }
    }
  });
});
