import { DynamoActiveRegion } from '#adapters/region/DynamoActiveRegion';
import type { OpsContext } from '#ops/cli/OpsContext';

/** The active-region record of the command's environment, in the ledger replica of `--region`. */
export const activeRegionOf = (ctx: Pick<OpsContext, 'clients' | 'names'>): DynamoActiveRegion =>
  new DynamoActiveRegion({ client: ctx.clients.documents, tableName: ctx.names.tables.ledger });
