import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#local/localAwsConfig';
import { queueDepth } from '#ops/sqs/queueDepth';
import { waitFor } from '#test/e2e/local/support';
import { jiraErrorBody } from '#test/standins/JiraStandIn';
import {
  ACME,
  attribute,
  daysAhead,
  heraldOk,
  receiveAll,
  SHOP,
  schedulerPoints,
  setUpProjects,
  storedEmails,
  verifySender,
  waitForEmails,
  waitForQuiet,
  waitForSchedules,
} from './scenario.ts';
import {
  type PendingSchedule,
  STACK_SENDER,
  type StackUnderTest,
  startStackUnderTest,
} from './StackUnderTest.ts';

let s: StackUnderTest;
/** Its one send point is a few minutes after the deploy: the Scheduler fires it during the run. */
let release: { id: string; projectId: string; name: string; releaseDate: string };
/** Its schedule, as the schedule stage created it. */
let releaseSchedule: PendingSchedule | undefined;
/** When its point is due. */
let due: Date;
/** Scheduled a month ahead, then deleted in Jira. */
const deleted = { id: '20201', projectId: SHOP.id, name: 'Cancelled Release', releaseDate: daysAhead(30) };
/** Jira refuses it once (400): dead-lettered by enrich, redriven by `herald dlq redrive`. */
const refused = { id: '20202', projectId: SHOP.id, name: 'Second Try', releaseDate: daysAhead(31) };
/** Jira answers 503 for it all along: it climbs the retry ladder. */
const outage = { id: '20203', projectId: SHOP.id, name: 'Stormy Release', releaseDate: daysAhead(32) };
let contacts: string[];

beforeAll(async () => {
  s = await startStackUnderTest({ label: 'stack' });
  await verifySender(s);
  // Points from now, after the deploy: they must be past the schedule stage's fire window.
  const points = schedulerPoints(1);
  due = points.due[0] ?? new Date(NaN);
  release = { id: '20101', projectId: ACME.id, name: 'Spring Release', releaseDate: points.releaseDate };
  contacts = [s.address('ada'), s.address('jonas', 'example.org')];
  await setUpProjects(s, {
    acmePoints: points.policy.points,
    acme: [
      { email: contacts[0] ?? '', name: 'Ada' },
      { email: contacts[1] ?? '', name: 'Jonas', locale: 'de' },
    ],
    shop: [{ email: s.address('grace'), name: 'Grace' }],
  });
  for (const v of [release, deleted, refused, outage]) s.jira.putVersion(v);
  s.jira.setIssues(release.id, [
    { key: 'ACME-1', summary: 'Checkout remembers the delivery address', issueType: 'Story' },
    { key: 'ACME-2', summary: 'Cart total was wrong for items out of stock', issueType: 'Bug' },
  ]);
});

afterAll(async () => {
  await s?.stop();
});

