import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import type { OpsContext } from '#ops/cli/OpsContext';
import { topology } from '#topology/topology';

/** The idempotency ledger of the command's environment (drafts and approval records). */
export const ledgerOf = (ctx: Pick<OpsContext, 'clients' | 'names' | 'now'>): DynamoLedger =>
  new DynamoLedger({
    client: ctx.clients.documents,
    tableName: ctx.names.tables.ledger,
    ttlSeconds: topology.ledgerTtlSeconds,
    now: () => ctx.now().getTime(),
  });
