import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { type ApprovalDecision, type ApprovalRecord, approvalKey } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { approvalUrl } from '#shared/approvalToken';
import { parseSigningKeys, type SigningKeys } from '#shared/signingKeys';
import { draftContentHash } from '#stages/compose/approval/index';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { resourceName, topology } from '#topology/topology';
import { type ChromiumLaunch, launchChromium } from '../browser/chromium.ts';
import { e2eClientConfig } from '../local/support.ts';
import { type Pipeline, policyOf, startPipeline } from '../pipeline/support.ts';
import { confirmReview, e2eLedger } from './support.ts';

// The Approve/Hold pages of the webhook function, driven by a real headless Chromium: a seeded
// approval record (the ledger as compose leaves it), links sealed with the stack's own review
// keys, the form clicked as an approver would.

let launch: ChromiumLaunch;
let pipeline: Pipeline;
let ledger: DynamoLedger;
let keys: SigningKeys;
let approver: string;
let sequence = 0;

/** A pending record of a point of its own (one English and one German draft), stored in the ledger. */
const seedPoint = async (): Promise<ApprovalRecord> => {
  const point = { versionId: `8000${++sequence}`, pointId: 'b1d0h0m0900', releaseDate: '2099-06-10' };
  const base = `draft:${point.versionId}:${point.pointId}@${point.releaseDate}`;
  const drafts: EmailDraft[] = [
    ['en', 'Shop 3.0 arrives on 10 June'],
    ['de', 'Shop 3.0 kommt am 10. Juni'],
  ].map(([locale = 'en', subject = '']) => ({
    key: `${base}:${locale}`,
    source: 'llm',
    locale,
    subject,
    html: `<p>${subject}</p>`,
    text: subject,
    issueKeys: ['RVW-1'],
    createdAt: new Date().toISOString(),
  }));
  for (const d of drafts) await ledger.putDraftIfAbsent(d);
  return ledger.putApprovalRevision(
    approvalRecordOf({
      approvalKey: approvalKey(point),
      ...point,
      projectKey: 'RVW',
      contentHash: draftContentHash(drafts),
      draftKeys: drafts.map((d) => d.key).sort(),
      groups: [
        { audience: 'all', locale: 'en', recipients: 40 },
        { audience: 'all', locale: 'de', recipients: 7 },
      ],
      dueAt: '2099-06-09T09:00:00.000Z',
      updatedAt: new Date().toISOString(),
    }),
  );
};

const linkOf = (record: ApprovalRecord, decision: ApprovalDecision): string =>
  approvalUrl(new URL('review', pipeline.herald.webhookUrl).toString(), keys, {
    approvalKey: record.approvalKey,
    contentHash: record.contentHash,
    approver,
    decision,
    expiresAt: Date.parse(record.dueAt),
  });

beforeAll(async () => {
  launch = await launchChromium();
  pipeline = await startPipeline({ label: 'review-pages' });
  approver = pipeline.address('approver');
  const { herald } = pipeline;
  ledger = e2eLedger(herald.stack.names.tables.ledger);
  const secrets = new SecretsManagerClient(e2eClientConfig());
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: resourceName(topology.secrets.reviewSigningKeys, pipeline.env) }),
  );
  secrets.destroy();
  keys = parseSigningKeys(secret.SecretString ?? '');
  await herald.directory.putPolicy('RVW', {
    ...policyOf(parsePointSpecs('-1d@09:00')),
    approval: { approvers: [approver], lead: '24h', onTimeout: 'hold' },
  });
});

afterAll(async () => {
  await launch?.browser?.close();
  await pipeline?.stop();
});

describe('review links in a real browser (headless Chromium)', () => {
  it('approve: the page says what will be approved, the click approves, the ledger says approved, a replay is refused', async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const record = await seedPoint();
    const page = await launch.browser.newPage();

    // Act
    const shown = await page.goto(linkOf(record, 'approve'));

    // Assert: the confirmation page, nothing decided yet.
    expect(shown?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Approve the release emails?');
    const facts = await page.locator('dl').textContent();
    expect(facts).toContain('RVW');
    expect(facts).toContain(record.versionId);
    expect(facts).toContain('2099-06-09 09:00 UTC');
    expect(await page.locator('tbody td').allTextContents()).toEqual([
      ...['all', 'en', '40', 'Shop 3.0 arrives on 10 June'],
      ...['all', 'de', '7', 'Shop 3.0 kommt am 10. Juni'],
    ]);
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('pending_approval');

    // Act: the approver clicks.
    const decided = await confirmReview(page);

    // Assert
    expect(decided).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Approved');
    expect(await page.locator('body').textContent()).toContain(
      'The release emails will be sent at 2099-06-09 09:00 UTC.',
    );
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.state).toBe('approved');
    expect(stored?.decisions.map((d) => [d.decision, d.by, d.via, d.contentHash])).toEqual([
      ['approve', approver, 'link', record.contentHash],
    ]);

    // Act: the same link again: opened, and its form posted a second time.
    const reopened = await page.goto(linkOf(record, 'approve'));
    const reopenedTitle = await page.locator('h1').textContent();
    const token = new URL(linkOf(record, 'approve')).searchParams.get('t') ?? '';
    const replayed = await page.request.post(new URL('review', pipeline.herald.webhookUrl).toString(), {
      form: { t: token },
    });

    // Assert
    expect(reopened?.status()).toBe(409);
    expect(reopenedTitle).toBe('Already approved');
    expect(replayed.status()).toBe(409);
    expect(await replayed.text()).toContain('<h1>Already approved</h1>');
    expect((await ledger.getApproval(record.approvalKey))?.decisions).toHaveLength(1);
    await page.close();
  });

  it('hold: the page says nothing will be sent, the click holds, the ledger says held', async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const record = await seedPoint();
    const page = await launch.browser.newPage();

    // Act
    const shown = await page.goto(linkOf(record, 'hold'));
    const body = await page.locator('body').textContent();
    const decided = await confirmReview(page);

    // Assert
    expect(shown?.status()).toBe(200);
    expect(body).toContain('Holding sends nothing at the send time');
    expect(decided).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Held');
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('held');
    await page.close();
  });

  it('a tampered link shows "Invalid link" with 403 and changes nothing', async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const record = await seedPoint();
    const url = new URL(linkOf(record, 'approve'));
    const token = url.searchParams.get('t') ?? '';
    url.searchParams.set('t', `${token.slice(0, 12)}${token[12] === 'A' ? 'B' : 'A'}${token.slice(13)}`);
    const page = await launch.browser.newPage();

    // Act
    const shown = await page.goto(url.toString());

    // Assert
    expect(shown?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Invalid link');
    expect(await page.locator('form').count()).toBe(0);
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('pending_approval');
    await page.close();
  });
});
