import { pointLabel } from '#shared/report/pointLabel';
import {
  type DeliveryCounts,
  type PointReport,
  type ReleaseReport,
  skippedText,
} from '#shared/report/releaseReport';
import { singleLine } from '#shared/text';
import { escapeHtml } from '#stages/shared/escapeHtml';

/** The subject, HTML and text of one owners' summary. */
export interface SummaryContent {
  subject: string;
  html: string;
  text: string;
}

/** Options of {@link summaryEmail}. */
export interface SummaryEmailInput {
  report: ReleaseReport;
  point: PointReport;
  timeZone: string;
  /** False when the summary went out because its time ran out (15 min), not because every email settled. */
  settled: boolean;
  /** Chunks of the point fanned out / expected in this zone. */
  chunks: { fannedOut: number; count: number };
}

/** The figures of `counts` as label/value pairs, in report order. */
const figures = (counts: DeliveryCounts): [string, string][] => [
  ['planned', String(counts.planned)],
  ['sent', String(counts.sent)],
  ['delivered', String(counts.delivered)],
  ['bounced', String(counts.bounced)],
  ['complained', String(counts.complained)],
  ['opted out', String(counts.optedOut)],
  ['skipped', skippedText(counts.skipped)],
  ['not settled', String(counts.pending)],
];

/** What needs a person, as lines (empty: nothing). */
const attentionLines = (input: SummaryEmailInput): string[] => {
  const { point } = input;
  const lines: string[] = [];
  if (point.attention.bounced.length > 0)
    lines.push(`Bounced (opted out): ${point.attention.bounced.join(', ')}`);
  if (point.attention.complained.length > 0) {
    lines.push(`Complained (opted out): ${point.attention.complained.join(', ')}`);
  }
  if (point.attention.rejected.length > 0)
    lines.push(`Rejected by SES: ${point.attention.rejected.join(', ')}`);
  if (point.attention.pending.length > 0) {
    lines.push(
      `Not settled after the wait: ${point.attention.pending.length} email(s), in retry or dead-lettered: see \`herald dlq peek send\` and \`herald report ${input.report.versionId}\``,
    );
  }
  if (input.chunks.fannedOut < input.chunks.count) {
    lines.push(
      `Only ${input.chunks.fannedOut} of ${input.chunks.count} chunk(s) were composed: the rest are in retry or dead-lettered (\`herald dlq peek compose\`)`,
    );
  }
  const held = point.rows.filter((row) => row.held === true);
  if (held.length > 0)
    lines.push(`Held for review: ${held.map((row) => `${row.audience}/${row.locale}`).join(', ')}`);
  return lines;
};

/**
 * The owners' summary of one point in one zone: its figures, one line per audience × locale
 * (draft source, model, tokens) and what needs a person (bounces, complaints, rejections,
 * emails not settled, chunks not composed, drafts held). Addresses are shown in full: it goes
 * to the release owners only.
 */
export const summaryEmail = (input: SummaryEmailInput): SummaryContent => {
  const { report, point } = input;
  const release = `${report.projectKey ?? ''} ${report.versionName ?? report.versionId}`.trim();
  const where = `${pointLabel(point.pointId)} (${input.timeZone})`;
  const t = point.totals;
  const subject = singleLine(
    `[release-herald] ${release} ${where}: ${t.delivered} delivered, ${t.bounced} bounced, ${t.complained} complained`,
  );
  const attention = attentionLines(input);
  const rows = point.rows.map(
    (row) =>
      `${row.audience}/${row.locale}: ${row.source ?? 'no draft'}${row.model ? ` (${row.model})` : ''}, ${row.counts.delivered}/${row.counts.planned} delivered`,
  );
  const intro = input.settled
    ? `Every email of release ${release}, point ${where}, has settled.`
    : `Release ${release}, point ${where}: not every email settled within the wait; figures as of ${report.generatedAt}.`;
  const text = [
    intro,
    '',
    ...figures(t).map(([label, value]) => `${label.padEnd(12)}${value}`),
    '',
    ...rows,
    '',
    attention.length > 0 ? 'Needs a person:' : 'Nothing needs a person.',
    ...attention.map((line) => `- ${line}`),
    '',
    `Full report: herald report ${report.versionId}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328">
<p>${escapeHtml(intro)}</p>
<table style="border-collapse:collapse">${figures(t)
    .map(
      ([label, value]) =>
        `<tr><td style="padding:2px 12px 2px 0">${escapeHtml(label)}</td><td style="padding:2px 0;text-align:right"><b>${escapeHtml(value)}</b></td></tr>`,
    )
    .join('')}</table>
<ul>${rows.map((row) => `<li>${escapeHtml(row)}</li>`).join('')}</ul>
<p><b>${attention.length > 0 ? 'Needs a person:' : 'Nothing needs a person.'}</b></p>
${attention.length > 0 ? `<ul>${attention.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}
<p style="color:#57606a">Full report: <code>herald report ${escapeHtml(report.versionId)}</code></p>
</body></html>`;
  return { subject, html, text };
};
