import { describe, expect, it } from 'vitest';
import type { OpsReport } from '#ops/report/opsReport';
import { renderReportHtml } from '#ops/report/renderReportHtml';
import { renderReportTable } from '#ops/report/renderReportTable';
import { emptyCounts } from '#shared/report/releaseReport';
import { runCli } from './cliHarness.ts';

const report = (): OpsReport => ({
  versionId: '10001',
  projectKey: 'SHOP',
  versionName: '2026.12 <script>alert(1)</script>',
  generatedAt: '2026-12-14T10:00:00.000Z',
  estimatedCostUsd: 0.00112,
  totals: { ...emptyCounts(), planned: 4, sent: 3, delivered: 2, bounced: 1, skipped: { missed: 1 } },
  points: [
    {
      pointId: 'b1d0h0m0900',
      releaseDate: '2026-12-15',
      settled: true,
      zones: [
        {
          timeZone: 'UTC',
          status: 'sent',
          chunks: { fannedOut: 1, count: 1 },
          dueAt: '2026-12-14T09:00:00.000Z',
        },
        {
          timeZone: 'Asia/Tokyo',
          status: 'missed',
          reason: 'past_deadline',
          chunks: { fannedOut: 0, count: 0 },
        },
      ],
      rows: [
        {
          audience: 'all',
          locale: 'en',
          draftKey: 'draft:x',
          source: 'llm',
          model: 'gpt-4.1-mini',
          llmCalls: 1,
          promptTokens: 1500,
          completionTokens: 320,
          estimatedCostUsd: 0.00112,
          counts: { ...emptyCounts(), planned: 4, sent: 3, delivered: 2, bounced: 1, skipped: { missed: 1 } },
        },
      ],
      totals: { ...emptyCounts(), planned: 4, sent: 3, delivered: 2, bounced: 1, skipped: { missed: 1 } },
      attention: { bounced: ['bob@example.org'], complained: [], rejected: [], pending: [] },
    },
    {
      pointId: 'a0d0h0m0900',
      releaseDate: undefined,
      settled: false,
      zones: [
        {
          timeZone: 'UTC',
          status: 'scheduled',
          dueAt: '2026-12-15T09:00:00.000Z',
          chunks: { fannedOut: 0, count: 0 },
          scheduledRecipients: 4,
        },
      ],
      rows: [],
      totals: emptyCounts(),
      attention: { bounced: [], complained: [], rejected: [], pending: [] },
    },
  ],
  deadLetters: {
    messages: [
      {
        stage: 'send',
        kind: 'send.job',
        key: '10001:b1d0h0m0900@2026-12-15:eve@example.com',
        reason: 'permanent:draft_missing',
        error: 'no draft',
        failedAt: '2026-12-14T09:01:00.000Z',
      },
    ],
    notFullyRead: [],
  },
});

describe('Function: renderReportTable', () => {
  it('prints one row per point × audience × locale, the zones, what needs a person (masked) and the dead letters', () => {
    // Act
    const text = renderReportTable(report());

    // Assert
    const row = text.split('\n').find((line) => line.startsWith('-1d@09:00'));
    expect(row?.split(/\s{2,}/)).toEqual([
      '-1d@09:00 2026-12-15',
      'all',
      'en',
      'llm',
      'gpt-4.1-mini',
      '1500/320',
      '$0.0011',
      '-',
      '4',
      '3',
      '2',
      '1',
      '0',
      '0',
      '1 missed',
      '0',
    ]);
    expect(text).toContain('-1d@09:00: UTC sent; Asia/Tokyo missed (past_deadline)');
    expect(text).toContain('0d@09:00: UTC scheduled 4 recipient(s) at 2026-12-15T09:00:00.000Z');
    expect(text).toContain('  bounced: b***@e***.org');
    expect(text).not.toContain('bob@example.org');
    expect(text).toContain('dead letters of this release: 1 (send permanent:draft_missing)');
    expect(text).toContain('LLM cost: $0.0011 (estimate');
  });
});

describe('Function: renderReportHtml', () => {
  it('writes one self-contained page: no script, no external asset, every value escaped, a chart per point', () => {
    // Act
    const html = renderReportHtml(report());

    // Assert
    expect(html).not.toMatch(/<script|\b(?:src|href)\s*=|@import|url\(/i);
    expect(html).toContain('2026.12 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain(
      'aria-label="delivered 2, bounced 1, complained 0, sent, no delivery yet 0, opted out 0, skipped 1, not settled 0"',
    );
    expect(html).toContain('bounced: bob@example.org');
    expect(html).toContain('permanent:draft_missing');
    expect(html).toContain('estimate at list prices');
  });
});

describe('Command: herald report', () => {
  it('refuses a release that is neither a version id nor a project and a name (exit 2)', async () => {
    // Act
    const run = await runCli(['report', 'SHOP-2026']);

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '"SHOP-2026" is not a version id; give the id (10001) or a project key and version name (SHOP 2026.12)',
    );
  });

  it('documents itself in --help', async () => {
    // Act
    const run = await runCli(['report', '--help']);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--html <file>');
    expect(run.stdout).toContain('herald report SHOP 2026.12 --env prod --html report.html');
  });
});
