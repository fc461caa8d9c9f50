import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { type ApprovalDecision, type ApprovalRecord, approvalKey } from '#contracts/approval';
import { parsePointSpecs, type SendPolicy } from '#contracts/sendPolicy';
import type { OutboxEmail } from '#local/Outbox';
import { openApprovalToken } from '#shared/approvalToken';
import { parseSigningKeys, type SigningKeys } from '#shared/signingKeys';
import { zoneTag } from '#stages/schedule/scheduleNames';
import { topology } from '#topology/topology';
import { e2eClientConfig, e2eEndpoint, waitFor } from '../local/support.ts';
import { herald, jsonOf } from '../ops/heraldCli.ts';
import { addDays, daysFromToday, type Pipeline, policyOf, startPipeline, wallClockToUtc } from './support.ts';

// Review before send on the local stack, the scheduler's clock driven by the test: the review
// schedule fires `lead` before the point, the approver gets the review email through SES, a
// decision goes into the ledger, and the send schedule then sends, holds or waits.

const POINT_ID = 'b1d0h0m0900';
const releaseDate = daysFromToday(10);
/** The point: the day before the release at 09:00 UTC (every contact is in UTC). */
const DUE = wallClockToUtc(`${addDays(releaseDate, -1)}T09:00:00`, 'UTC');
const REVIEW_AT = new Date(DUE.getTime() - 24 * 3_600_000);
const PROJECTS = {
  hold: { id: '10810', key: 'APRH', name: 'Approval Hold Co' },
  send: { id: '10811', key: 'APRS', name: 'Approval Send Co' },
} as const;
/** One release per case; the first four in the project whose onTimeout is hold. */
const CASES = {
  approved: { id: '20811', project: PROJECTS.hold },
  held: { id: '20812', project: PROJECTS.hold },
  silentHold: { id: '20813', project: PROJECTS.hold },
  changed: { id: '20814', project: PROJECTS.hold },
  silentSend: { id: '20815', project: PROJECTS.send },
} as const;
type CaseName = keyof typeof CASES;

let p: Pipeline;
const cli = (args: string[]) => herald([...args, '--endpoint', e2eEndpoint(), '--env', p.env]);
let ledger: DynamoLedger;
let reviewKeys: SigningKeys;
const approvers: Record<keyof typeof PROJECTS, string> = { hold: '', send: '' };
const contacts: Record<keyof typeof PROJECTS, string[]> = { hold: [], send: [] };
/** A contact of the hold project in the `admins` audience, which has nothing in scope. */
let adminContact = '';
const versionOf = (name: CaseName) => ({
  id: CASES[name].id,
  projectId: CASES[name].project.id,
  name: `Reviewed ${name}`,
  releaseDate,
});
const keyOf = (name: CaseName) => approvalKey({ versionId: CASES[name].id, pointId: POINT_ID, releaseDate });
const projectOf = (name: CaseName): keyof typeof PROJECTS =>
  CASES[name].project === PROJECTS.send ? 'send' : 'hold';
const issuesOf = (name: CaseName) => [
  { key: `${CASES[name].project.key}-1`, summary: 'Invoices export to CSV', issueType: 'Story' },
  { key: `${CASES[name].project.key}-2`, summary: 'Totals round correctly', issueType: 'Bug' },
];

/** Emails of one release to `to` (the release id rides in X-Herald-Release). */
const emailsOf = async (name: CaseName, to: readonly string[]): Promise<OutboxEmail[]> =>
  (await p.emailsTo(to)).filter((e) => e.headers['x-herald-release'] === CASES[name].id);

const reviewEmails = (name: CaseName) => emailsOf(name, [approvers[projectOf(name)]]);
const clientEmails = (name: CaseName) => emailsOf(name, contacts[projectOf(name)]);

const waitForReviewEmails = (name: CaseName, count: number) =>
  waitFor(
    `${count} review emails of ${name}`,
    async () => {
      const found = await reviewEmails(name);
      return found.length >= count ? found : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250 },
  );

