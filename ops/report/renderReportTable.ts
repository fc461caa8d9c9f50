import { renderTable } from '#ops/cli/table';
import { maskEmailsIn } from '#shared/logger';
import { pointLabel } from '#shared/report/pointLabel';
import { DEFAULT_PRICED_MODEL } from '#shared/report/priceTable';
import { skippedTotal } from '#shared/report/releaseReport';
import { type OpsReport, ROW_COLUMNS, usd } from './opsReport.ts';

/**
 * `herald report` for people: one row per point × audience × locale, the zones of each point
 * (sent, caught up, missed, scheduled), what needs a person (addresses masked: `--json` has them
 * whole), the release's dead letters and the estimated LLM cost.
 */
export const renderReportTable = (report: OpsReport): string => {
  const rows = report.points.flatMap((point) =>
    point.rows.map((r) => [
      `${pointLabel(point.pointId)} ${point.releaseDate ?? ''}`.trim(),
      ...ROW_COLUMNS.map((c) => c.value(r)),
    ]),
  );
  const t = report.totals;
  const lines = [
    `release ${`${report.projectKey ?? ''} ${report.versionName ?? ''}`.trim() || '-'} (version ${report.versionId}), report at ${report.generatedAt}`,
    '',
    rows.length > 0
      ? renderTable(['point', ...ROW_COLUMNS.map((c) => c.head)], rows, [
          'left',
          ...ROW_COLUMNS.map((c) => (c.numeric ? ('right' as const) : ('left' as const))),
        ])
      : 'no point has fired yet',
    '',
    `total: ${t.planned} planned, ${t.sent} sent, ${t.delivered} delivered, ${t.bounced} bounced, ${t.complained} complained, ${t.optedOut} opted out, ${skippedTotal(t.skipped)} skipped, ${t.pending} not settled`,
  ];
  for (const point of report.points) {
    const zones = point.zones.map(
      (z) =>
        `${z.timeZone} ${z.status}${z.reason ? ` (${z.reason})` : ''}${z.status === 'scheduled' ? ` ${z.scheduledRecipients ?? 0} recipient(s) at ${z.dueAt ?? '?'}` : ''}`,
    );
    lines.push(`${pointLabel(point.pointId)}: ${zones.join('; ')}`);
    const a = point.attention;
    for (const [label, list] of [
      ['bounced', a.bounced],
      ['complained', a.complained],
      ['rejected', a.rejected],
    ] as const) {
      if (list.length > 0) lines.push(`  ${label}: ${maskEmailsIn(list.join(', '))}`);
    }
  }
  const dead = report.deadLetters;
  lines.push(
    dead.messages.length === 0
      ? 'dead letters of this release: none'
      : `dead letters of this release: ${dead.messages.length} (${dead.messages.map((d) => `${d.stage} ${d.reason ?? 'unknown'}`).join(', ')}); inspect with \`herald dlq peek <stage>\``,
  );
  if (dead.notFullyRead.length > 0)
    lines.push(`  (only the first messages of the ${dead.notFullyRead.join(', ')} DLQ(s) were read)`);
  lines.push(
    `LLM cost: ${usd(report.estimatedCostUsd)} (estimate: list prices per 1M tokens; unknown models priced as ${DEFAULT_PRICED_MODEL})`,
  );
  return lines.join('\n');
};
