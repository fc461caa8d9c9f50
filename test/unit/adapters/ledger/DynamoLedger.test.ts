import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptItemError } from '#adapters/directory/dynamoErrors';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { ContractError } from '#contracts/errors';
import { PermanentError, RetryableError } from '#shared/errors';
import { emailDraftOf } from '#test/factories/emailDraft';

const TABLE = 'herald-ledger';
const TTL = 7_776_000;
const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const NOW_S = NOW / 1000;
const ddb = mockClient(DynamoDBDocumentClient);

const ledger = () =>
  new DynamoLedger({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: TABLE,
    ttlSeconds: TTL,
    now: () => NOW,
  });

const draft = emailDraftOf;

/** The error DynamoDB returns for a lost condition, with the item raw as it comes over the wire. */
const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
    ...(item ? { Item: item as ConditionalCheckFailedException['Item'] } : {}),
  });

afterEach(() => {
  ddb.reset();
});

describe('Function: DynamoLedger.getDraft', () => {
  it('reads the draft consistently and parses its JSON', async () => {
    // Arrange
    const stored = draft();
    ddb.on(GetCommand).resolves({ Item: { pk: `draft#${stored.key}`, draft: JSON.stringify(stored) } });

    // Act
    const result = await ledger().getDraft(stored.key);

    // Assert
    expect(result).toEqual(stored);
    expect(ddb).toReceiveCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: `draft#${stored.key}` },
      ConsistentRead: true,
    });
  });

  it('resolves null when there is no draft', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const result = await ledger().getDraft('missing');

    // Assert
    expect(result).toBeNull();
  });

  it('names the key of a draft that no longer parses', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: 'draft#k', draft: '{"key":"k"}' } });

    // Act
    const result = ledger().getDraft('k');

    // Assert
    await expect(result).rejects.toThrow(CorruptItemError);
    await expect(result).rejects.toThrow(/corrupt item draft#k in table herald-ledger/);
  });
});

describe('Function: DynamoLedger.putDraftIfAbsent', () => {
  it('stores a new draft conditionally with a TTL and returns it', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});
    const mine = draft();

    // Act
    const result = await ledger().putDraftIfAbsent(mine);

    // Assert
    expect(result).toEqual(mine);
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: `draft#${mine.key}`,
        draft: JSON.stringify(mine),
        createdAt: mine.createdAt,
        expiresAt: NOW_S + TTL,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('returns the first writer draft from the failed condition when another composer won the race', async () => {
    // Arrange
    const theirs = draft({ subject: 'Their subject' });
    ddb
      .on(PutCommand)
      .rejects(conditionFailed({ pk: { S: `draft#${theirs.key}` }, draft: { S: JSON.stringify(theirs) } }));

    // Act
    const result = await ledger().putDraftIfAbsent(draft({ subject: 'My subject' }));

    // Assert
    expect(result.subject).toBe('Their subject');
    expect(ddb).not.toReceiveCommand(GetCommand);
  });

  it('reads the winner back when the failed condition carries no item', async () => {
    // Arrange
    const theirs = draft({ subject: 'Their subject' });
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { pk: `draft#${theirs.key}`, draft: JSON.stringify(theirs) } });

    // Act
    const result = await ledger().putDraftIfAbsent(draft());

    // Assert
    expect(result).toEqual(theirs);
    expect(ddb).toReceiveCommandWith(GetCommand, {
      Key: { pk: `draft#${theirs.key}` },
      ConsistentRead: true,
    });
  });

  it('rejects an invalid draft before writing', async () => {
    // Act
    const result = ledger().putDraftIfAbsent(draft({ createdAt: 'yesterday' }));

    // Assert
    await expect(result).rejects.toThrow(ContractError);
    expect(ddb).not.toReceiveAnyCommand();
  });

  it('turns a ValidationException (item over 400 KB) into a PermanentError', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(
      new DynamoDBServiceException({
        name: 'ValidationException',
        $fault: 'client',
        message: 'Item size has exceeded the maximum allowed size',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const result = ledger().putDraftIfAbsent(draft());

    // Assert
    await expect(result).rejects.toThrow(PermanentError);
    await expect(result).rejects.toMatchObject({ reason: 'dynamodb_invalid_request' });
  });
});

