import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { type AwsFaultProxy, startAwsFaultProxy } from '#test/standins/AwsFaultProxy';
import { e2eClientConfig, e2eEndpoint } from '../local/support.ts';

/** A ledger table of its own on the emulator, reached through a serialising proxy. */
export interface LedgerOnEmulator {
  proxy: AwsFaultProxy;
  documents: DynamoDBDocumentClient;
  ledger: DynamoLedger;
}

/**
 * Creates the ledger table `table` (pk only, as the stack's) and a {@link DynamoLedger} on it
 * with the clock fixed at `now` (TTL 1 h), through a serialising proxy: moto's threaded server
 * evaluates a condition and its write without a lock, so concurrent writers could both win
 * there; DynamoDB serialises writes per item. Close `proxy` after the tests.
 */
export const ledgerOnEmulator = async (table: string, now: number): Promise<LedgerOnEmulator> => {
  const proxy = await startAwsFaultProxy({ target: e2eEndpoint(), serialize: true });
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...e2eClientConfig(), endpoint: proxy.url }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const ledger = new DynamoLedger({ client: documents, tableName: table, ttlSeconds: 3600, now: () => now });
  await new DynamoDBClient(e2eClientConfig()).send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  return { proxy, documents, ledger };
};

/**
 * Within a `describe`: creates the ledger table `table` through {@link ledgerOnEmulator} before
 * the suite, hands it to `ready`, and closes the proxy after the suite.
 */
export const useLedgerOnEmulator = (
  table: string,
  now: number,
  ready: (emulator: LedgerOnEmulator) => void,
): void => {
  let proxy: AwsFaultProxy | undefined;
  beforeAll(async () => {
    const emulator = await ledgerOnEmulator(table, now);
    proxy = emulator.proxy;
    ready(emulator);
  });
  afterAll(async () => {
    await proxy?.close();
  });
};
