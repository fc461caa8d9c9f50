import type { ActiveRegion } from '#contracts/activeRegion';

// The errors an ActiveRegionPort caller may handle (by class).
export { ActiveRegionChangedError, ActiveRegionError } from './errors.ts';

/**
 * Where the deployment's active region is kept: one record in the ledger table, a DynamoDB global
 * table, so every region reads it from its own replica.
 */
export interface ActiveRegionPort {
  /** The stored switch (a strongly consistent read of this region's replica), or null when none. */
  get(): Promise<ActiveRegion | null>;
  /**
   * Stores `next` when the stored record still has epoch `expectedEpoch` (null: none stored).
   * @throws ActiveRegionChangedError when another switch was stored since it was read.
   */
  put(next: ActiveRegion, expectedEpoch: number | null): Promise<void>;
}
