import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJobMessage } from '#contracts/sendJob';
import { draftKey } from '#stages/shared/draftKey';
import { herald, jsonOf } from '../ops/heraldCli.ts';
import { putContacts, putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, type StoredSchedule, startPipeline } from './support.ts';

// The local stack runs in us-east-1 with no HERALD_HOME_REGION: it is its own home region, active
// until a switch is recorded. moto has no global tables, so the one ledger table stands for a
// global table whose replicas agree at once; the CLI writes the switch where the handlers read it.
const HERE = 'us-east-1';
const OTHER = 'us-west-2';
const PROJECT = { id: '10900', key: 'REGION', name: 'Region Works' };
const BERLIN = 'Europe/Berlin';

let p: Pipeline;
let ada: string;
let schedules: StoredSchedule[];
const version = { id: '20901', projectId: PROJECT.id, name: 'Far Away', releaseDate: daysFromToday(20) };

/** `herald <args> --endpoint <emulator> --env <the pipeline's env>`. */
const cli = (...args: string[]) => herald([...args, '--endpoint', p.herald.endpoint, '--env', p.env]);

const activate = async (region: string, drainSeconds: number) => {
  const run = await cli(
    'region',
    'activate',
    region,
    '--drain',
    String(drainSeconds),
    '--force',
    '--yes',
    '--json',
  );
  expect(run.code, run.stderr).toBe(0);
  return jsonOf<{ changed: boolean; after: { region: string; epoch: number } }>(run);
};

/** Moves the test clock to a schedule's time and waits until it fired and the pipeline is idle. */
const fire = async (schedule: StoredSchedule) => {
  p.clock.set(new Date(schedule.job.payload.dueAt));
  await p.waitForFires([schedule.name]);
  await p.waitForIdle();
};

beforeAll(async () => {
  p = await startPipeline({ label: 'region' });
  ada = p.address('ada');
  putRelease(p, PROJECT, version, [
    { key: 'REGION-1', summary: 'Exports are faster', issueType: 'Improvement' },
  ]);
  await putContacts(p, PROJECT.key, [{ email: ada, locale: 'en', timeZone: BERLIN }]);
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  await p.waitForIdle();
  schedules = (await p.schedulesOf(version.id)).sort((a, b) =>
    a.job.payload.dueAt.localeCompare(b.job.payload.dueAt),
  );
  expect(schedules).toHaveLength(3);
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: active/passive regions', () => {
  it('turns a schedule that fires in a passive region into a no-op: no LLM call, no email, no dead letter', async () => {
    // Arrange
    const switched = await activate(OTHER, 0);

    // Act
    await fire(schedules[0] as StoredSchedule);
    const status = jsonOf<{ activeRegion: { state: string; region: string } }>(await cli('status', '--json'));

    // Assert
    expect(switched).toMatchObject({ changed: true, after: { region: OTHER, epoch: 1 } });
    expect(p.fired.map((f) => f.name)).toContain(schedules[0]?.name);
    expect(p.openai.calls.count).toBe(0);
    expect(await p.emailsTo([ada])).toEqual([]);
    const composeRuns = p.results.filter((r) => r.functionName.endsWith('-compose'));
    expect(composeRuns.length).toBeGreaterThan(0);
    expect(composeRuns.every((r) => r.outcome === 'succeeded' && r.left.length === 0)).toBe(true);
    expect(await p.receiveDlq('compose', 0)).toEqual([]);
    expect(status.activeRegion).toMatchObject({ state: 'active', region: OTHER });
  });

  it('fails back after a drain: a point due during it waits, then is sent once from the region made active', async () => {
    // Arrange: the switch back starts in 4 s; the point falls due at once.
    const before = p.results.length;
    await activate(HERE, 4);

    // Act
    p.clock.set(new Date((schedules[1] as StoredSchedule).job.payload.dueAt));
    await p.waitForFires([(schedules[1] as StoredSchedule).name]);
    const emails = await p.waitForEmails([ada], 1, 60_000);
    await p.waitForIdle();

    // Assert
    expect(emails).toHaveLength(1);
    expect(emails[0]?.headers['x-herald-point']).toBe(schedules[1]?.job.payload.pointId);
    const composeRuns = p.results.slice(before).filter((r) => r.functionName.endsWith('-compose'));
    // The first delivery found the region pending and went back to its queue.
    expect(composeRuns[0]?.left.length).toBeGreaterThan(0);
    expect(composeRuns.at(-1)?.outcome).toBe('succeeded');
    expect(await p.emailsTo([ada])).toHaveLength(1);
    expect(p.openai.calls.count).toBe(1);
  });

  it('dead-letters a send job in a passive region with region_passive, and a redrive after failback sends it once', async () => {
    // Arrange: a job for the point just sent, to a contact added since.
    const grace = p.address('grace');
    await p.herald.directory.putContact(PROJECT.key, {
      email: grace,
      locale: 'en',
      timeZone: BERLIN,
      optedOut: false,
    });
    const point = (schedules[1] as StoredSchedule).job.payload;
    const job = sendJobMessage.parse({
      v: 1,
      kind: 'send.job',
      key: `region-e2e:${point.pointId}:${grace}`,
      reschedules: 0,
      payload: {
        versionId: point.versionId,
        projectKey: point.projectKey,
        pointId: point.pointId,
        releaseDate: point.releaseDate,
        draftKey: draftKey(point, 'en'),
        recipient: { email: grace, name: 'Grace', locale: 'en' },
      },
    });
    await activate(OTHER, 0);

    // Act
    await p.sendToQueue('send', JSON.stringify(job));
    await p.waitForIdle();
    const dead = await p.receiveDlq('send', 0);
    await activate(HERE, 0);
    const redrive = await cli('dlq', 'redrive', 'send', '--json');
    await p.waitForEmails([grace], 1, 60_000);
    await p.waitForIdle();
    const again = await cli('dlq', 'redrive', 'send', '--json');
    await p.waitForIdle();

    // Assert
    expect(dead).toHaveLength(1);
    expect(dead[0]?.MessageAttributes?.['herald-reason']?.StringValue).toBe('permanent:region_passive');
    expect(redrive.code, redrive.stderr).toBe(0);
    expect(again.code, again.stderr).toBe(0);
    expect(await p.emailsTo([grace])).toHaveLength(1);
    expect(await p.emailsTo([ada])).toHaveLength(1);
    expect(await p.receiveDlq('send', 0)).toEqual([]);
  });
});