describe('Stack: the synthesized template deployed on ministack', () => {
  it('creates every resource of the template', async () => {
    // act
    const cfn = new CloudFormationClient(localClientConfig(s.ministack.endpoint));
    const summaries = [];
    let NextToken: string | undefined;
    do {
      const page = await cfn.send(
        new ListStackResourcesCommand({ StackName: s.deployed.stackName, NextToken }),
      );
      summaries.push(...(page.StackResourceSummaries ?? []));
      NextToken = page.NextToken;
    } while (NextToken);

    // assert
    expect(summaries).toHaveLength(s.deployed.resourceCount);
    expect(summaries.filter((r) => r.ResourceStatus !== 'CREATE_COMPLETE')).toEqual([]);
    expect(s.deployed.outputs.JiraWebhookUrl).toMatch(
      /^https:\/\/[a-z0-9]+\.lambda-url\.us-east-1\.on\.aws\/webhook$/,
    );
  });

  it('accepts a signed webhook at the function URL and refuses a badly signed one', async () => {
    // act
    const signed = await s.postVersionEvent('jira:version_created', release);
    const forged = await fetch(s.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${'0'.repeat(64)}` },
      body: JSON.stringify({ webhookEvent: 'jira:version_created', version: release }),
    });
    // Through the deployed rule, ingest, enrich and schedule to the Scheduler.
    [releaseSchedule] = await waitForSchedules(s, release.id, 'the schedule of the release');

    // assert
    expect(signed).toBe(202);
    expect(forged.status).toBe(401);
    expect(releaseSchedule?.timeZone).toBe('UTC');
    expect(releaseSchedule?.expression).toBe(`at(${due.toISOString().slice(0, 19)})`);
  });

  it('dead-letters a poison event from the bus in the ingest DLQ with its reason', async () => {
    // arrange
    const events = new EventBridgeClient(localClientConfig(s.ministack.endpoint));
    const detail = { timestamp: 'yesterday', webhookEvent: 'jira:version_updated', version: { id: 'v-one' } };

    // act: through the deployed bus and rule, as the webhook puts events.
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: s.names.bus,
            Source: 'jira',
            DetailType: 'jira:version_updated',
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const [dead] = await waitFor(
      'a message in the ingest DLQ',
      async () => {
        const messages = await receiveAll(s, s.queueUrls.ingest.dlq, 30);
        return messages.length > 0 ? messages : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    // assert
    expect(put.FailedEntryCount).toBe(0);
    expect(attribute(dead, 'herald-reason')).toBe('contract:jira.version_webhook');
    expect(attribute(dead, 'herald-error')).toMatch(/^ContractError: invalid jira\.version_webhook: /);
    expect(attribute(dead, 'herald-stage')).toBe('ingest');
    expect(JSON.parse(dead?.Body ?? '{}')).toMatchObject({ detail });
  });

  it('removes the schedules of a release deleted in Jira', async () => {
    // arrange
    await s.postVersionEvent('jira:version_created', deleted);
    const before = await waitForSchedules(s, deleted.id, 'the schedule of the release');

    // act
    s.jira.deleteVersion(deleted.id);
    const status = await s.postVersionEvent('jira:version_deleted', deleted);
    const after = await waitFor(
      'no schedule left',
      async () => {
        const found = await s.schedulesOf(deleted.id);
        return found.length === 0 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );

    // assert
    expect(status).toBe(202);
    expect(before.map((b) => b.expression)).toEqual([`at(${daysAhead(29)}T09:00:00)`]);
    expect(after).toEqual([]);
  });

  it('redrives a dead letter with herald dlq redrive once Jira answers again', async () => {
    // arrange: Jira refuses the version once, a 400 that will not change by retrying.
    s.jira.faults.enqueue(
      { status: 400, body: jiraErrorBody('The version is being migrated.') },
      { route: new RegExp(`/version/${refused.id}$`), times: 1 },
    );
    await s.postVersionEvent('jira:version_created', refused);
    await waitFor(
      'a dead letter in the enrich DLQ',
      async () => {
        const depth = await queueDepth(s.sqs, s.queueUrls.enrich.dlq);
        return depth.visible > 0 ? depth : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    const [dead] = await receiveAll(s, s.queueUrls.enrich.dlq, 0);

    // act
    const out = await heraldOk(s, ['dlq', 'redrive', 'enrich', '--json']);
    const schedules = await waitForSchedules(s, refused.id, 'the schedule of the redriven release');

    // assert
    expect(attribute(dead, 'herald-stage')).toBe('enrich');
    expect(attribute(dead, 'herald-reason')).toMatch(/^permanent:/);
    // knownDifferences `sqs-no-message-move-task`: herald's auto method falls back to copy.
    expect(JSON.parse(out)).toMatchObject({ stage: 'enrich', method: 'copy', moved: 1, failed: 0 });
    expect(schedules.map((x) => x.expression)).toEqual([`at(${daysAhead(30)}T09:00:00)`]);
    expect((await queueDepth(s.sqs, s.queueUrls.enrich.dlq)).visible).toBe(0);
  });

  it('climbs a Jira outage up the deployed redrive into the reschedule queue and back, delayed', async () => {
    // arrange
    s.jira.faults.enqueue({ status: 503 }, { route: new RegExp(`/version/${outage.id}$`), times: 10_000 });

    // act
    await s.postVersionEvent('jira:version_created', outage);
    // The rescheduler takes it off enrich-reschedule and puts it back on enrich with a delay.
    const delayed = await waitFor(
      'the release back on the enrich queue, delayed',
      async () => {
        const depth = await queueDepth(s.sqs, s.queueUrls.enrich.main);
        return depth.delayed > 0 ? depth : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1_000 },
    );

    // assert
    expect(delayed.delayed).toBe(1);
    expect(
      s.jira.requests.records.filter((r) => r.path.endsWith(`/version/${outage.id}`)).length,
    ).toBeGreaterThanOrEqual(5);
    expect(await s.schedulesOf(outage.id)).toEqual([]);
  });

  it("sends every expected email once, fired by the emulator's Scheduler, with one-click unsubscribe headers", async () => {
    // act: the webhook of the release was posted in the second test.
    const emails = await waitForEmails(s, contacts, contacts.length, 240_000);
    // The outage's release waits on enrich for its reschedule delay: compose and send must be done.
    await waitForQuiet(s, ['compose', 'send']);

    // assert
    expect(await s.schedulesOf(release.id)).toEqual([]);
    const sent = s.ses.emails.filter((e) => e.to.some((to) => contacts.includes(to)));
    expect(sent.map((e) => e.to.join()).sort()).toEqual([...contacts].sort());
    // The emulator's own store holds exactly the emails the recorder saw accepted.
    const stored = await storedEmails(s, contacts);
    expect(stored.map((m) => m.MessageId).sort()).toEqual(sent.map((e) => e.messageId).sort());
    for (const email of emails) {
      expect(email.from).toContain(STACK_SENDER);
      expect(email.headers['list-unsubscribe']).toMatch(
        /^<https:\/\/[a-z0-9]+\.lambda-url\.us-east-1\.on\.aws\/unsubscribe\?/,
      );
      expect(email.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(email.subject).toContain(release.name);
      expect(email.headers['x-herald-release']).toBe(release.id);
      // Fired by the Scheduler at its time, not before.
      expect(email.at).toBeGreaterThanOrEqual(due.getTime());
    }
  });
});
