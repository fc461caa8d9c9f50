import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { approvalKey } from '#contracts/approval';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { REPO_ROOT } from '#local/Emulator';
import type { OutboxEmail } from '#local/Outbox';
import { type ChromiumLaunch, launchChromium } from '../browser/chromium.ts';
import { e2eEndpoint, waitFor } from '../local/support.ts';
import { editorScript, herald } from '../ops/heraldCli.ts';
import {
  addDays,
  daysFromToday,
  JIRA_EMAIL,
  type Pipeline,
  policyOf,
  startPipeline,
} from '../pipeline/support.ts';
import { confirmReview, e2eLedger } from './support.ts';

// The whole review flow as an approver lives it, in a real headless Chromium: the release is
// planned, the review schedule fires `lead` before the send time, compose emails the approver,
// the browser opens the review email from the emulator's outbox and clicks its Approve (or Hold)
// link, confirms on the page, and the ledger holds the decision.
// HERALD_SCREENSHOTS=1 also writes docs/review-email.png and docs/review-confirm.png.

const PROJECT = { id: '10900', key: 'REV', name: 'Review Shop' };
const POINT_ID = 'b1d0h0m0900';
const SCREENSHOTS = process.env.HERALD_SCREENSHOTS === '1';

let launch: ChromiumLaunch;
let p: Pipeline;
let ledger: DynamoLedger;
let approver: string;

/** Plans a release due in 3 days (-1d@09:00 UTC), fires its review schedule, resolves with the review email. */
const reviewEmailOf = async (versionId: string, name: string): Promise<OutboxEmail> => {
  const releaseDate = daysFromToday(3);
  const version = { id: versionId, projectId: PROJECT.id, name, releaseDate };
  p.jira.putVersion(version);
  p.jira.setIssues(versionId, [
    { key: 'REV-1', summary: 'Invoices download as PDF', issueType: 'Story' },
    { key: 'REV-2', summary: 'Cart total was wrong for items out of stock', issueType: 'Bug' },
  ]);
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  const dueAt = new Date(`${addDays(releaseDate, -1)}T09:00:00.000Z`);
  // The review goes out `lead` (24h) before the send time.
  p.clock.set(new Date(dueAt.getTime() - 24 * 3_600_000 + 60_000));
  return (await reviewEmailsOf(name, 1))[0] as OutboxEmail;
};

/** Waits until the approver holds `count` review emails of the release `name`; oldest first. */
const reviewEmailsOf = (name: string, count: number): Promise<OutboxEmail[]> =>
  waitFor(
    `${count} review email(s) of ${name}`,
    async () => {
      const emails = (await p.emailsTo([approver])).filter((e) => e.subject.includes(name) && e.html);
      return emails.length >= count ? emails : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 250 },
  );

/** Opens the review email's HTML as a mail client would and clicks one of its links. */
const clickInEmail = async (
  browser: Browser,
  email: OutboxEmail,
  link: 'Approve' | 'Hold',
): Promise<Page> => {
  const page = await browser.newPage();
  await page.setContent(email.html ?? '');
  if (SCREENSHOTS && link === 'Approve') {
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'review-email.png'), fullPage: true });
  }
  await Promise.all([
    page.waitForURL(/\/review\?t=/),
    page.getByRole('link', { name: link, exact: true }).click(),
  ]);
  return page;
};

beforeAll(async () => {
  launch = await launchChromium();
  p = await startPipeline({ label: 'review-email' });
  approver = p.address('approver');
  ledger = e2eLedger(p.herald.stack.names.tables.ledger);
  p.jira.putProject(PROJECT);
  await p.herald.directory.putPolicy(PROJECT.key, {
    ...policyOf(parsePointSpecs('-1d@09:00')),
    approval: { approvers: [approver], lead: '24h', onTimeout: 'hold' },
  });
  await p.herald.directory.putContact(PROJECT.key, {
    email: p.address('client'),
    name: 'Client',
    locale: 'en',
    timeZone: 'UTC',
    optedOut: false,
  });
  if (SCREENSHOTS) await mkdir(join(REPO_ROOT, 'docs'), { recursive: true });
});

afterAll(async () => {
  await launch?.browser?.close();
  await p?.stop();
});

