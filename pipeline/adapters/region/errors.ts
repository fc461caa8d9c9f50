import { HeraldError } from '#shared/errors';

/** Base error of the active-region adapter. */
export class ActiveRegionError extends HeraldError {
  override name = 'ActiveRegionError';
}

/** Another switch was stored between reading the record and writing the new one. */
export class ActiveRegionChangedError extends ActiveRegionError {
  override name = 'ActiveRegionChangedError';
  /** The epoch the writer expected (null: none stored). */
  readonly expectedEpoch: number | null;

  constructor(expectedEpoch: number | null, options?: { cause?: unknown }) {
    super(
      `the active region changed while switching (expected epoch ${expectedEpoch ?? 'none'}); read it again and retry`,
      options,
    );
    this.expectedEpoch = expectedEpoch;
  }
}
