import { pointLabel } from '#shared/report/pointLabel';
import { DEFAULT_PRICED_MODEL } from '#shared/report/priceTable';
import { type DeliveryCounts, type PointReport, skippedTotal } from '#shared/report/releaseReport';
import { escapeHtml } from '#stages/shared/escapeHtml';
import { BAR_SEGMENTS, type BarSegment, type OpsReport, ROW_COLUMNS, usd } from './opsReport.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:24px;max-width:1320px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px}.card h2{margin-top:0}.muted{color:#57606a}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #d8dee4;text-align:left;white-space:nowrap}
th{font-size:11px;text-transform:uppercase;color:#57606a}td.n{text-align:right;font-variant-numeric:tabular-nums}
.card{border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:12px 0;overflow-x:auto}
.zone{display:inline-block;margin:2px 8px 6px 0;padding:1px 8px;border-radius:10px;background:#eaeef2;font-size:12px}
.zone.missed{background:#ffebe9;color:#a40e26}.attention{color:#a40e26;margin:4px 0}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
`;

/** The segment sizes of a point's bar. */
const segmentsOf = (c: DeliveryCounts): Record<BarSegment, number> => ({
  delivered: c.delivered - c.complained,
  bounced: c.bounced,
  complained: c.complained,
  inTransit: c.sent - c.delivered - c.bounced,
  optedOut: c.optedOut,
  skipped: skippedTotal(c.skipped),
  pending: c.pending,
});

/** A horizontal stacked bar of a point's emails (inline SVG), with a text equivalent for screen readers. */
const chart = (counts: DeliveryCounts): string => {
  const width = 640;
  const parts = segmentsOf(counts);
  const total = Math.max(1, counts.planned);
  let x = 0;
  const rects = BAR_SEGMENTS.filter((s) => parts[s.name] > 0).map((s) => {
    const w = (parts[s.name] / total) * width;
    const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="22" fill="${s.colour}"><title>${escapeHtml(s.label)}: ${parts[s.name]}</title></rect>`;
    x += w;
    return rect;
  });
  const described = BAR_SEGMENTS.map((s) => `${s.label} ${parts[s.name]}`).join(', ');
  return `<svg width="${width}" height="22" viewBox="0 0 ${width} 22" role="img" aria-label="${escapeHtml(described)}"><rect width="${width}" height="22" fill="#f6f8fa"/>${rects.join('')}</svg>`;
};

const legend = (): string =>
  `<div class="legend">${BAR_SEGMENTS.map((s) => `<span><i style="background:${s.colour}"></i>${escapeHtml(s.label)}</span>`).join('')}</div>`;

const cell = (value: string | number | undefined, numeric = false): string =>
  `<td${numeric ? ' class="n"' : ''}>${escapeHtml(value === undefined ? '-' : String(value))}</td>`;

const pointSection = (point: PointReport): string => {
  const zones = point.zones
    .map(
      (z) =>
        `<span class="zone ${z.status}">${escapeHtml(`${z.timeZone}: ${z.status}${z.reason ? ` (${z.reason})` : ''}${z.status === 'scheduled' ? `, ${z.scheduledRecipients ?? 0} recipient(s)` : ''}`)}</span>`,
    )
    .join('');
  const rows = point.rows
    .map((r) => `<tr>${ROW_COLUMNS.map((c) => cell(c.value(r), c.numeric)).join('')}</tr>`)
    .join('');
  const a = point.attention;
  const attention = [
    a.bounced.length > 0 ? `bounced: ${a.bounced.join(', ')}` : '',
    a.complained.length > 0 ? `complained: ${a.complained.join(', ')}` : '',
    a.rejected.length > 0 ? `rejected: ${a.rejected.join(', ')}` : '',
    a.pending.length > 0 ? `not settled: ${a.pending.length}` : '',
  ].filter((line) => line !== '');
  return `<section class="card"><h2>${escapeHtml(pointLabel(point.pointId))} <span class="muted">release date ${escapeHtml(point.releaseDate ?? 'none')}</span></h2>
<div>${zones}</div>
${chart(point.totals)}
${point.rows.length > 0 ? `<table><tr>${ROW_COLUMNS.map((c) => `<th>${escapeHtml(c.head)}</th>`).join('')}</tr>${rows}</table>` : '<p class="muted">not fired yet</p>'}
${attention.map((line) => `<p class="attention">${escapeHtml(line)}</p>`).join('')}</section>`;
};

/**
 * `herald report --html`: one self-contained page (inline CSS and SVG, no script, no external
 * asset) with the release's figures, a delivery bar per point, the rows of each point, and its
 * dead letters. Every value from the ledger or a queue is HTML-escaped.
 */
export const renderReportHtml = (report: OpsReport): string => {
  const t = report.totals;
  const title = `${report.projectKey ?? ''} ${report.versionName ?? report.versionId}`.trim();
  const dead = report.deadLetters.messages;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(`Delivery report: ${title}`)}</title><style>${CSS}</style></head>
<body><h1>Delivery report: ${escapeHtml(title)}</h1>
<p class="muted">version ${escapeHtml(report.versionId)} · generated ${escapeHtml(report.generatedAt)}</p>
<p><b>${t.planned}</b> planned · <b>${t.sent}</b> sent · <b>${t.delivered}</b> delivered · <b>${t.bounced}</b> bounced · <b>${t.complained}</b> complained · <b>${t.optedOut}</b> opted out · <b>${skippedTotal(t.skipped)}</b> skipped · <b>${t.pending}</b> not settled · LLM cost <b>${escapeHtml(usd(report.estimatedCostUsd))}</b> (estimate at list prices; unknown models priced as ${escapeHtml(DEFAULT_PRICED_MODEL)})</p>
${legend()}
${report.points.map(pointSection).join('\n')}
<h2>Dead letters of this release</h2>
${
  dead.length === 0
    ? '<p class="muted">none</p>'
    : `<table><tr><th>stage</th><th>kind</th><th>key</th><th>reason</th><th>failed at</th></tr>${dead
        .map(
          (d) => `<tr>${cell(d.stage)}${cell(d.kind)}${cell(d.key)}${cell(d.reason)}${cell(d.failedAt)}</tr>`,
        )
        .join('')}</table>`
}
</body></html>
`;
};
