import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { type ApprovalRecord, approvalKey } from '#contracts/approval';
import type { EmailDraft, LlmEmail } from '#contracts/emailDraft';
import { parsePointSpecs } from '#contracts/sendPolicy';
import type { BootstrapResult } from '#local/bootstrap';
import { draftContentHash } from '#stages/compose/approval/index';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';
import { topology } from '#topology/topology';
import { drain, e2eClientConfig, uniqueEnv } from '../local/support.ts';
import { editorScript, jsonOf } from './heraldCli.ts';
import { bootstrapOpsStack, cliFor, jiraCredentialsFor } from './opsStack.ts';

const env = uniqueEnv('drafts');
const JIRA = jiraCredentialsFor(env);
const APPROVER = 'lead@example.com';
const POINT = { versionId: '70001', pointId: 'b1d0h0m0900', releaseDate: '2099-05-10' };
const KEY = approvalKey(POINT);
const DRAFT_EN = `draft:70001:b1d0h0m0900@2099-05-10:en`;
const DRAFT_DE = `draft:70001:b1d0h0m0900@2099-05-10:de`;

let stack: BootstrapResult;
let ledger: DynamoLedger;
let jira: JiraStandIn;
let jiraEnv: Record<string, string>;
let sqs: SQSClient;

const cli = cliFor(env, { USER: 'ana' });

const content: LlmEmail = {
  subject: 'Shop 2.0 arrives on 10 May',
  preheader: 'Invoices and filters',
  intro: 'Hello {{recipient_name}}, Shop 2.0 is almost here.',
  sections: [
    {
      heading: 'New',
      items: [
        { text: 'Invoices can be paged through.', issueKeys: ['DRF-1'] },
        { text: 'The invoice list has filters.', issueKeys: ['DRF-2'] },
      ],
    },
  ],
  outro: 'Thank you.',
};

const draftOf = (key: string, locale: string, subject: string): EmailDraft => ({
  key,
  source: 'llm',
  model: 'gpt-e2e',
  locale,
  subject,
  html: `<p>${subject}</p>`,
  text: subject,
  issueKeys: ['DRF-1', 'DRF-2'],
  createdAt: '2099-05-01T08:00:00.000Z',
  content: { ...content, subject },
});

beforeAll(async () => {
  const opsStack = await bootstrapOpsStack(env);
  stack = opsStack.stack;
  const { documents } = opsStack;
  ledger = new DynamoLedger({
    client: documents,
    tableName: stack.names.tables.ledger,
    ttlSeconds: topology.ledgerTtlSeconds,
  });
  sqs = new SQSClient(e2eClientConfig());
  jira = await startJiraStandIn(JIRA);
  jiraEnv = { JIRA_SITE_URL: jira.url, JIRA_EMAIL: JIRA.email };
  jira.putProject({ id: '70000', key: 'DRF', name: 'Draft Shop' });
  jira.putVersion({ id: '70001', projectId: '70000', name: 'Shop 2.0', releaseDate: '2099-05-10' });
  jira.setIssues('70001', [
    { key: 'DRF-1', summary: 'Invoice API returns pages' },
    { key: 'DRF-2', summary: 'Invoice list has filters' },
  ]);
  await new DynamoDirectory({ client: documents, tableName: stack.names.tables.directory }).putPolicy('DRF', {
    points: parsePointSpecs('-1d@09:00'),
    onRelease: false,
    timeZone: 'UTC',
    defaultLocale: 'en',
    approval: { approvers: [APPROVER], lead: '24h', onTimeout: 'hold' },
  });
  const drafts = [
    draftOf(DRAFT_EN, 'en', 'Shop 2.0 arrives on 10 May'),
    draftOf(DRAFT_DE, 'de', 'Shop 2.0 kommt am 10. Mai'),
  ];
  for (const d of drafts) await ledger.putDraftIfAbsent(d);
  const record = approvalRecordOf({
    approvalKey: KEY,
    ...POINT,
    projectKey: 'DRF',
    contentHash: draftContentHash(drafts),
    draftKeys: [DRAFT_DE, DRAFT_EN],
    groups: [
      { audience: 'all', locale: 'en', recipients: 2 },
      { audience: 'all', locale: 'de', recipients: 1 },
    ],
    dueAt: '2099-05-09T09:00:00.000Z',
  });
  await ledger.putApprovalRevision(record);
});

afterAll(async () => {
  await jira?.close();
  sqs?.destroy();
});

