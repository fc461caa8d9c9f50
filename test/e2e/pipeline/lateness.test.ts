import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { e2eEndpoint } from '../local/support.ts';
import { herald, jsonOf } from '../ops/heraldCli.ts';
import { addDays, daysFromToday, type Pipeline, policyOf, startPipeline, wallClockToUtc } from './support.ts';

const PROJECT = { id: '10300', key: 'LATE', name: 'Late Shop' };
const HOUR_MS = 3_600_000;

let p: Pipeline;
let contact: string;

/** `herald status --json` of this pipeline's environment, as a child process reads it. */
const statusJson = async () => {
  const run = await herald(['status', '--json', '--endpoint', e2eEndpoint(), '--env', p.env]);
  expect(run.stderr).toBe('');
  return jsonOf(run) as {
    outcomes: {
      points: { missed: number; caughtUp: number };
      recent: Array<{ kind: string; status: string; reason: string; versionId: string; pointId: string }>;
    };
  };
};

beforeAll(async () => {
  p = await startPipeline({ label: 'late' });
  contact = p.address('ada');
  p.jira.putProject(PROJECT);
  await p.herald.directory.putContact(PROJECT.key, {
    email: contact,
    name: 'Ada',
    locale: 'en',
    timeZone: 'UTC',
    optedOut: false,
  });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: late and missed points', () => {
  it('catches up a point already due within its lateness when the release is created: sent once, now', async () => {
    // Arrange: a 1-day-before point that fell due 30 minutes ago (UTC), default lateness 6 h.
    const dueAt = new Date(Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000);
    const at = dueAt.toISOString().slice(11, 16);
    const releaseDate = addDays(dueAt.toISOString().slice(0, 10), 1);
    await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs(`-1d@${at}`)));
    const version = { id: '21301', projectId: PROJECT.id, name: 'Catch-up Release', releaseDate };
    p.jira.putVersion(version);
    p.jira.setIssues(version.id, [{ key: 'LATE-1', summary: 'Faster checkout', issueType: 'Story' }]);

    // Act: created late; the catch-up waits a minute in the compose queue, then is sent.
    expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
    const emails = await p.waitForEmails([contact], 1, 110_000);
    await p.waitForIdle({ timeoutMs: 60_000 });
    // A later edit re-plans the release: the point was composed, so nothing is caught up again.
    expect(await p.postVersionEvent('jira:version_updated', version)).toBe(202);
    await p.waitForIdle({ timeoutMs: 90_000 });
    const status = await statusJson();

    // Assert
    expect(emails).toHaveLength(1);
    const all = await p.emailsTo([contact]);
    expect(all).toHaveLength(1);
    expect(all[0]?.headers['x-herald-point']).toBe(`b1d0h0m${at.replace(':', '')}`);
    expect(await p.schedulesOf(version.id)).toEqual([]);
    expect(status.outcomes.points.caughtUp).toBe(1);
    expect(status.outcomes.recent).toContainEqual(
      expect.objectContaining({
        kind: 'point',
        status: 'caught_up',
        reason: 'catch_up',
        versionId: version.id,
      }),
    );
  }, 240_000);

  it('records a point whose schedule fires past its deadline as missed and sends nothing', async () => {
    // Arrange: a point 9 days ahead, scheduled on time.
    const releaseDate = daysFromToday(10);
    await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs('-1d@09:00')));
    const version = { id: '21302', projectId: PROJECT.id, name: 'Late Release', releaseDate };
    p.jira.putVersion(version);
    p.jira.setIssues(version.id, [{ key: 'LATE-2', summary: 'Invoices as PDF', issueType: 'Story' }]);
    expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
    await p.waitForIdle();
    const [schedule] = await p.schedulesOf(version.id);
    if (!schedule) throw new Error('expected the point to be scheduled');
    const llmCalls = p.openai.calls.count;

    // Act: Scheduler delivers the point 7 h late (its retries, a redrive): every stage's clock and
    // the scheduler's are moved past the 6 h deadline.
    const late = new Date(
      wallClockToUtc(`${addDays(releaseDate, -1)}T09:00:00`, 'UTC').getTime() + 7 * HOUR_MS,
    );
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(late);
    p.clock.set(late);
    await p.waitForFires([schedule.name], 30_000);
    await p.waitForIdle();
    vi.useRealTimers();
    const status = await statusJson();

    // Assert
    expect(await p.emailsTo([contact])).toHaveLength(1); // the caught-up email of the first test only
    expect((await p.emailsTo([contact])).map((e) => e.headers['x-herald-release'])).not.toContain(version.id);
    expect(p.openai.calls.count).toBe(llmCalls);
    expect(status.outcomes.points.missed).toBe(1);
    expect(status.outcomes.recent).toContainEqual(
      expect.objectContaining({
        kind: 'point',
        status: 'missed',
        reason: 'past_deadline',
        versionId: version.id,
        pointId: 'b1d0h0m0900',
      }),
    );
  }, 120_000);
});
