import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { sesThrottlingFault } from '#test/standins/AwsFaultProxy';
import { putContacts, putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, policyOf, scheduleAndProxyOf, startPipeline } from './support.ts';

const PROJECT = { id: '10400', key: 'FLAKY', name: 'Flaky Cloud' };
const BERLIN = 'Europe/Berlin';

let p: Pipeline;
let recipients: string[];
const version = { id: '20401', projectId: PROJECT.id, name: 'Bumpy Ride', releaseDate: daysFromToday(15) };

beforeAll(async () => {
  p = await startPipeline({ label: 'faults', proxied: ['SESV2'] });
  recipients = [p.address('ada'), p.address('jonas', 'example.org')];
  putRelease(p, PROJECT, version, [
    { key: 'FLAKY-1', summary: 'Uploads resume after a drop', issueType: 'Story' },
  ]);
  await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs('-1d@09:00')));
  const [ada, jonas] = recipients as [string, string];
  await putContacts(p, PROJECT.key, [
    { email: ada, locale: 'en', timeZone: BERLIN },
    { email: jonas, locale: 'de', timeZone: BERLIN },
  ]);
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  await p.waitForIdle();
});

afterAll(async () => {
  await p?.stop();
});

/** Milliseconds between consecutive records. */
const gaps = (records: { at: number }[]) => records.slice(1).map((r, i) => r.at - (records[i]?.at ?? 0));

describe('Pipeline: transient faults of Jira, OpenAI and SES', () => {
  it('sends each email exactly once after backing off from Jira 503s, an OpenAI 429 and SES throttling', async () => {
    // arrange
    const { schedule, proxy } = await scheduleAndProxyOf(p, version.id);
    p.jira.requests.clear();
    p.jira.faults.enqueue({ status: 503 }, { route: 'getVersion', times: 2 });
    p.openai.faults.enqueue({ status: 429, retryAfterSeconds: 1 }, { route: 'chatCompletions' });
    proxy.faults.enqueue(sesThrottlingFault(), { route: 'SESv2.SendEmail', times: 2 });

    // act
    p.clock.set(new Date(schedule.job.payload.dueAt));
    await p.waitForFires([schedule.name]);
    await p.waitForEmails(recipients, recipients.length);
    await p.waitForIdle();
    const emails = await p.emailsTo(recipients);

    // assert: each recipient got the email once.
    expect(emails.map((e) => e.to[0]).sort()).toEqual([...recipients].sort());
    expect(emails.map((e) => e.headers['x-herald-draft-source'])).toEqual(['llm', 'llm']);

    // Jira: two 503s, then the version read that worked, each after a backoff (p-retry, >= 200 ms).
    const versionReads = p.jira.requests.records.filter((r) => r.route === 'getVersion');
    expect(versionReads.slice(0, 3).map((r) => r.fault)).toEqual(['status:503', 'status:503', undefined]);
    for (const gap of gaps(versionReads.slice(0, 3))) expect(gap).toBeGreaterThanOrEqual(190);

    // OpenAI: a 429 with Retry-After: 1, the same request again no sooner than a second later,
    // then the other locale. Nothing more.
    const completions = p.openai.requests.records.filter((r) => r.route === 'chatCompletions');
    expect(completions.map((r) => r.fault)).toEqual(['status:429', undefined, undefined]);
    expect(gaps(completions)[0]).toBeGreaterThanOrEqual(990);
    expect(p.openai.calls.list.map((c) => c.locale).sort()).toEqual(['de', 'en']);

    // SES: two throttled SendEmail calls never reached SES; each email was then sent once, by a
    // redelivery of its send job.
    expect(proxy.faults.counters.byRoute['SESv2.SendEmail']).toBe(2);
    expect(proxy.requests.count('SESv2.SendEmail')).toBe(recipients.length + 2);
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(recipients.length);
    const sendReceives = p.invocations
      .filter((i) => i.functionName.endsWith('-send'))
      .flatMap((i) => i.event.Records.map((r) => Number(r.attributes.ApproximateReceiveCount)));
    expect(Math.max(...sendReceives)).toBeGreaterThanOrEqual(2);
    expect(await p.receiveDlq('send', 0)).toEqual([]);
    expect(await p.receiveDlq('compose', 0)).toEqual([]);
  });
});
