import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptItemError } from '#adapters/directory/dynamoErrors';
import { ACTIVE_REGION_PK, DynamoActiveRegion } from '#adapters/region/DynamoActiveRegion';
import { ActiveRegionChangedError } from '#adapters/region/errors';
import type { ActiveRegion } from '#contracts/activeRegion';

const TABLE = 'herald-ledger';
const ddb = mockClient(DynamoDBDocumentClient);
const store = () =>
  new DynamoActiveRegion({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: TABLE,
  });
const record: ActiveRegion = {
  region: 'us-west-2',
  activeFrom: 1_772_359_500_000,
  previousUntil: 1_772_359_440_000,
  activatedAt: '2026-03-01T10:00:00.000Z',
  epoch: 2,
};

afterEach(() => {
  ddb.reset();
});

describe('Function: DynamoActiveRegion.get', () => {
  it('reads the record with a strongly consistent read of this region', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: ACTIVE_REGION_PK, ...record } });

    // Act
    const got = await store().get();

    // Assert
    expect(got).toEqual(record);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'deployment#active-region' },
      ConsistentRead: true,
    });
  });

  it('answers null when no switch was ever recorded', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act / Assert
    await expect(store().get()).resolves.toBeNull();
  });

  it('refuses a hand-edited record naming what is wrong', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: ACTIVE_REGION_PK, ...record, region: 'mars' } });

    // Act
    const run = store().get();

    // Assert
    await expect(run).rejects.toBeInstanceOf(CorruptItemError);
    await expect(run).rejects.toThrow('region: must be an AWS region');
  });
});

describe('Function: DynamoActiveRegion.put', () => {
  it('writes the first switch only when none is stored', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    await store().put({ ...record, epoch: 1 }, null);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { pk: ACTIVE_REGION_PK, ...record, epoch: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('writes a later switch only over the epoch it read', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    await store().put(record, 1);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'epoch = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
    });
  });

  it('reports a switch stored in between as ActiveRegionChangedError', async () => {
    // Arrange
    ddb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    // Act
    const run = store().put(record, 1);

    // Assert
    await expect(run).rejects.toBeInstanceOf(ActiveRegionChangedError);
    await expect(run).rejects.toMatchObject({ expectedEpoch: 1 });
  });
});
