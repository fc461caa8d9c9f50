import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoCall } from '#adapters/directory/dynamoCall';

/** Key prefix of a release's index row: `index#<versionId>`. */
export const INDEX_PREFIX = 'index#';

/** Options of {@link addToReleaseIndex}. */
export interface ReleaseIndexEntry {
  client: DynamoDBDocumentClient;
  tableName: string;
  versionId: string;
  /** The `pk` of the row to list under the release (`plan#…`, `point#…`). */
  pk: string;
  /** TTL of the index row, epoch seconds (refreshed by every entry). */
  expiresAt: number;
  /** Stamped on the index row when given. */
  names?: { projectKey: string; versionName: string } | undefined;
}

/**
 * Adds one row key to the release's index row (a string set `rows`, so adding twice is a no-op):
 * how `herald report` finds every plan and point outcome of a release without a Scan. Written
 * before the row it lists, so a crash between the two leaves a listed key without a row (read as
 * absent), never a row nobody can find.
 */
export const addToReleaseIndex = async (entry: ReleaseIndexEntry): Promise<void> => {
  const names = entry.names
    ? { '#projectKey': 'projectKey', '#versionName': 'versionName' }
    : ({} as Record<string, string>);
  await dynamoCall('UpdateItem', entry.tableName, () =>
    entry.client.send(
      new UpdateCommand({
        TableName: entry.tableName,
        Key: { pk: `${INDEX_PREFIX}${entry.versionId}` },
        UpdateExpression: `SET #expiresAt = :expiresAt${entry.names ? ', #projectKey = :projectKey, #versionName = :versionName' : ''} ADD #rows :row`,
        ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#rows': 'rows', ...names },
        ExpressionAttributeValues: {
          ':expiresAt': entry.expiresAt,
          ':row': new Set([entry.pk]),
          ...(entry.names
            ? { ':projectKey': entry.names.projectKey, ':versionName': entry.names.versionName }
            : {}),
        },
      }),
    ),
  );
};
