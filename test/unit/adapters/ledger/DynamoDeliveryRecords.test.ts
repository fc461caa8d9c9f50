import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDeliveryRecords } from '#adapters/ledger/DynamoDeliveryRecords';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { sendTag } from '#contracts/sendTag';
import { RetryableError } from '#shared/errors';
import { chunkPlanOf } from '#test/factories/chunkPlan';

const TABLE = 'herald-ledger';
const NOW = Date.parse('2026-12-14T09:00:00.000Z');
const ddb = mockClient(DynamoDBDocumentClient);

const records = (slept: number[] = []) =>
  new DynamoDeliveryRecords({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: TABLE,
    ttlSeconds: 1000,
    now: () => NOW,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });

const plan = chunkPlanOf();
const PLAN_PK = 'plan#10001:b1d0h0m0900@2026-12-15:UTC:0';

afterEach(() => {
  ddb.reset();
});

describe('Class: DynamoDeliveryRecords', () => {
  it('lists the plan under its release, stores it first-writer-wins and keeps the version’s name', async () => {
    // Arrange
    ddb.onAnyCommand().resolves({});

    // Act
    await records().recordFanOut(plan);

    // Assert
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'index#10001' },
      UpdateExpression: expect.stringContaining('ADD #rows :row'),
      ExpressionAttributeValues: expect.objectContaining({
        ':row': new Set([PLAN_PK]),
        ':projectKey': 'SHOP',
        ':versionName': '2026.12',
        ':expiresAt': NOW / 1000 + 1000,
      }),
    });
    expect(ddb).toReceiveCommandWith(PutCommand, {
      Item: { pk: PLAN_PK, versionId: '10001', plan: JSON.stringify(plan), expiresAt: NOW / 1000 + 1000 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toReceiveCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'alias#SHOP#2026.12', versionId: '10001' }),
    });
    // The index is written before the row it lists.
    expect(ddb.calls()[0]?.args[0]).toBeInstanceOf(UpdateCommand);
  });

  it('keeps the first plan when a redelivered chunk writes it again', async () => {
    // Arrange
    ddb.onAnyCommand().resolves({});
    ddb
      .on(PutCommand, { Item: expect.objectContaining({ pk: PLAN_PK }) })
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    // Act / Assert
    await expect(records().recordFanOut(plan)).resolves.toBeUndefined();
  });

  it('reads a release by its index row and one BatchGetItem, never a Scan', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'index#10001',
        rows: new Set([PLAN_PK, 'point#10001:b7d0h0m0900@2026-12-15:UTC']),
        projectKey: 'SHOP',
        versionName: '2026.12',
      },
    });
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { pk: PLAN_PK, plan: JSON.stringify(plan) },
          {
            pk: 'point#10001:b7d0h0m0900@2026-12-15:UTC',
            status: 'missed',
            reason: 'past_deadline',
            versionId: '10001',
            pointId: 'b7d0h0m0900',
            releaseDate: '2026-12-15',
            timeZone: 'UTC',
            at: '2026-12-08T16:00:00.000Z',
          },
        ],
      },
    });

    // Act
    const rows = await records().readRelease('10001');

    // Assert
    expect(rows).toEqual({
      versionId: '10001',
      projectKey: 'SHOP',
      versionName: '2026.12',
      plans: [plan],
      pointOutcomes: [
        expect.objectContaining({
          key: '10001:b7d0h0m0900@2026-12-15:UTC',
          status: 'missed',
          reason: 'past_deadline',
          timeZone: 'UTC',
        }),
      ],
    });
    expect(ddb).toReceiveCommandWith(GetCommand, { Key: { pk: 'index#10001' }, ConsistentRead: true });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]?.ConsistentRead).toBe(
      true,
    );
  });

  it('reads an unknown release as empty without a BatchGetItem', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const rows = await records().readRelease('404');

    // Assert
    expect(rows).toEqual({
      versionId: '404',
      projectKey: undefined,
      versionName: undefined,
      plans: [],
      pointOutcomes: [],
    });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('reads each email’s send row and SES events, 100 keys a call, retrying what DynamoDB left unprocessed', async () => {
    // Arrange: 60 emails = 120 keys = 2 calls; the first leaves one key unprocessed once.
    const keys = Array.from({ length: 60 }, (_, i) => `10001:b1d0h0m0900@2026-12-15:c${i}@example.com`);
    const first = keys[0] as string;
    let unprocessedOnce = true;
    ddb
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
        const asked = input.RequestItems[TABLE]?.Keys.map((k) => k.pk) ?? [];
        const answer = asked
          .filter((pk) => !(unprocessedOnce && pk === `send#${first}`))
          .map((pk) =>
            pk.startsWith('send#')
              ? { pk, status: 'sent', messageId: 'm' }
              : {
                  pk,
                  messageId: 'm',
                  atSend: '2026-12-14T09:00:05.000Z',
                  atBounce: '2026-12-14T09:00:06.000Z',
                },
          );
        const left = unprocessedOnce && asked.includes(`send#${first}`) ? [{ pk: `send#${first}` }] : [];
        if (left.length > 0) unprocessedOnce = false;
        return {
          Responses: { [TABLE]: answer },
          UnprocessedKeys: left.length > 0 ? { [TABLE]: { Keys: left } } : {},
        };
      });
    const slept: number[] = [];

    // Act
    const states = await records(slept).readEmails(keys);

    // Assert
    expect(
      ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys?.length),
    ).toEqual([100, 1, 20]);
    expect(slept).toEqual([100]);
    expect(states.get(first)).toEqual({
      status: 'sent',
      reason: undefined,
      events: { Send: '2026-12-14T09:00:05.000Z', Bounce: '2026-12-14T09:00:06.000Z' },
    });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.[TABLE]?.Keys).toContainEqual({
      pk: `ses#${sendTag(first)}`,
    });
  });

  it('gives up with a RetryableError when keys stay unprocessed', async () => {
    // Arrange
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: unknown[] }> }) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE]?.Keys } },
    }));

    // Act / Assert
    await expect(records().readEmails(['k'])).rejects.toBeInstanceOf(RetryableError);
  });

  it('resolves a project’s version name to its id, or null', async () => {
    // Arrange
    ddb.on(GetCommand, { Key: { pk: 'alias#SHOP#2026.12' } }).resolves({ Item: { versionId: '10001' } });
    ddb.on(GetCommand, { Key: { pk: 'alias#SHOP#nope' } }).resolves({});

    // Act / Assert
    await expect(records().versionIdOf('SHOP', '2026.12')).resolves.toBe('10001');
    await expect(records().versionIdOf('SHOP', 'nope')).resolves.toBeNull();
  });
});

describe('Class: DynamoLedger (point outcomes in the release index)', () => {
  it('lists a point outcome under its release before writing it, so herald report finds it by key', async () => {
    // Arrange
    ddb.onAnyCommand().resolves({});
    const ledger = new DynamoLedger({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
      tableName: TABLE,
      ttlSeconds: 1000,
      now: () => NOW,
    });

    // Act
    await ledger.recordPointOutcome('10001:b1d0h0m0900@2026-12-15:UTC', {
      status: 'missed',
      reason: 'past_deadline',
      versionId: '10001',
      pointId: 'b1d0h0m0900',
      releaseDate: '2026-12-15',
      timeZone: 'UTC',
    });

    // Assert
    expect(ddb.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      'UpdateCommand',
      'PutCommand',
    ]);
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      Key: { pk: 'index#10001' },
      ExpressionAttributeValues: expect.objectContaining({
        ':row': new Set(['point#10001:b1d0h0m0900@2026-12-15:UTC']),
      }),
    });
  });
});
