import type { ActiveRegion } from '#contracts/activeRegion';

/** Which region composes and sends, as `herald status` and `herald region show` report it. */
export interface RegionView {
  /**
   * `home`: no switch recorded, the deploy's primary region composes and sends; `switching`: a
   * switch waits for its `activeFrom`; `active`: the recorded region composes and sends.
   */
  state: 'home' | 'switching' | 'active';
  /** The recorded region (absent in state `home`). */
  region?: string | undefined;
  /** When it starts (or started), ISO 8601. */
  activeFrom?: string | undefined;
  /** The region before it, absent when that was the deploy's primary. */
  previous?: string | undefined;
  /** Until when the previous region may still claim, ISO 8601. */
  previousUntil?: string | undefined;
  /** When the switch was written, ISO 8601. */
  activatedAt?: string | undefined;
  /** Switches recorded so far. */
  epoch: number;
}

/** The record as the operator reads it at `now`. */
export const regionView = (record: ActiveRegion | null, now: Date): RegionView => {
  if (record === null) return { state: 'home', epoch: 0 };
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    state: now.getTime() < record.activeFrom ? 'switching' : 'active',
    region: record.region,
    activeFrom: iso(record.activeFrom),
    previous: record.previous,
    previousUntil: iso(record.previousUntil),
    activatedAt: record.activatedAt,
    epoch: record.epoch,
  };
};

/** One line for `herald status`. */
export const renderRegionLine = (view: RegionView): string => {
  switch (view.state) {
    case 'home':
      return 'active region: the primary (no switch recorded; herald region activate <region> to switch)';
    case 'switching':
      return `active region: switching to ${view.region} at ${view.activeFrom}; ${view.previous ?? 'the primary'} claims until ${view.previousUntil}`;
    case 'active':
      return `active region: ${view.region} since ${view.activeFrom} (switch ${view.epoch})`;
  }
};
