import type { ActiveRegionPort } from '#adapters/region/ActiveRegionPort';
import { PermanentError, RetryableError } from './errors.ts';
import type { Log } from './logger.ts';
import { type RegionRole, regionRole } from './regionRole.ts';

/**
 * A send job reached a passive region (composed here while it was active, or redriven after a
 * switch). It goes to the DLQ with reason `region_passive` instead of being dropped: after a
 * failback `herald dlq redrive send` sends it (the ledger skips whatever the other region sent),
 * or `herald dlq purge send` discards it.
 */
export class RegionPassiveError extends PermanentError {
  override name = 'RegionPassiveError';
  /** The region that is active instead, when known. */
  readonly activeRegion: string | undefined;

  constructor(region: string, activeRegion: string | undefined) {
    super(
      'region_passive',
      `region ${region} is passive (active: ${activeRegion ?? 'unknown'}); it sends nothing`,
    );
    this.activeRegion = activeRegion;
  }
}

/** This region was activated but does not start yet: the record waits (redelivery backoff). */
export class RegionPendingError extends RetryableError {
  override name = 'RegionPendingError';
  /** When the region starts, epoch ms. */
  readonly activeFrom: number;

  constructor(region: string, activeFrom: number, now: number) {
    super(`region ${region} becomes active at ${new Date(activeFrom).toISOString()}`, {
      retryAfterSeconds: Math.max(1, Math.ceil((activeFrom - now) / 1000)),
    });
    this.activeFrom = activeFrom;
  }
}

/** Options of {@link createRegionGate}. */
export interface RegionGateOptions {
  /** Where the active region is read from (this region's replica of the ledger). */
  store: Pick<ActiveRegionPort, 'get'>;
  /** This function's region (AWS_REGION). */
  region: string;
  /** The deploy's primary region (HERALD_HOME_REGION): active while no switch is recorded. */
  homeRegion: string;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** The stages that claim, and so must run in the active region only. */
export type GatedStage = 'compose' | 'send';

/**
 * Asks, before a record claims anything, whether this region may compose and send now; read once
 * per record, never cached, so a switch takes effect at the next record. Resolves true to go on;
 * false for a compose job in a passive region (a schedule left there: a no-op, logged as
 * `compose_skipped_region_passive`); throws {@link RegionPendingError} (retried after the start)
 * in a region activated for later, and {@link RegionPassiveError} (DLQ) for a send job in a
 * passive region.
 */
export type RegionGate = (stage: GatedStage, logger: Pick<Log, 'warn'>) => Promise<boolean>;

/** Builds the {@link RegionGate} of one function. */
export const createRegionGate = (options: RegionGateOptions): RegionGate => {
  const now = options.now ?? Date.now;
  return async (stage, logger) => {
    const flag = await options.store.get();
    const at = now();
    const role: RegionRole = regionRole({
      flag,
      region: options.region,
      homeRegion: options.homeRegion,
      now: at,
    });
    switch (role.role) {
      case 'active':
        return true;
      case 'pending':
        throw new RegionPendingError(options.region, role.activeFrom, at);
      case 'passive':
        if (stage === 'send') throw new RegionPassiveError(options.region, role.activeRegion);
        logger.warn(
          { region: options.region, activeRegion: role.activeRegion },
          'compose_skipped_region_passive',
        );
        return false;
    }
  };
};
