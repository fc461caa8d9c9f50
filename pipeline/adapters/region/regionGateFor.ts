import type { Config } from '#shared/config';
import { createRegionGate, type RegionGate } from '#shared/regionGate';
import { DynamoActiveRegion } from './DynamoActiveRegion.ts';

/**
 * The region gate of a Lambda function: the active-region record in `ledgerTable`, this
 * function's AWS_REGION, and HERALD_HOME_REGION (default AWS_REGION: a single-region deploy is
 * always active).
 */
export const regionGateFor = (
  config: Pick<Config, 'AWS_REGION' | 'HERALD_HOME_REGION'>,
  ledgerTable: string,
): RegionGate =>
  createRegionGate({
    store: new DynamoActiveRegion({ tableName: ledgerTable }),
    region: config.AWS_REGION,
    homeRegion: config.HERALD_HOME_REGION ?? config.AWS_REGION,
  });