describe('Function: DynamoLedger.claimSend', () => {
  const options = { leaseSeconds: 120, now: NOW };

  it('claims a new send with a lease and a TTL', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});

    // Act
    const outcome = await ledger().claimSend('10001:p@2026-03-08:jane@example.com', options);

    // Assert
    expect(outcome).toEqual({ status: 'claimed', takenOver: false });
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'send#10001:p@2026-03-08:jane@example.com' },
      ConditionExpression:
        'attribute_not_exists(pk) OR ((#status = :claimed OR #status = :ambiguous) AND #lease < :now)',
      ExpressionAttributeValues: {
        ':claimed': 'claimed',
        ':ambiguous': 'ambiguous',
        ':lease': NOW + 120_000,
        ':now': NOW,
        ':expiresAt': NOW_S + TTL,
        ':one': 1,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reports sent with the message id when the email already went out', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(
      conditionFailed({
        pk: { S: 'send#k' },
        status: { S: 'sent' },
        messageId: { S: 'ses-1' },
        leaseExpiresAt: { N: String(NOW - 1) },
      }),
    );

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'sent', messageId: 'ses-1' });
  });

  it('reads the row itself when the failed condition carries an item without a status', async () => {
    // Arrange: an old item with the key only, as moto returned under concurrent writes.
    ddb.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'send#k' } }));
    ddb.on(GetCommand).resolves({ Item: { pk: 'send#k', status: 'sent', messageId: 'ses-2' } });

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'sent', messageId: 'ses-2' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'send#k' },
      ConsistentRead: true,
    });
  });

  it('reports rejected with the reason of an earlier permanent rejection', async () => {
    // Arrange
    ddb
      .on(UpdateCommand)
      .rejects(
        conditionFailed({ pk: { S: 'send#k' }, status: { S: 'rejected' }, reason: { S: 'ses_rejected' } }),
      );

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'rejected', reason: 'ses_rejected' });
  });

  it('reports in_progress while an ambiguous claim still has its lease', async () => {
    // Arrange
    const lease = NOW + 30_000;
    ddb.on(UpdateCommand).rejects(
      conditionFailed({
        pk: { S: 'send#k' },
        status: { S: 'ambiguous' },
        leaseExpiresAt: { N: String(lease) },
      }),
    );

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'in_progress', leaseExpiresAt: lease });
  });

  it('reports in_progress with the holder lease while another worker holds it', async () => {
    // Arrange
    const lease = NOW + 30_000;
    ddb.on(UpdateCommand).rejects(
      conditionFailed({
        pk: { S: 'send#k' },
        status: { S: 'claimed' },
        leaseExpiresAt: { N: String(lease) },
      }),
    );

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'in_progress', leaseExpiresAt: lease });
  });

  it('takes over a claim whose lease expired (the condition holds, the update succeeds)', async () => {
    // Arrange: a first worker claimed at NOW and vanished; a second one comes after the lease.
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { claims: 1 } })
      .resolvesOnce({ Attributes: { claims: 2 } });
    const later = NOW + 121_000;

    // Act
    const first = await ledger().claimSend('k', options);
    const second = await ledger().claimSend('k', { leaseSeconds: 120, now: later, sesTag: 'tag-k' });

    // Assert
    expect(first).toEqual({ status: 'claimed', takenOver: false });
    expect(second).toEqual({ status: 'claimed', takenOver: true });
    expect(ddb).toReceiveNthCommandWith(UpdateCommand, 2, {
      UpdateExpression:
        'SET #status = :claimed, #lease = :lease, #expiresAt = :expiresAt, #sesTag = :sesTag ADD #claims :one',
      ExpressionAttributeValues: expect.objectContaining({ ':sesTag': 'tag-k' }),
      ReturnValues: 'UPDATED_NEW',
    });
    expect(ddb).toReceiveNthCommandWith(UpdateCommand, 2, {
      ExpressionAttributeValues: expect.objectContaining({ ':now': later, ':lease': later + 120_000 }),
    });
  });

  it('falls back to a consistent read when the failed condition carries no item', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { pk: 'send#k', status: 'sent', messageId: 'ses-2' } });

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'sent', messageId: 'ses-2' });
    expect(ddb).toReceiveCommandWith(GetCommand, { Key: { pk: 'send#k' }, ConsistentRead: true });
  });

  it('reports in_progress when the row vanished between the condition and the read back', async () => {
    // Arrange: a giveBackSendClaim raced the claim; the caller retries later.
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({});

    // Act
    const outcome = await ledger().claimSend('k', options);

    // Assert
    expect(outcome).toEqual({ status: 'in_progress', leaseExpiresAt: NOW });
  });

  it('names the key of a send row in no known state', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'send#k' }, status: { S: 'lost' } }));

    // Act
    const result = ledger().claimSend('k', options);

    // Assert
    await expect(result).rejects.toThrow(CorruptItemError);
    await expect(result).rejects.toMatchObject({ key: 'send#k' });
  });
});

