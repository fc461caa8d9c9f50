import type { ReleaseReport } from '#shared/report/releaseReport';
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
