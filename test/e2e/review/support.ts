import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { topology } from '#topology/topology';
import { e2eClientConfig } from '../local/support.ts';

/** The stack's ledger on the emulator (approval records and drafts), for seeding and asserting. */
export const e2eLedger = (tableName: string): DynamoLedger =>
  new DynamoLedger({
    client: DynamoDBDocumentClient.from(new DynamoDBClient(e2eClientConfig()), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName,
    ttlSeconds: topology.ledgerTtlSeconds,
  });

/** Clicks the review page's button (its form POSTs to /review) and resolves with the POST's status. */
export const confirmReview = async (page: Page): Promise<number> => {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/review'),
    page.getByRole('button').click(),
  ]);
  await page.waitForLoadState();
  return response.status();
};
