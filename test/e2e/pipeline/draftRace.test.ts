import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology } from '#topology/topology';
import { dayBeforeJob, daysFromToday, type Pipeline, startPipeline } from './support.ts';

// All chunks of a zone fire together and compose runs several at once: without a claim on the
// draft each chunk that misses the cache would call the model for the same email.

const PROJECT = { id: '10800', key: 'RACE', name: 'Race Labs' };
const VERSION_ID = '20801';
const CHUNKS = topology.stages.compose.fn.maxConcurrency;

let p: Pipeline;
let jobs: string[];
let recipients: string[];

beforeAll(async () => {
  // DynamoDB through a serialising proxy: moto's threaded server does not make a conditional
  // write atomic under concurrency, DynamoDB does (the claim relies on it).
  p = await startPipeline({
    label: 'draftrace',
    concurrency: CHUNKS,
    proxied: ['DYNAMODB'],
    serializeProxied: true,
  });
  const releaseDate = daysFromToday(9);
  p.jira.putProject(PROJECT);
  p.jira.putVersion({ id: VERSION_ID, projectId: PROJECT.id, name: 'Crowded Release', releaseDate });
  p.jira.setIssues(VERSION_ID, [
    { key: 'RACE-1', summary: 'Reports open twice as fast', issueType: 'Story' },
  ]);
  recipients = Array.from({ length: CHUNKS }, (_, i) => p.address(`reader${i}`));
  for (const email of recipients) {
    await p.herald.directory.putContact(PROJECT.key, { email, locale: 'en', optedOut: false });
  }
  // One point in one zone, split into CHUNKS compose jobs of one recipient each, as the schedule
  // stage splits a large zone; every chunk is due at the same instant.
  const dueAt = new Date().toISOString();
  jobs = recipients.map((email, index) =>
    JSON.stringify(
      dayBeforeJob({
        versionId: VERSION_ID,
        projectKey: PROJECT.key,
        releaseDate,
        dueAt,
        chunk: { index, count: CHUNKS },
        recipients: [{ email, locale: 'en' }],
      }),
    ),
  );
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: the chunks of one point composed at the same time', () => {
  it('calls the model once for their shared draft and sends every chunk its email', async () => {
    // arrange
    expect(CHUNKS).toBeGreaterThanOrEqual(2);
    // Each answer takes a while, so every chunk misses the cache while the first is still writing.
    p.openai.faults.enqueue({ delayMs: 1500 }, { times: CHUNKS });

    // act
    await Promise.all(jobs.map((body) => p.sendToQueue('compose', body)));
    const emails = await p.waitForEmails(recipients, CHUNKS, 60_000);
    await p.waitForIdle();

    // assert
    expect(p.openai.calls.count).toBe(1);
    expect(emails).toHaveLength(CHUNKS);
    for (const email of recipients) {
      expect((await p.emailsTo([email])).map((e) => e.subject)).toEqual([emails[0]?.subject]);
    }
    expect(p.invocations.filter((i) => i.functionName.endsWith('-compose')).length).toBeGreaterThanOrEqual(
      CHUNKS,
    );
  }, 120_000);
});