/** An email's Approve or Hold link (the review page on the local webhook). */
const linkOf = (email: OutboxEmail, decision: 'Approve' | 'Hold'): string => {
  const url = new RegExp(`${decision}: (\\S+)`).exec(email.text ?? '')?.[1];
  if (url === undefined) throw new Error(`no ${decision} link in ${email.subject}`);
  return url;
};

/** The token of an email's Approve or Hold link. */
const tokenOf = (email: OutboxEmail, decision: 'Approve' | 'Hold'): string =>
  new URL(linkOf(email, decision)).searchParams.get('t') ?? '';

/** Decides through the ledger as the link's page does: the claims the link carries, sealed. */
const decideWith = async (token: string) => {
  const claims = openApprovalToken(reviewKeys, token);
  if (!claims) throw new Error('the review link does not open with the review signing keys');
  const decision: ApprovalDecision = claims.decision;
  return ledger.decide(claims.approvalKey, {
    decision,
    by: claims.approver,
    via: 'link',
    at: new Date().toISOString(),
    contentHash: claims.contentHash,
    revision: 1,
  });
};

const recordOf = async (name: CaseName): Promise<ApprovalRecord | null> => ledger.getApproval(keyOf(name));

beforeAll(async () => {
  p = await startPipeline({ label: 'approval' });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(e2eClientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  ledger = new DynamoLedger({
    client: documents,
    tableName: p.herald.stack.names.tables.ledger,
    ttlSeconds: topology.ledgerTtlSeconds,
  });
  const secrets = new SecretsManagerClient(e2eClientConfig());
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: p.herald.stack.names.secrets.reviewSigningKeys }),
  );
  secrets.destroy();
  reviewKeys = parseSigningKeys(secret.SecretString ?? '');
  for (const [which, project] of Object.entries(PROJECTS) as Array<
    [keyof typeof PROJECTS, (typeof PROJECTS)['hold']]
  >) {
    p.jira.putProject(project);
    approvers[which] = p.address(`approver-${which}`, 'example.org');
    contacts[which] = [p.address(`ada-${which}`), p.address(`bo-${which}`, 'example.net')];
    if (which === 'hold') {
      const policy: SendPolicy = {
        ...policyOf(parsePointSpecs('-1d@09:00')),
        approval: { approvers: [approvers[which]], lead: '24h', onTimeout: which },
        // An audience with nothing in scope in any release: its group gets no draft, and must
        // neither block an approved point nor turn a held one into a fresh revision.
        audiences: [{ name: 'admins', scope: 'labels = nothing-matches' }],
      };
      await p.herald.directory.putPolicy(project.key, policy);
      adminContact = p.address('admin-hold');
      await p.herald.directory.putContact(project.key, {
        email: adminContact,
        locale: 'en',
        audience: 'admins',
        optedOut: false,
      });
    } else {
      // The other project through the CLI, as an operator would turn review on.
      const set = await cli([
        'policy',
        'set',
        project.key,
        '--points=-1d@09:00',
        '--tz',
        'UTC',
        '--approvers',
        approvers[which],
        '--approval-lead',
        '24h',
        '--on-timeout',
        'send',
        '--json',
      ]);
      expect(jsonOf<{ policy: SendPolicy }>(set).policy.approval).toEqual({
        approvers: [approvers[which]],
        lead: '24h',
        onTimeout: 'send',
      });
    }
    for (const email of contacts[which]) {
      await p.herald.directory.putContact(project.key, { email, locale: 'en', optedOut: false });
    }
  }
  for (const name of Object.keys(CASES) as CaseName[]) {
    p.jira.putVersion(versionOf(name));
    p.jira.setIssues(CASES[name].id, issuesOf(name));
  }
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: review before send (policy approval)', () => {
  it('plans a review schedule 24 h before the point beside its send schedule', async () => {
    // Act
    for (const name of Object.keys(CASES) as CaseName[]) {
      expect(await p.postVersionEvent('jira:version_created', versionOf(name))).toBe(202);
    }
    await p.waitForIdle();

    // Assert
    const listed = await p.herald.schedulerClient.send(
      new ListSchedulesCommand({
        GroupName: p.herald.stack.names.scheduleGroup,
        NamePrefix: `rh-${CASES.approved.id}-`,
      }),
    );
    const names = (listed.Schedules ?? []).map((s) => s.Name).sort();
    expect(names).toEqual(
      [
        `rh-${CASES.approved.id}-${POINT_ID}-${zoneTag('UTC')}-0`,
        `rh-${CASES.approved.id}-${POINT_ID}-review-0`,
      ].sort(),
    );
    const review = await p.herald.schedulerClient.send(
      new GetScheduleCommand({
        GroupName: p.herald.stack.names.scheduleGroup,
        Name: `rh-${CASES.approved.id}-${POINT_ID}-review-0`,
      }),
    );
    expect(review.ScheduleExpression).toBe(`at(${REVIEW_AT.toISOString().slice(0, 19)})`);
    const listedByCli = await cli(['schedules', 'list', '--release', CASES.approved.id]);
    expect(listedByCli.stdout).toContain(`rh-${CASES.approved.id}-${POINT_ID}-review-0`);
    expect(listedByCli.stdout).toContain('(review)');
    expect(JSON.parse(review.Target?.Input ?? '{}')).toMatchObject({
      kind: 'review.job',
      payload: { dueAt: DUE.toISOString() },
    });
  });

  it('emails each approver a review with Approve and Hold links at the review time, and no client anything', async () => {
    // Act
    p.clock.set(REVIEW_AT);
    for (const name of Object.keys(CASES) as CaseName[]) await waitForReviewEmails(name, 1);
    await p.waitForIdle();

    // Assert
    const [email] = await reviewEmails('approved');
    expect(email?.subject).toContain('Review: Reviewed approved (APRH)');
    expect(email?.text).toContain('APRH-1');
    expect(email?.headers['list-unsubscribe']).toBeUndefined();
    const claims = openApprovalToken(reviewKeys, tokenOf(email as OutboxEmail, 'Approve'));
    const record = await recordOf('approved');
    expect(record).toMatchObject({ revision: 1, state: 'pending_approval' });
    expect(claims).toEqual({
      approvalKey: keyOf('approved'),
      contentHash: record?.contentHash,
      approver: approvers.hold,
      decision: 'approve',
      expiresAt: DUE.getTime(),
    });
    for (const name of Object.keys(CASES) as CaseName[]) expect(await clientEmails(name), name).toEqual([]);
  });

  it('sends approved drafts at the due time and not before; holds a held one; applies onTimeout; re-reviews a changed release', async () => {
    // Arrange: decisions from the links of the review emails.
    const first = async (name: CaseName) => (await reviewEmails(name))[0] as OutboxEmail;
    expect(await decideWith(tokenOf(await first('approved'), 'Approve'))).toMatchObject({
      status: 'recorded',
    });
    expect(await decideWith(tokenOf(await first('held'), 'Hold'))).toMatchObject({ status: 'recorded' });
    const oldApproveLink = linkOf(await first('changed'), 'Approve');
    const oldApprove = tokenOf(await first('changed'), 'Approve');
    expect(await decideWith(oldApprove)).toMatchObject({ status: 'recorded' });
    // The approved release gains an issue after the approval.
    p.jira.setIssues(CASES.changed.id, [
      ...issuesOf('changed'),
      { key: 'APRH-3', summary: 'Exports include the VAT id', issueType: 'Story' },
    ]);
    await p.waitForIdle();
    expect(await clientEmails('approved')).toEqual([]);
    // A minute before the send time: still nothing.
    p.clock.set(new Date(DUE.getTime() - 60_000));
    await p.waitForIdle();
    expect(await clientEmails('approved')).toEqual([]);

    // Act: the send time.
    p.clock.set(DUE);
    await p.waitForEmails(contacts.hold, 2);
    await p.waitForEmails(contacts.send, 2);
    const second = (await waitForReviewEmails('changed', 2)).find((e) => e.subject.includes('[revision 2]'));

    // Assert: approved → sent; onTimeout send → sent.
    expect((await clientEmails('approved')).map((e) => e.to[0]).sort()).toEqual([...contacts.hold].sort());
    expect(await clientEmails('silentSend')).toHaveLength(2);
    expect((await recordOf('approved'))?.settled?.outcome).toBe('sent');
    expect((await recordOf('silentSend'))?.settled?.outcome).toBe('timeout_sent');
    // Changed after approval: a second review email saying what changed; nothing sent yet.
    expect(second?.text).toContain('added APRH-3');
    expect(await clientEmails('changed')).toEqual([]);
    expect(await recordOf('changed')).toMatchObject({ revision: 2, state: 'pending_approval' });
    // The old link is refused, on the page the approver opens too; the new one works and the
    // waiting send goes out.
    expect(await decideWith(oldApprove)).toMatchObject({ status: 'superseded' });
    const oldPage = await fetch(oldApproveLink);
    expect(oldPage.status).toBe(409);
    const oldHtml = await oldPage.text();
    expect(oldHtml).toContain('<h1>Draft changed</h1>');
    expect(oldHtml).toContain('see the new review email (revision 2)');
    const claims = openApprovalToken(reviewKeys, tokenOf(second as OutboxEmail, 'Approve'));
    expect(
      await ledger.decide(keyOf('changed'), {
        decision: 'approve',
        by: claims?.approver ?? '',
        via: 'link',
        at: new Date().toISOString(),
        contentHash: claims?.contentHash ?? '',
        revision: 2,
      }),
    ).toMatchObject({ status: 'recorded' });
    await waitFor(
      'the changed release to be sent after its new approval',
      async () => ((await clientEmails('changed')).length >= 2 ? true : undefined),
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    const changedEmails = await clientEmails('changed');
    expect(changedEmails).toHaveLength(2);
    // Revision 2's words: the issue added after the approval is in them.
    expect(changedEmails[0]?.text).toContain('Exports include the VAT id');
    expect((await recordOf('changed'))?.settled).toMatchObject({ outcome: 'sent', revision: 2 });

    // Held, and silent with onTimeout hold: nothing sent, the point recorded held.
    await p.waitForIdle();
    expect(await clientEmails('held')).toEqual([]);
    expect(await clientEmails('silentHold')).toEqual([]);
    expect((await recordOf('held'))?.settled).toMatchObject({ outcome: 'held', revision: 1 });
    // The admins audience had nothing in scope: no email for its contact, no extra revision.
    expect(await p.emailsTo([adminContact])).toEqual([]);
    expect((await recordOf('approved'))?.settled).toMatchObject({ outcome: 'sent', revision: 1 });
    expect((await recordOf('approved'))?.groups).toContainEqual({
      audience: 'admins',
      locale: 'en',
      recipients: 1,
    });
    expect((await recordOf('silentHold'))?.settled?.outcome).toBe('timeout_held');
    // Every email exactly once: two per sent release, none twice.
    for (const name of ['approved', 'changed', 'silentSend'] as const) {
      const to = (await clientEmails(name)).flatMap((e) => e.to);
      expect(new Set(to).size, name).toBe(to.length);
    }
  });

  it('reports review before send in herald status and the approval settings in herald policy show', async () => {
    // Act
    const status = jsonOf<{ approvals: { pending: number; settled: Record<string, number> } }>(
      await cli(['status', '--json']),
    );
    const shown = await cli(['policy', 'show', PROJECTS.send.key]);

    // Assert
    expect(status.approvals).toMatchObject({
      pending: 0,
      settled: { sent: 2, held: 1, timeout_held: 1, timeout_sent: 1 },
    });
    expect(shown.stdout).toMatch(
      /approval\s+\S+; review 24h before each point; no decision by the send time: send/,
    );
  });
});