describe('Function: DynamoLedger.markSent', () => {
  it('records sent with the message id, unconditionally', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});

    // Act
    await ledger().markSent('k', 'ses-1');

    // Assert
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Key: { pk: 'send#k' },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':messageId': 'ses-1',
        ':at': '2026-03-01T10:00:00.000Z',
        ':expiresAt': NOW_S + TTL,
      },
    });
    expect(input?.ConditionExpression).toBeUndefined();
  });
});

describe('Function: DynamoLedger.markRejected', () => {
  it('records rejected with the reason unless the email was sent', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});

    // Act
    await ledger().markRejected('k', 'ses_rejected');

    // Assert
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      Key: { pk: 'send#k' },
      ConditionExpression: 'attribute_not_exists(#status) OR #status <> :sent',
      ExpressionAttributeValues: expect.objectContaining({
        ':rejected': 'rejected',
        ':reason': 'ses_rejected',
      }),
    });
  });

  it('leaves a sent row alone without failing', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(conditionFailed());

    // Act
    const result = ledger().markRejected('k', 'ses_rejected');

    // Assert
    await expect(result).resolves.toBeUndefined();
  });
});

describe('Function: DynamoLedger.giveBackSendClaim', () => {
  it('deletes the row only while it is a claim', async () => {
    // Arrange
    ddb.on(DeleteCommand).resolves({});

    // Act
    await ledger().giveBackSendClaim('k');

    // Assert
    expect(ddb).toReceiveCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'send#k' },
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeValues: { ':claimed': 'claimed' },
    });
  });

  it('does nothing when the row is sent, rejected or gone', async () => {
    // Arrange
    ddb.on(DeleteCommand).rejects(conditionFailed());

    // Act
    const result = ledger().giveBackSendClaim('k');

    // Assert
    await expect(result).resolves.toBeUndefined();
  });
});

describe('Function: DynamoLedger.claimRelease', () => {
  const READ_AT = NOW - 2_000;

  it('claims the watermark of a release seen for the first time, with a TTL', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    const claim = await ledger().claimRelease('10001', READ_AT);

    // Assert
    expect(claim).toEqual({ status: 'claimed', redelivered: false });
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'release#10001',
        readAt: READ_AT,
        claimedAt: '2026-03-01T10:00:00.000Z',
        expiresAt: NOW_S + TTL,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #readAt < :readAt',
      ExpressionAttributeNames: { '#readAt': 'readAt' },
      ExpressionAttributeValues: { ':readAt': READ_AT },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reports stale with the stored watermark when a newer snapshot claimed it', async () => {
    // Arrange
    ddb
      .on(PutCommand)
      .rejects(conditionFailed({ pk: { S: 'release#10001' }, readAt: { N: String(READ_AT + 5_000) } }));

    // Act
    const claim = await ledger().claimRelease('10001', READ_AT);

    // Assert
    expect(claim).toEqual({ status: 'stale', watermark: READ_AT + 5_000 });
  });

  it('reports a snapshot with the stored readAt as claimed again (redelivered)', async () => {
    // Arrange
    ddb
      .on(PutCommand)
      .rejects(conditionFailed({ pk: { S: 'release#10001' }, readAt: { N: String(READ_AT) } }));

    // Act
    const claim = await ledger().claimRelease('10001', READ_AT);

    // Assert
    expect(claim).toEqual({ status: 'claimed', redelivered: true });
  });

  it('reads the watermark back consistently when the failed condition carries no item', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { pk: 'release#10001', readAt: READ_AT + 1 } });

    // Act
    const claim = await ledger().claimRelease('10001', READ_AT);

    // Assert
    expect(claim).toEqual({ status: 'stale', watermark: READ_AT + 1 });
    expect(ddb).toReceiveCommandWith(GetCommand, { Key: { pk: 'release#10001' }, ConsistentRead: true });
  });

  it('is retryable when the row cannot be read back or reads older than the claim', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: { pk: 'release#10001', readAt: READ_AT - 1 } });

    // Act
    const vanished = ledger().claimRelease('10001', READ_AT);
    await expect(vanished).rejects.toThrow(RetryableError);
    const moved = ledger().claimRelease('10001', READ_AT);

    // Assert
    await expect(moved).rejects.toThrow(RetryableError);
  });

  it('names the key of a watermark row whose readAt is no number', async () => {
    // Arrange
    ddb.on(PutCommand).rejects(conditionFailed({ pk: { S: 'release#10001' }, readAt: { S: 'soon' } }));

    // Act
    const result = ledger().claimRelease('10001', READ_AT);

    // Assert
    await expect(result).rejects.toThrow(CorruptItemError);
    await expect(result).rejects.toMatchObject({ key: 'release#10001' });
  });
});

