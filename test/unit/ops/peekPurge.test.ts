import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { peekDeadLetters } from '#ops/dlq/peekDeadLetters';
import { purgeDeadLetters } from '#ops/dlq/purgeDeadLetters';
import { DLQ, deadLetter, depth } from './sqsFixtures.ts';

const sqs = mockClient(SQSClient);
const client = () => new SQSClient({ region: 'us-east-1' });

afterEach(() => {
  sqs.reset();
});

describe('Function: peekDeadLetters', () => {
  it('reads up to the limit, hiding each while it walks, then makes every one visible again', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(5));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2)] })
      .resolvesOnce({ Messages: [deadLetter(2), deadLetter(3)] })
      .resolves({ Messages: [deadLetter(4)] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const result = await peekDeadLetters(client(), DLQ, { limit: 3, holdSeconds: 20 });

    // Assert
    expect(result.messages.map((m) => m.messageId)).toEqual(['dlq-1', 'dlq-2', 'dlq-3']);
    expect(result.messages[0]).toMatchObject({
      reason: 'permanent:jira_bad_request',
      kind: 'compose.job',
      key: 'job-1',
    });
    expect(result.depth.visible).toBe(5);
    expect(sqs).toReceiveCommandWith(ReceiveMessageCommand, {
      QueueUrl: DLQ.url,
      MaxNumberOfMessages: 3,
      VisibilityTimeout: 20,
      MessageAttributeNames: ['All'],
    });
    const released = sqs
      .commandCalls(ChangeMessageVisibilityBatchCommand)
      .flatMap((c) => c.args[0].input.Entries ?? []);
    expect(released.map((e) => [e.ReceiptHandle, e.VisibilityTimeout])).toEqual([
      ['handle-1', 0],
      ['handle-2', 0],
      ['handle-2', 0],
      ['handle-3', 0],
    ]);
    expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
  });

  it('stops when a receive brings only messages already seen (their holds ran out)', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(2));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [deadLetter(1), deadLetter(2)] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const result = await peekDeadLetters(client(), DLQ, { limit: 100 });

    // Assert
    expect(result.messages.map((m) => m.messageId)).toEqual(['dlq-1', 'dlq-2']);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  it('stops at an empty receive and releases what it read even when a later receive fails', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(2));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1)] })
      .rejects(new Error('throttled'));
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const run = peekDeadLetters(client(), DLQ, { limit: 10 });

    // Assert
    await expect(run).rejects.toThrow('throttled');
    expect(sqs).toReceiveCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [{ Id: '0', ReceiptHandle: 'handle-1', VisibilityTimeout: 0 }],
    });
  });
});

describe('Function: purgeDeadLetters', () => {
  it('deletes up to the limit and returns a view of each message removed', async () => {
    // Arrange
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2)] })
      .resolves({ Messages: [deadLetter(3)] });
    sqs
      .on(DeleteMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] })
      .resolves({});
    const progress: number[] = [];

    // Act
    const result = await purgeDeadLetters(client(), DLQ, { limit: 3, onProgress: (n) => progress.push(n) });

    // Assert
    expect(result.removed).toBe(2);
    expect(result.notDeleted).toBe(1);
    expect(result.messages.map((m) => [m.messageId, m.reason])).toEqual([
      ['dlq-1', 'permanent:jira_bad_request'],
      ['dlq-3', 'permanent:jira_bad_request'],
    ]);
    expect(progress).toEqual([1, 2]);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  it('stops when a receive brings back only a message it could not delete', async () => {
    // Arrange
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [deadLetter(1)] });
    sqs
      .on(DeleteMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });

    // Act
    const result = await purgeDeadLetters(client(), DLQ, { limit: 5 });

    // Assert
    expect(result).toMatchObject({ removed: 0, notDeleted: 1, messages: [] });
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });

  it('stops at an empty receive', async () => {
    // Arrange
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1)] })
      .resolves({ Messages: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    // Act
    const result = await purgeDeadLetters(client(), DLQ, { limit: 50 });

    // Assert
    expect(result.removed).toBe(1);
    expect(sqs).toReceiveCommandWith(DeleteMessageBatchCommand, {
      QueueUrl: DLQ.url,
      Entries: [{ Id: '0', ReceiptHandle: 'handle-1' }],
    });
  });
});
