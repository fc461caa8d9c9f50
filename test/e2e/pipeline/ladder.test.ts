import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyEnvelope } from '#contracts/envelope';
import { retryOf, topology } from '#topology/topology';
import { waitFor } from '../local/support.ts';
import { dayBeforeJob, daysFromToday, type Pipeline, startPipeline } from './support.ts';

const PROJECT = { id: '10600', key: 'LADDER', name: 'Ladder Labs' };
const VERSION_ID = '20601';
const { maxReceiveCount, rescheduleDelaysSeconds } = topology.stages.compose.retry;
const fast = retryOf('compose', 'fast');
/** The longest the fast ladder leaves a message waiting, milliseconds. */
const LONGEST_WAIT_MS = Math.max(fast.backoffCapSeconds, ...fast.rescheduleDelaysSeconds) * 1000;

let p: Pipeline;
let job: ReturnType<typeof dayBeforeJob>;

beforeAll(async () => {
  p = await startPipeline({ label: 'ladder' });
  const releaseDate = daysFromToday(9);
  p.jira.putProject(PROJECT);
  p.jira.putVersion({ id: VERSION_ID, projectId: PROJECT.id, name: 'Never Ready', releaseDate });
  job = dayBeforeJob({
    versionId: VERSION_ID,
    projectKey: PROJECT.key,
    releaseDate,
    recipients: [{ email: p.address('ada'), locale: 'en' }],
  });
});

afterAll(async () => {
  await p?.stop();
});

/** Compose invocations of the test's job, each as `[envelope reschedules, receive count]`. */
const composeHops = () =>
  p.invocations
    .filter((i) => i.functionName.endsWith('-compose'))
    .flatMap((i) => i.event.Records)
    .map((r) => ({
      envelope: anyEnvelope.safeParse(JSON.parse(r.body)),
      receiveCount: r.attributes.ApproximateReceiveCount,
    }))
    .filter((r) => r.envelope.success && r.envelope.data.key === job.key)
    .map((r) => [r.envelope.data?.reschedules, Number(r.receiveCount)]);

const reschedulerRuns = () =>
  p.invocations.filter(
    (i) =>
      i.functionName.endsWith('-rescheduler') &&
      i.queueName === p.herald.stack.queues.compose.reschedule.name,
  ).length;

describe('Pipeline: the retry ladder of a compose that always fails', () => {
  it('walks every redelivery and reschedule of the topology, then dead-letters the job once with its reason', async () => {
    // arrange: Jira answers 503 for this version, whatever happens.
    p.jira.faults.enqueue({ status: 503 }, { route: `/rest/api/3/version/${VERSION_ID}`, times: 100_000 });

    // act
    await p.sendToQueue('compose', JSON.stringify(job));
    const dead = await waitFor(
      'the job in compose-dlq',
      async () => {
        const messages = await p.receiveDlq('compose', 0);
        return messages.length > 0 ? messages : undefined;
      },
      // Six rounds of five receives on compose's outage ladder, seconds each under the fast profile.
      { timeoutMs: 240_000, intervalMs: 500 },
    );
    // The hop that dead-lettered it has ended: count, then stay quiet for longer than the
    // longest wait of the ladder (backoff cap, last reschedule delay) and count again.
    await p.waitForIdle({ quietMs: 0 });
    const hops = composeHops();
    const reschedules = reschedulerRuns();
    await p.waitForIdle({ quietMs: LONGEST_WAIT_MS + 1_000 });

    // assert
    const expectedHops = Array.from({ length: rescheduleDelaysSeconds.length + 1 }, (_, r) =>
      Array.from({ length: maxReceiveCount }, (_, i) => [r, i + 1]),
    ).flat();
    expect(hops).toEqual(expectedHops);
    expect(hops).toHaveLength(maxReceiveCount * (rescheduleDelaysSeconds.length + 1));
    expect(reschedules).toBe(rescheduleDelaysSeconds.length);
    expect(dead).toHaveLength(1);
    const [message] = dead;
    const attribute = (name: string) => message?.MessageAttributes?.[name]?.StringValue;
    expect(attribute('herald-reason')).toBe('retries_exhausted');
    expect(attribute('herald-stage')).toBe('compose');
    expect(attribute('herald-receive-count')).toBe(String(maxReceiveCount));
    expect(attribute('herald-reschedules')).toBe(String(rescheduleDelaysSeconds.length));
    expect(attribute('herald-error')).toMatch(/503/);
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({
      key: job.key,
      reschedules: rescheduleDelaysSeconds.length,
      payload: job.payload,
    });
    // Nothing loops afterwards: no new hop, no new reschedule, one DLQ message, nothing sent.
    expect(composeHops()).toHaveLength(hops.length);
    expect(reschedulerRuns()).toBe(reschedules);
    expect(await p.receiveDlq('compose', 0)).toHaveLength(1);
    expect(await p.emailsTo([p.address('ada')])).toEqual([]);
    expect(p.openai.calls.count).toBe(0);
  }, 300_000);
});