describe('the review email in a real browser (headless Chromium)', () => {
  it("approve: the email's Approve link shows what will be approved; the click approves; a replay is refused", async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const email = await reviewEmailOf('10901', 'Summer Release');
    const key = approvalKey({ versionId: '10901', pointId: POINT_ID, releaseDate: daysFromToday(3) });

    // Act: the approver opens the email and clicks Approve.
    const page = await clickInEmail(launch.browser, email, 'Approve');
    const link = page.url();

    // Assert: the confirmation page says what will be approved; nothing decided yet.
    expect(await page.locator('h1').textContent()).toBe('Approve the release emails?');
    const facts = (await page.locator('dl').textContent()) ?? '';
    expect(facts).toContain('Review Shop (REV)');
    expect(facts).toContain('Summer Release (10901)');
    expect(facts).toContain(`${addDays(daysFromToday(3), -1)} 09:00 UTC`);
    const cells = await page.locator('tbody td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['all', 'en', '1']);
    const shown = await ledger.getApproval(key);
    const subject = (await ledger.getDraft(shown?.draftKeys[0] ?? ''))?.subject;
    expect(subject).toMatch(/\S/);
    expect(cells[3]).toBe(subject);
    expect((await ledger.getApproval(key))?.state).toBe('pending_approval');
    if (SCREENSHOTS) {
      await page.screenshot({ path: join(REPO_ROOT, 'docs', 'review-confirm.png'), fullPage: true });
    }

    // Act: confirm.
    const status = await confirmReview(page);

    // Assert
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Approved');
    const record = await ledger.getApproval(key);
    expect(record?.state).toBe('approved');
    expect(record?.decisions.map((d) => [d.decision, d.by, d.via])).toEqual([['approve', approver, 'link']]);

    // Act: the same link again.
    const again = await page.goto(link);

    // Assert
    expect(again?.status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('Already approved');
    expect((await ledger.getApproval(key))?.decisions).toHaveLength(1);
    await page.close();
  });

  it("hold: the email's Hold link holds the point", async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const email = await reviewEmailOf('10902', 'Autumn Release');
    const key = approvalKey({ versionId: '10902', pointId: POINT_ID, releaseDate: daysFromToday(3) });

    // Act
    const page = await clickInEmail(launch.browser, email, 'Hold');
    const title = await page.locator('h1').textContent();
    const status = await confirmReview(page);

    // Assert
    expect(title).toBe('Hold the release emails?');
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Held');
    expect((await ledger.getApproval(key))?.state).toBe('held');
    await page.close();
  });

  it('edit: herald drafts edit makes revision 2, the approver gets a new review email, the old link says the draft changed, the new one approves', async (ctx) => {
    if (!launch.browser) return ctx.skip(launch.missing);
    // Arrange
    const first = await reviewEmailOf('10903', 'Winter Release');
    const key = approvalKey({ versionId: '10903', pointId: POINT_ID, releaseDate: daysFromToday(3) });
    const draftKey = (await ledger.getApproval(key))?.draftKeys[0] ?? '';
    const editor = await editorScript("doc.subject = 'Winter Release: invoices as PDF, a fixed cart total';");

    // Act: an operator edits the draft.
    const edit = await herald(
      ['drafts', 'edit', draftKey, '--by', 'ana', '--endpoint', e2eEndpoint(), '--env', p.env],
      {
        env: { EDITOR: editor, JIRA_SITE_URL: p.jira.url, JIRA_EMAIL },
      },
    );
    const emails = await reviewEmailsOf('Winter Release', 2);

    // Assert: revision 2 is pending and the approver has its review email.
    expect(edit.code, edit.stderr).toBe(0);
    expect(await ledger.getApproval(key)).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      changes: { editedBy: 'ana' },
    });
    const second = emails.find((e) => e.id !== first.id);
    expect(second?.html).toContain('Winter Release: invoices as PDF, a fixed cart total');

    // Act: the old Approve link, then the new one.
    const old = await clickInEmail(launch.browser, first, 'Approve');
    const oldTitle = await old.title();
    const page = await clickInEmail(launch.browser, second as OutboxEmail, 'Approve');
    const status = await confirmReview(page);

    // Assert
    expect(oldTitle).toBe('Draft changed');
    expect(await old.locator('p').textContent()).toContain(
      'This draft has changed, see the new review email (revision 2).',
    );
    expect(status).toBe(200);
    const record = await ledger.getApproval(key);
    expect(record?.state).toBe('approved');
    expect(record?.decisions.map((d) => [d.decision, d.revision])).toEqual([['approve', 2]]);
    await old.close();
    await page.close();
  });
});
