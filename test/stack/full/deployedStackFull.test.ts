import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDepth } from '#ops/sqs/queueDepth';
import { waitFor } from '#test/e2e/local/support';
import { localFunctionUrl } from '../knownDifferences.ts';
import {
  ACME,
  daysAhead,
  heraldOk,
  SHOP,
  schedulerPoints,
  setUpProjects,
  storedEmails,
  verifySender,
  waitForEmails,
  waitForQuiet,
  waitForSchedules,
} from '../scenario.ts';
import { type StackUnderTest, startStackUnderTest } from '../StackUnderTest.ts';

let s: StackUnderTest;
let release: { id: string; projectId: string; name: string; releaseDate: string };
let pointIds: string[];
/** Jira answers 503 for it until the test lifts the outage. */
const outage = { id: '20303', projectId: SHOP.id, name: 'Stormy Release', releaseDate: daysAhead(32) };
let contacts: string[];

beforeAll(async () => {
  s = await startStackUnderTest({ label: 'stackfull' });
  await verifySender(s);
  const points = schedulerPoints(2);
  pointIds = points.policy.points.map((p) => p.id);
  release = { id: '20301', projectId: ACME.id, name: 'Autumn Release', releaseDate: points.releaseDate };
  contacts = [s.address('ada'), s.address('jonas', 'example.org'), s.address('grace', 'example.net')];
  await setUpProjects(s, {
    acmePoints: points.policy.points,
    acme: [
      { email: contacts[0] ?? '', name: 'Ada' },
      { email: contacts[1] ?? '', name: 'Jonas', locale: 'de' },
      { email: contacts[2] ?? '', name: 'Grace' },
    ],
    shop: [{ email: s.address('olga'), name: 'Olga' }],
  });
  s.jira.putVersion(release);
  s.jira.putVersion(outage);
  s.jira.setIssues(release.id, [
    { key: 'ACME-11', summary: 'Orders can be split across two deliveries', issueType: 'Story' },
    { key: 'ACME-12', summary: 'Search finds products by their old names', issueType: 'Improvement' },
    { key: 'ACME-13', summary: 'Gift cards were charged twice', issueType: 'Bug' },
  ]);
});

afterAll(async () => {
  await s?.stop();
});

describe('Stack (full): the synthesized template deployed on ministack', () => {
  it('recovers a release from a Jira outage through the deployed reschedule ladder', async () => {
    // arrange
    s.jira.faults.enqueue({ status: 503 }, { route: new RegExp(`/version/${outage.id}$`), times: 10_000 });

    // act
    await s.postVersionEvent('jira:version_created', outage);
    await s.postVersionEvent('jira:version_created', release);
    await waitFor(
      'the outage release back on the enrich queue, delayed',
      async () => ((await queueDepth(s.sqs, s.queueUrls.enrich.main)).delayed > 0 ? true : undefined),
      { timeoutMs: 150_000, intervalMs: 1_000 },
    );
    s.jira.faults.reset();
    // The first reschedule delay of the standard ladder is 300 s.
    const schedules = await waitForSchedules(s, outage.id, 'the schedule of the recovered release', {
      timeoutMs: 420_000,
      intervalMs: 2_000,
    });

    // assert
    expect(schedules.map((x) => x.expression)).toEqual([`at(${daysAhead(31)}T09:00:00)`]);
    expect((await queueDepth(s.sqs, s.queueUrls.enrich.dlq)).visible).toBe(0);
  }, 600_000);

  it('sends each point to each contact exactly once, fired by the Scheduler', async () => {
    // act: the release's two points went due while the outage waited.
    const emails = await waitForEmails(s, contacts, contacts.length * pointIds.length, 120_000);
    await waitForQuiet(s);

    // assert
    const keys = emails.map((e) => `${e.headers['x-herald-point']} ${e.to.join()}`).sort();
    expect(keys).toEqual(pointIds.flatMap((point) => contacts.map((c) => `${point} ${c}`)).sort());
    expect(new Set(keys).size).toBe(keys.length);
    expect((await storedEmails(s, contacts)).length).toBe(keys.length);
    expect(await s.schedulesOf(release.id)).toEqual([]);
  });

  it('opts a contact out through the one-click unsubscribe link of its email', async () => {
    // arrange
    const email = s.ses.emails.find((e) => e.to.includes(contacts[0] ?? ''));
    const link = /^<([^>]+)>/.exec(email?.headers['list-unsubscribe'] ?? '')?.[1] ?? '';

    // act: what a mail client does with List-Unsubscribe-Post (RFC 8058).
    const res = await fetch(localFunctionUrl(s.ministack.endpoint, link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    const { contacts: views } = JSON.parse(
      await heraldOk(s, ['clients', 'list', '--project', ACME.key, '--json']),
    ) as {
      contacts: { email: string; optedOutGlobally: boolean }[];
    };

    // assert
    expect(res.status).toBe(200);
    expect(views.map((v) => [v.email, v.optedOutGlobally]).sort()).toEqual(
      contacts.map((c) => [c, c === contacts[0]]).sort(),
    );
  });
});
