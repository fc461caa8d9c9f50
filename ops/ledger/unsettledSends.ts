import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** Send rows of the ledger not settled yet (neither sent nor rejected). */
export interface UnsettledSends {
  /** A claim held now (a send in flight, or a holder that died: its lease decides). */
  claimed: number;
  /**
   * The SES call failed with an unknown outcome (5xx, timeout, reset after the request left): the
   * send stage waits for SES's events of the email, then its lease, before it settles it.
   */
  ambiguous: number;
}

/**
 * Counts the ledger's unsettled send rows (`send#…` with status `claimed` or `ambiguous`) with a
 * filtered Scan reading only `status`: one pass over the table, paged, fine for an operator's
 * check (the rows expire with the ledger's TTL).
 */
export const countUnsettledSends = async (
  documents: DynamoDBDocumentClient,
  tableName: string,
): Promise<UnsettledSends> => {
  const counts: UnsettledSends = { claimed: 0, ambiguous: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: '#status',
        FilterExpression: 'begins_with(pk, :send) AND (#status = :claimed OR #status = :ambiguous)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':send': 'send#', ':claimed': 'claimed', ':ambiguous': 'ambiguous' },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.status === 'claimed') counts.claimed++;
      else if (item.status === 'ambiguous') counts.ambiguous++;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return counts;
};
