import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedWebhook } from '#local/demo';
import { putContacts, putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, startPipeline, versionWebhookBody } from './support.ts';

const PROJECT = { id: '10300', key: 'DUPE', name: 'Dupe Works' };
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const POINTS = 3;
const LOCALES = 2;

let p: Pipeline;
let recipients: string[];
const version = { id: '20301', projectId: PROJECT.id, name: 'Twice Told', releaseDate: daysFromToday(25) };

beforeAll(async () => {
  p = await startPipeline({ label: 'dupes' });
  recipients = [p.address('ada'), p.address('jonas', 'example.org'), p.address('grace', 'example.net')];
  putRelease(p, PROJECT, version, [
    { key: 'DUPE-1', summary: 'Exports are faster', issueType: 'Improvement' },
    { key: 'DUPE-2', summary: 'Login no longer loops', issueType: 'Bug' },
  ]);
  const [ada, jonas, grace] = recipients as [string, string, string];
  await putContacts(p, PROJECT.key, [
    { email: ada, locale: 'en', timeZone: BERLIN },
    { email: jonas, locale: 'de', timeZone: BERLIN },
    { email: grace, locale: 'en', timeZone: NEW_YORK },
  ]);
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: duplicate deliveries', () => {
  it('makes one set of schedules from a webhook Jira delivers three times', async () => {
    // arrange: Jira's retries resend the very same body and signature.
    const body = versionWebhookBody('jira:version_created', version, Date.now());

    // act
    const statuses = await Promise.all(
      [1, 2, 3].map(() => postSignedWebhook(p.herald.webhookUrl, p.webhookSecret, body)),
    );
    await p.waitForIdle();
    const schedules = await p.schedulesOf(version.id);
    const ingested = p.results
      .filter((r) => r.functionName.endsWith('-ingest'))
      .flatMap((r) => r.event.Records);
    const scheduleRuns = p.results.filter((r) => r.functionName.endsWith('-schedule'));

    // assert
    expect(statuses).toEqual([202, 202, 202]);
    expect(schedules).toHaveLength(POINTS * 2);
    expect(new Set(schedules.map((s) => s.name)).size).toBe(POINTS * 2);
    // All three deliveries entered the pipeline, and nothing failed on the way to Scheduler.
    expect(ingested).toHaveLength(3);
    expect(scheduleRuns.length).toBeGreaterThan(0);
    expect(p.results.filter((r) => r.outcome !== 'succeeded')).toEqual([]);
    expect(await p.receiveDlq('schedule', 0)).toEqual([]);
  });

  it('sends one email per point and recipient, and calls the LLM once per point and locale, when a compose job comes twice', async () => {
    // arrange: the earliest point (-7 days in Berlin) is delivered twice straight into the
    // compose queue, and a third time by the scheduler when its time comes.
    const schedules = await p.schedulesOf(version.id);
    const first = schedules
      .filter((s) => s.timeZone === BERLIN && s.job.payload.pointId === 'b7d0h0m0900')
      .at(0);
    if (!first) throw new Error('no -7d schedule in Berlin');
    const berlin = [recipients[0], recipients[1]] as string[];

    // act
    await Promise.all([p.sendToQueue('compose', first.input), p.sendToQueue('compose', first.input)]);
    await p.waitForEmails(berlin, 2);
    await p.waitForIdle();
    const afterDuplicates = await p.emailsTo(recipients);
    const llmAfterDuplicates = p.openai.calls.count;
    const last = schedules
      .map((s) => new Date(s.job.payload.dueAt))
      .sort((a, b) => b.getTime() - a.getTime())[0];
    p.clock.set(last as Date);
    await p.waitForFires(schedules.map((s) => s.name));
    await p.waitForEmails(recipients, POINTS * recipients.length);
    await p.waitForIdle();
    const emails = await p.emailsTo(recipients);

    // assert
    expect(afterDuplicates).toHaveLength(2);
    expect(afterDuplicates.map((e) => e.to[0]).sort()).toEqual([...berlin].sort());
    expect(llmAfterDuplicates).toBe(LOCALES);
    expect(p.fired.map((f) => f.name).sort()).toEqual(schedules.map((s) => s.name));
    expect(emails).toHaveLength(POINTS * recipients.length);
    const pairs = emails.map((e) => `${e.headers['x-herald-point']} ${e.to[0]}`);
    expect(new Set(pairs).size).toBe(POINTS * recipients.length);
    expect(p.openai.calls.count).toBe(POINTS * LOCALES);
    const composed = p.openai.calls.list.map((c) => c.locale).sort();
    expect(composed).toEqual(['de', 'de', 'de', 'en', 'en', 'en']);
  });
});