describe('herald drafts (CLI against the local stack)', () => {
  it('lists the pending point, shows its drafts, and writes the HTML files', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'herald-show-'));

    // Act
    const list = await cli(['drafts', 'list', '--pending']);
    const listJson = await cli(['drafts', 'list', '--json']);
    const show = await cli(['drafts', 'show', KEY, '--html', join(dir, 'review.html')]);
    const one = await cli(['drafts', 'show', DRAFT_DE, '--json']);

    // Assert
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`${KEY}\\s+DRF\\s+2099-05-09 09:00 UTC\\s+pending_approval\\s+1\\s+2\\s+-`),
    );
    expect(jsonOf<ApprovalRecord[]>(listJson).map((r) => r.approvalKey)).toEqual([KEY]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`--- all / en, 2 recipient(s): ${DRAFT_EN}`);
    expect(show.stdout).toContain('subject     Shop 2.0 kommt am 10. Mai');
    expect(show.stderr).toContain(`HTML written to ${join(dir, 'review.en.all.html')}`);
    expect(jsonOf<{ drafts: Array<{ draftKey: string }> }>(one).drafts.map((d) => d.draftKey)).toEqual([
      DRAFT_DE,
    ]);
  });

  it('refuses an edit that fails the checks, naming each, and stores nothing', async () => {
    // Arrange: an unknown key cited, and a link in the intro.
    const editor = await editorScript(
      "doc.intro = 'Read more at https://evil.example/x'; doc.sections[0].items.push({ text: 'Faster search.', issueKeys: ['DRF-99'] });",
    );

    // Act
    const run = await cli(['drafts', 'edit', DRAFT_EN], { ...jiraEnv, EDITOR: editor });

    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the edit of ${DRAFT_EN} fails 2 check(s); nothing was stored:`);
    expect(run.stderr).toMatch(
      /grounding: sections\[0\]\.items\[2\]\S* cites or names issue keys outside the audience's scope: DRF-99/,
    );
    expect(run.stderr).toMatch(/content policy: intro contains a url/);
    expect(run.stderr).toContain('Your edit is kept in');
    expect((await ledger.getApproval(KEY))?.revision).toBe(1);
  });

  it('stores a passing edit as revision 2 (source edited, pending) and asks compose for the review email', async () => {
    // Arrange
    const before = await ledger.getApproval(KEY);
    const editor = await editorScript("doc.subject = 'Shop 2.0: invoices, paged and filtered';");

    // Act
    const run = await cli(['drafts', 'edit', DRAFT_EN, '--by', 'ben'], { ...jiraEnv, EDITOR: editor });

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${KEY}: revision 2 (edited by ben) stored, pending approval`);
    const record = await ledger.getApproval(KEY);
    expect(record).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      changes: { added: [], removed: [], editedBy: 'ben' },
      draftKeys: [`${DRAFT_DE}#r2`, `${DRAFT_EN}#r2`],
    });
    expect(record?.contentHash).not.toBe(before?.contentHash);
    const edited = await ledger.getDraft(`${DRAFT_EN}#r2`);
    expect(edited).toMatchObject({ source: 'edited', subject: 'Shop 2.0: invoices, paged and filtered' });
    expect(edited?.content?.subject).toBe('Shop 2.0: invoices, paged and filtered');
    expect((await ledger.getDraft(`${DRAFT_DE}#r2`))?.subject).toBe('Shop 2.0 kommt am 10. Mai');
    const jobs = (await drain(sqs, stack.queues.compose.main.url)).map((body) => JSON.parse(body));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: 'review.job',
      payload: { versionId: '70001', pointId: 'b1d0h0m0900' },
    });
  });

  it('approves and holds as the operator, idempotently, and refuses a settled point', async () => {
    // Act
    const stale = await cli(['drafts', 'approve', DRAFT_EN]);
    const staleRevision = await cli(['drafts', 'hold', KEY, '--revision', '1']);
    const approve = await cli(['drafts', 'approve', KEY, '--revision', '2', '--json']);
    const again = await cli(['drafts', 'approve', `${DRAFT_EN}#r2`]);
    const hold = await cli(['drafts', 'hold', KEY]);

    // Assert: revision 1's draft key and --revision 1 decide nothing (the decisions below).
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(
      `${DRAFT_EN} is not a draft of the current revision: ${KEY} is at revision 2`,
    );
    expect(staleRevision.code).toBe(1);
    expect(staleRevision.stderr).toContain(`revision 1 is not the current one: ${KEY} is at revision 2`);
    expect(approve.code).toBe(0);
    expect(jsonOf(approve)).toMatchObject({
      status: 'recorded',
      decision: 'approve',
      by: 'ana',
      revision: 2,
      contentHash: (await ledger.getApproval(KEY))?.contentHash,
      state: 'approved',
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already approved; nothing changed.');
    expect(hold.code).toBe(0);
    const record = await ledger.getApproval(KEY);
    expect(record?.state).toBe('held');
    expect(record?.decisions.map((d) => [d.decision, d.by, d.via, d.revision])).toEqual([
      ['approve', 'ana', 'cli', 2],
      ['hold', 'ana', 'cli', 2],
    ]);

    // Act: the send time settles it.
    await ledger.settleApproval(KEY, { outcome: 'held', at: '2099-05-09T09:00:00.000Z', revision: 2 });
    const late = await cli(['drafts', 'approve', KEY]);
    const pending = await cli(['drafts', 'list', '--pending']);

    // Assert
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(
      'was settled at its send time (held): no decision is taken any more; nothing changed',
    );
    expect(pending.stdout.trim()).toBe('No draft waits for approval.');
  });
});
