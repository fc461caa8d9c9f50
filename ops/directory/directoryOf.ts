import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import type { OpsContext } from '#ops/cli/OpsContext';

/** The client directory of the command's environment. */
export const directoryOf = (ctx: Pick<OpsContext, 'clients' | 'names' | 'now'>): DynamoDirectory =>
  new DynamoDirectory({ client: ctx.clients.documents, tableName: ctx.names.tables.directory, now: ctx.now });