describe('Function: DynamoLedger.getReleaseWatermark', () => {
  it('reads the readAt of the newest claimed snapshot consistently', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: 'release#10001', readAt: 1_700_000_000_000 } });

    // Act
    const watermark = await ledger().getReleaseWatermark('10001');

    // Assert
    expect(watermark).toBe(1_700_000_000_000);
    expect(ddb).toReceiveCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'release#10001' },
      ConsistentRead: true,
    });
  });

  it('resolves null for a release never claimed', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const watermark = await ledger().getReleaseWatermark('10001');

    // Assert
    expect(watermark).toBeNull();
  });
});

describe('Function: DynamoLedger constructor', () => {
  it('rejects a TTL that is not a positive number of seconds', () => {
    expect(() => new DynamoLedger({ tableName: TABLE, ttlSeconds: 0 })).toThrow(/ttlSeconds/);
  });
});

describe('Function: DynamoLedger.markAmbiguous', () => {
  it('changes only a claimed row, and takes a refused condition as nothing to do', async () => {
    // Arrange
    ddb.on(UpdateCommand).rejects(conditionFailed());

    // Act
    await ledger().markAmbiguous('k');

    // Assert
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      Key: { pk: 'send#k' },
      UpdateExpression: 'SET #status = :ambiguous, #ambiguousAt = :at',
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeValues: {
        ':claimed': 'claimed',
        ':ambiguous': 'ambiguous',
        ':at': new Date(NOW).toISOString(),
      },
    });
  });
});

describe('Function: DynamoLedger.recordSesEvent and getSesEvents', () => {
  it('records the first time of an event type under the SES tag, keeping the first message id', async () => {
    // Arrange
    ddb.on(UpdateCommand).resolves({});

    // Act
    await ledger().recordSesEvent('tag-1', {
      type: 'Send',
      messageId: 'm-1',
      at: '2026-03-01T10:00:00.000Z',
    });

    // Assert
    expect(ddb).toReceiveCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: 'ses#tag-1' },
      UpdateExpression:
        'SET #messageId = if_not_exists(#messageId, :messageId), #at = if_not_exists(#at, :at), #expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#messageId': 'messageId', '#at': 'atSend', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: {
        ':messageId': 'm-1',
        ':at': '2026-03-01T10:00:00.000Z',
        ':expiresAt': NOW_S + TTL,
      },
    });
  });

  it('reads the events of a tag back with a consistent read, and null when none', async () => {
    // Arrange
    ddb
      .on(GetCommand, { Key: { pk: 'ses#tag-1' } })
      .resolves({ Item: { pk: 'ses#tag-1', messageId: 'm-1', atSend: 'a', atReject: 'b', other: 'x' } })
      .on(GetCommand, { Key: { pk: 'ses#tag-2' } })
      .resolves({});

    // Act
    const found = await ledger().getSesEvents('tag-1');
    const none = await ledger().getSesEvents('tag-2');

    // Assert
    expect(found).toEqual({ messageId: 'm-1', events: { Send: 'a', Reject: 'b' } });
    expect(none).toBeNull();
    expect(ddb).toReceiveCommandWith(GetCommand, { ConsistentRead: true });
  });

  it('refuses a row without a message id as corrupt', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: 'ses#tag-3', atSend: 'a' } });

    // Act
    const read = ledger().getSesEvents('tag-3');

    // Assert
    await expect(read).rejects.toThrow(/messageId/);
  });
});
