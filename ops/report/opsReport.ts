import { type ReleaseReport, type ReportRow, skippedText } from '#shared/report/releaseReport';
import type { ReleaseDeadLetters } from './releaseDeadLetters.ts';

/** What `herald report` shows: the ledger's report of the release and its dead letters. */
export interface OpsReport extends ReleaseReport {
  deadLetters: ReleaseDeadLetters;
}

/** Segments of a delivery bar, in drawing order, with their colour and legend label. */
export const BAR_SEGMENTS = [
  { name: 'delivered', label: 'delivered', colour: '#2da44e' },
  { name: 'bounced', label: 'bounced', colour: '#cf222e' },
  { name: 'complained', label: 'complained', colour: '#bc4c00' },
  { name: 'inTransit', label: 'sent, no delivery yet', colour: '#0969da' },
  { name: 'optedOut', label: 'opted out', colour: '#8c959f' },
  { name: 'skipped', label: 'skipped', colour: '#d0d7de' },
  { name: 'pending', label: 'not settled', colour: '#d4a72c' },
] as const;

/** One segment's name. */
export type BarSegment = (typeof BAR_SEGMENTS)[number]['name'];

/** USD as `$0.0123` (4 decimals: a draft costs fractions of a cent). */
export const usd = (value: number | undefined): string =>
  value === undefined ? '-' : `$${value.toFixed(4)}`;

/** One column of a report row: its header, whether it is a number (right-aligned), its value. */
export interface ReportColumn {
  head: string;
  numeric: boolean;
  value: (row: ReportRow) => string | number | undefined;
}

/**
 * The columns of one point × audience × locale row, as the table and the page show them.
 * `approval` is filled by review before send (issue 10); `-` until then.
 */
export const ROW_COLUMNS: readonly ReportColumn[] = [
  { head: 'audience', numeric: false, value: (r) => r.audience },
  { head: 'locale', numeric: false, value: (r) => r.locale },
  { head: 'draft', numeric: false, value: (r) => (r.held ? `${r.source ?? '-'} (held)` : r.source) },
  { head: 'model', numeric: false, value: (r) => r.model },
  {
    head: 'tokens in/out',
    numeric: true,
    value: (r) => (r.promptTokens === undefined ? undefined : `${r.promptTokens}/${r.completionTokens ?? 0}`),
  },
  { head: 'cost (est.)', numeric: true, value: (r) => usd(r.estimatedCostUsd) },
  {
    head: 'approval',
    numeric: false,
    value: (r) => (r.approval ? `${r.approval.by} ${r.approval.at}` : undefined),
  },
  { head: 'planned', numeric: true, value: (r) => r.counts.planned },
  { head: 'sent', numeric: true, value: (r) => r.counts.sent },
  { head: 'delivered', numeric: true, value: (r) => r.counts.delivered },
  { head: 'bounced', numeric: true, value: (r) => r.counts.bounced },
  { head: 'complained', numeric: true, value: (r) => r.counts.complained },
  { head: 'opted out', numeric: true, value: (r) => r.counts.optedOut },
  { head: 'skipped', numeric: false, value: (r) => skippedText(r.counts.skipped) },
  { head: 'not settled', numeric: true, value: (r) => r.counts.pending },
];
