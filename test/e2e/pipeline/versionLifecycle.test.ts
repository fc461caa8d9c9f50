import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import type { StandInVersion } from '#test/standins/JiraStandIn';
import { queueDepth } from '../local/support.ts';
import { putContacts } from './seed.ts';
import { addDays, daysFromToday, type Pipeline, policyOf, startPipeline, wallClockToUtc } from './support.ts';

const ACME = { id: '10200', key: 'ACME', name: 'Acme Shop' };
/** A second project whose policy also announces the release itself. */
const BETA = { id: '10201', key: 'BETA', name: 'Beta Portal' };
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const ZONES = [BERLIN, NEW_YORK];
const POINT_IDS = ['b7d0h0m0900', 'b1d0h0m0900', 'a0d0h0m0900'];

const zoneTag = (zone: string) => createHash('sha256').update(zone).digest('hex').slice(0, 8);
const names = (versionId: string, pointIds: readonly string[]) =>
  pointIds.flatMap((id) => ZONES.map((zone) => `rh-${versionId}-${id}-${zoneTag(zone)}-0`)).sort();

let p: Pipeline;
let recipients: string[];
const releaseDate = daysFromToday(30);
// The moved release starts earlier: the clock walks past all its old times (day 10) and to its
// first new one (day 17) without reaching any point of the others (day 23 on).
const movedFrom = daysFromToday(10);
const movedTo = addDays(movedFrom, 14);
const versions: Record<'moved' | 'deleted' | 'released' | 'archived', StandInVersion> = {
  moved: { id: '20201', projectId: ACME.id, name: 'Moving Release', releaseDate: movedFrom },
  deleted: { id: '20202', projectId: ACME.id, name: 'Doomed Release', releaseDate },
  released: { id: '20203', projectId: BETA.id, name: 'Early Release', releaseDate },
  archived: { id: '20204', projectId: ACME.id, name: 'Shelved Release', releaseDate },
};

/** Posts `event` for `version` as Jira has it now, and waits for the pipeline to settle. */
const announce = async (event: string, version: StandInVersion) => {
  expect(await p.postVersionEvent(event, version)).toBe(202);
  await p.waitForIdle();
};

beforeAll(async () => {
  p = await startPipeline({ label: 'lifecycle' });
  recipients = [p.address('ada'), p.address('grace', 'example.net')];
  for (const project of [ACME, BETA]) {
    p.jira.putProject(project);
    await putContacts(p, project.key, [
      { email: recipients[0] as string, name: 'Ada', locale: 'en', timeZone: BERLIN },
      { email: recipients[1] as string, name: 'Grace', locale: 'en', timeZone: NEW_YORK },
    ]);
  }
  await p.herald.directory.putPolicy(
    BETA.key,
    policyOf(parsePointSpecs('-7d@09:00,-1d@09:00,0d@09:00'), true),
  );
  for (const version of Object.values(versions)) {
    p.jira.putVersion(version);
    p.jira.setIssues(version.id, [{ key: 'ACME-1', summary: 'A change', issueType: 'Story' }]);
  }
  // Every release starts with its six schedules (three points in two zones).
  await Promise.all(Object.values(versions).map((v) => p.postVersionEvent('jira:version_created', v)));
  await p.waitForIdle();
  for (const v of Object.values(versions)) {
    expect((await p.schedulesOf(v.id)).map((s) => s.name)).toEqual(names(v.id, POINT_IDS));
  }
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: version changes after scheduling', () => {
  it('moves the schedules of a new release date (same names, new times) and sends nothing at the old times', async () => {
    // arrange
    const before = await p.schedulesOf(versions.moved.id);
    const newDate = movedTo;
    const moved = { ...versions.moved, releaseDate: newDate };
    p.jira.putVersion(moved);

    // act
    await announce('jira:version_updated', moved);
    const after = await p.schedulesOf(versions.moved.id);
    // Past every old time (the latest is New York's 09:00 on the old date): nothing is due.
    p.clock.set(new Date(wallClockToUtc(`${movedFrom}T09:00:00`, NEW_YORK).getTime() + 60_000));
    const firedAtOldTimes = await p.herald.scheduler.tick();
    await p.waitForIdle();
    const emailsAtOldTimes = await p.emailsTo(recipients);
    // The first new point, in Berlin, still sends, with the new date.
    const firstNew = after.find((s) => s.name.startsWith(`rh-${moved.id}-b7d0h0m0900-${zoneTag(BERLIN)}`));
    p.clock.set(wallClockToUtc(`${addDays(newDate, -7)}T09:00:00`, BERLIN));
    const emails = await p.waitForEmails(recipients, 1);
    await p.waitForIdle();

    // assert
    expect(after.map((s) => s.name)).toEqual(before.map((s) => s.name));
    for (const schedule of after) {
      const old = before.find((s) => s.name === schedule.name);
      expect(schedule.at).not.toBe(old?.at);
      expect(schedule.at.slice(11)).toBe('09:00:00');
      expect(schedule.job.payload.releaseDate).toBe(newDate);
    }
    expect(after.map((s) => s.at.slice(0, 10)).sort()).toEqual(
      [-7, -7, -1, -1, 0, 0].map((d) => addDays(newDate, d)).sort(),
    );
    expect(firedAtOldTimes).toEqual([]);
    expect(emailsAtOldTimes).toEqual([]);
    expect(p.fired.map((f) => f.name)).toEqual([firstNew?.name]);
    expect(await p.emailsTo(recipients)).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      to: [recipients[0]],
      headers: { 'x-herald-release': moved.id, 'x-herald-point': 'b7d0h0m0900' },
    });
    const longDate = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });
    expect(emails[0]?.text).toContain(`Release date: ${longDate.format(new Date(`${newDate}T00:00:00Z`))}`);
  });

  it('cancels every schedule of a deleted release', async () => {
    // arrange
    p.jira.deleteVersion(versions.deleted.id);

    // act
    await announce('jira:version_deleted', versions.deleted);

    // assert
    expect(await p.schedulesOf(versions.deleted.id)).toEqual([]);
  });

  it('cancels every schedule of an archived release', async () => {
    // arrange
    const archived = { ...versions.archived, archived: true };
    p.jira.putVersion(archived);

    // act
    await announce('jira:version_updated', archived);

    // assert
    expect(await p.schedulesOf(versions.archived.id)).toEqual([]);
  });

  it('cancels the point schedules of a released release and leaves only its on-release announcement', async () => {
    // arrange
    const released = { ...versions.released, released: true };
    p.jira.putVersion(released);
    // Back to the present: the announcement is due a minute after the event, by the wall clock.
    p.clock.set(new Date());

    // act
    expect(await p.postVersionEvent('jira:version_released', released)).toBe(202);
    // The announcement waits either as a schedule or as a compose job delayed in the queue.
    await p.waitForIdle({ countDelayed: false });
    const left = await p.schedulesOf(released.id);
    const { delayed } = await queueDepth(p.herald.sqs, p.herald.stack.queues.compose.main.url);

    // assert: no point schedule is left; one on-release announcement per zone is pending.
    expect(left.filter((s) => s.job.payload.pointKind !== 'on_release')).toEqual([]);
    expect(left.length + delayed).toBe(ZONES.length);
    expect(p.fired).toHaveLength(1);
  });
});
