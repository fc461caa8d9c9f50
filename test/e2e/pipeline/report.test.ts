import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import type { PointSummaryJob } from '#contracts/pointSummary';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { SIMULATED_DOMAINS } from '#local/SesEventPublisher';
import type { OpsReport } from '#ops/report/opsReport';
import { e2eEndpoint } from '../local/support.ts';
import { herald, jsonOf } from '../ops/heraldCli.ts';
import { putContacts, putRelease } from './seed.ts';
import {
  addDays,
  dayBeforeJob,
  daysFromToday,
  type Pipeline,
  policyOf,
  SENDER,
  startPipeline,
} from './support.ts';

const PROJECT = { id: '10700', key: 'RPT', name: 'Report Shop' };
const BERLIN = 'Europe/Berlin';
/** Debian's Chromium; `CHROMIUM` names another. */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let p: Pipeline;
const version = {
  id: '20701',
  projectId: PROJECT.id,
  name: 'Report 2026.12',
  releaseDate: daysFromToday(12),
};
let owner: string;
let ada: string;
let bouncer: string;
let complainer: string;
let quitter: string;
let gone: string;

const cli = (args: string[]) => herald([...args, '--endpoint', e2eEndpoint(), '--env', p.env]);

beforeAll(async () => {
  p = await startPipeline({ label: 'report' });
  owner = p.address('owner', 'example.org');
  ada = p.address('ada');
  bouncer = p.address('bouncer', SIMULATED_DOMAINS.bounce);
  complainer = p.address('complainer', SIMULATED_DOMAINS.complaint);
  quitter = p.address('quitter');
  gone = p.address('gone');
  putRelease(p, PROJECT, version, [{ key: 'RPT-1', summary: 'Invoices export to CSV', issueType: 'Story' }]);
  await p.herald.directory.putPolicy(PROJECT.key, {
    ...policyOf(parsePointSpecs('-1d@09:00')),
    notify: [owner],
  });
  await putContacts(
    p,
    PROJECT.key,
    [ada, bouncer, complainer, quitter, gone].map((email) => ({ email, locale: 'en', timeZone: BERLIN })),
  );
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  await p.waitForIdle();
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: herald report and the owners’ summary', () => {
  it('reports a bounce, a complaint, an opt-out, a removal and a missed zone, and mails the owner one summary for the point', async () => {
    // Arrange: planned with five contacts; before the point one opts out and one leaves the project.
    const [schedule] = await p.schedulesOf(version.id);
    if (!schedule) throw new Error('no schedule');
    await p.herald.directory.optOut(quitter, 'asked by phone');
    await p.herald.directory.removeContact(PROJECT.key, gone);
    // The same point in another zone, fired 7 hours late (past its 6 h lateness): recorded missed.
    await p.sendToQueue(
      'compose',
      JSON.stringify(
        dayBeforeJob({
          versionId: version.id,
          projectKey: PROJECT.key,
          releaseDate: version.releaseDate,
          recipients: [{ email: p.address('late'), locale: 'en' }],
          dueAt: new Date(Date.now() - 7 * 3_600_000).toISOString(),
        }),
      ),
    );

    // Act
    p.clock.set(new Date(schedule.job.payload.dueAt));
    await p.waitForFires([schedule.name]);
    await p.waitForEmails([ada, bouncer, complainer], 3);
    const [summary] = await p.waitForEmails([owner], 1, 60_000);
    await p.waitForIdle({ timeoutMs: 60_000 });

    // Assert: the summary arrived once, from the sender, with the point's figures.
    expect(await p.emailsTo([owner])).toHaveLength(1);
    expect(await p.emailsTo([quitter, gone])).toEqual([]);
    expect(summary?.subject).toBe(
      `[release-herald] ${PROJECT.key} ${version.name} -1d@09:00 (${BERLIN}): 2 delivered, 1 bounced, 1 complained`,
    );
    expect(summary?.from).toContain(SENDER);
    expect(summary?.text).toContain(`Bounced (opted out): ${bouncer}`);
    expect(summary?.text).toContain(`Complained (opted out): ${complainer}`);
    expect(summary?.text).toMatch(/opted out\s+1\n/);
    expect(summary?.text).toMatch(/skipped\s+1 removed\n/);

    // Act: the report, by id and by project and name.
    const json = jsonOf<OpsReport>(await cli(['report', version.id, '--json']));
    const byName = jsonOf<OpsReport>(await cli(['report', PROJECT.key, version.name, '--json']));
    const table = await cli(['report', version.id]);

    // Assert
    expect(byName.versionId).toBe(version.id);
    expect(json).toMatchObject({ versionId: version.id, projectKey: PROJECT.key, versionName: version.name });
    expect(json.points).toHaveLength(1);
    const [point] = json.points;
    expect(point?.zones).toEqual([
      expect.objectContaining({ timeZone: 'UTC', status: 'missed', reason: 'past_deadline' }),
      expect.objectContaining({ timeZone: BERLIN, status: 'sent', chunks: { fannedOut: 1, count: 1 } }),
    ]);
    expect(point?.rows).toEqual([
      expect.objectContaining({
        audience: 'all',
        locale: 'en',
        source: 'llm',
        llmCalls: 1,
        promptTokens: expect.any(Number),
        estimatedCostUsd: expect.any(Number),
        counts: {
          planned: 5,
          sent: 3,
          delivered: 2,
          bounced: 1,
          complained: 1,
          delayed: 0,
          optedOut: 1,
          skipped: { removed: 1 },
          pending: 0,
        },
      }),
    ]);
    // The approval column is empty until review before send (issue 10) fills it.
    expect(point?.rows[0]?.approval).toBeUndefined();
    expect(point?.attention).toEqual({
      bounced: [bouncer],
      complained: [complainer],
      rejected: [],
      pending: [],
    });
    expect(point?.settled).toBe(true);
    expect(json.deadLetters.messages).toEqual([]);
    expect(table.code).toBe(0);
    const row = table.stdout.split('\n').find((line) => line.startsWith('-1d@09:00'));
    expect(row?.split(/\s{2,}/).slice(-8)).toEqual(['5', '3', '2', '1', '1', '1', '1 removed', '0']);
    expect(table.stdout).toContain('bounced: b***@b***.test');
    expect(table.stdout).not.toContain(bouncer);
    expect(table.stdout).toContain(`-1d@09:00: UTC missed (past_deadline); ${BERLIN} sent`);
    expect(table.stdout).toContain('dead letters of this release: none');

    // Act: a late duplicate of the point's summary message (a redelivery, another chunk's).
    await p.sendToQueue(
      'send',
      JSON.stringify(
        wrap('point.summary', `summary:${version.id}:dup`, {
          versionId: version.id,
          projectKey: PROJECT.key,
          pointId: schedule.job.payload.pointId,
          releaseDate: version.releaseDate,
          timeZone: BERLIN,
          chunkCount: 1,
          fannedOutAt: new Date().toISOString(),
        } satisfies PointSummaryJob),
      ),
    );
    await p.waitForIdle({ timeoutMs: 60_000 });

    // Assert: the ledger claim kept it to one email.
    expect(await p.emailsTo([owner])).toHaveLength(1);
  }, 120_000);

  it('shows a point that review before send held (no decision, onTimeout hold), and sends its clients nothing', async () => {
    // Arrange: another project whose points need an approver; nobody decides.
    const held = { id: '10702', key: 'RPH', name: 'Report Held' };
    const heldVersion = {
      id: '20702',
      projectId: held.id,
      name: 'Held 2027.01',
      releaseDate: daysFromToday(20),
    };
    const approver = p.address('approver', 'example.org');
    const client = p.address('held-client');
    p.jira.putProject(held);
    p.jira.putVersion(heldVersion);
    p.jira.setIssues(heldVersion.id, [{ key: 'RPH-1', summary: 'Faster search', issueType: 'Story' }]);
    await p.herald.directory.putPolicy(held.key, {
      ...policyOf(parsePointSpecs('-1d@09:00')),
      approval: { approvers: [approver], lead: '24h', onTimeout: 'hold' },
    });
    await p.herald.directory.putContact(held.key, { email: client, locale: 'en', optedOut: false });
    expect(await p.postVersionEvent('jira:version_created', heldVersion)).toBe(202);
    await p.waitForIdle();
    const due = new Date(`${addDays(heldVersion.releaseDate, -1)}T09:00:00.000Z`);

    // Act: the review time (the approver is asked), then the send time (no decision).
    p.clock.set(new Date(due.getTime() - 24 * 3_600_000));
    await p.waitForEmails([approver], 1);
    p.clock.set(due);
    await p.waitForIdle({ timeoutMs: 60_000 });
    const report = jsonOf<OpsReport>(await cli(['report', heldVersion.id, '--json']));

    // Assert
    expect(await p.emailsTo([client])).toEqual([]);
    expect(report.points[0]?.zones).toEqual([
      expect.objectContaining({ timeZone: 'UTC', status: 'held', reason: 'timeout_held' }),
    ]);
    expect(report.totals.sent).toBe(0);
  }, 120_000);

  it('writes a self-contained HTML report that headless Chromium renders', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'herald-report-'));
    const page = join(dir, 'report.html');
    const png = join(dir, 'report.png');

    // Act
    const run = await cli(['report', version.id, '--html', page]);
    const html = await readFile(page, 'utf8');
    const chromium = (args: string[]) =>
      promisify(execFile)(
        CHROMIUM,
        ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...args],
        {
          timeout: 60_000,
        },
      );
    const dom = await chromium(['--dump-dom', `file://${page}`]);
    await chromium([`--screenshot=${png}`, '--window-size=1100,700', '--hide-scrollbars', `file://${page}`]);

    // Assert: nothing outside the page, and Chromium drew the chart and the figures.
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`wrote ${page}`);
    expect(html).not.toMatch(/\b(?:src|href)\s*=|@import|url\(/i);
    expect(dom.stdout).toContain('Delivery report: RPT Report 2026.12');
    expect(dom.stdout).toMatch(
      /<svg[^>]*aria-label="delivered 1, bounced 1, complained 1, sent, no delivery yet 0, opted out 1, skipped 1, not settled 0"/,
    );
    expect(dom.stdout).toContain(`bounced: ${bouncer}`);
    const shot = await readFile(png);
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    expect((await stat(png)).size).toBeGreaterThan(10_000);
  }, 120_000);
});
