import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  RequestThrottled,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SqsBatchError,
  SqsQueue,
  SqsQueueError,
  SqsQueueNotFoundError,
  SqsRequestError,
} from '#adapters/queue/SqsQueue';
import { isRetryable, retryAfterSeconds } from '#retry/isRetryable';

const sqs = mockClient(SQSClient);
const URL = 'http://127.0.0.1:5000/123456789012/herald-compose';
const ARN = 'arn:aws:sqs:us-east-1:123456789012:herald-compose';

const newQueue = () => new SqsQueue({ client: new SQSClient({ region: 'us-east-1' }) });

describe('Class: SqsQueue', () => {
  afterEach(() => {
    sqs.reset();
  });

  describe('Method: send', () => {
    it('sends 25 messages in 3 SendMessageBatch calls of 10, 10 and 5 with distinct ids', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const messages = Array.from({ length: 25 }, (_, i) => ({ body: `{"n":${i}}` }));

      // Act
      await newQueue().send('herald-compose', messages);

      // Assert
      const calls = sqs.commandCalls(SendMessageBatchCommand);
      expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
      const ids = calls.flatMap((c) => c.args[0].input.Entries?.map((e) => e.Id) ?? []);
      expect(new Set(ids).size).toBe(25);
      expect(calls.flatMap((c) => c.args[0].input.Entries?.map((e) => e.MessageBody) ?? [])).toEqual(
        messages.map((m) => m.body),
      );
      expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: URL });
    });

    it('passes DelaySeconds and string message attributes', async () => {
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

      await newQueue().send('herald-compose', [
        { body: 'b', delaySeconds: 300, attributes: { 'herald-reschedules': '1' } },
      ]);

      expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, {
        QueueUrl: URL,
        Entries: [
          {
            Id: '0',
            MessageBody: 'b',
            DelaySeconds: 300,
            MessageAttributes: { 'herald-reschedules': { DataType: 'String', StringValue: '1' } },
          },
        ],
      });
    });

    it('makes no call for an empty list', async () => {
      await newQueue().send('herald-compose', []);

      expect(sqs.calls()).toHaveLength(0);
    });

    it('turns Failed entries into a retryable SqsBatchError naming queue, ids and codes', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs
        .on(SendMessageBatchCommand)
        .resolvesOnce({ Successful: [], Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] })
        .resolves({ Successful: [], Failed: [{ Id: '11', Code: 'ServiceUnavailable', SenderFault: false }] });
      const messages = Array.from({ length: 12 }, (_, i) => ({ body: String(i) }));

      // Act
      const error = await newQueue()
        .send('herald-compose', messages)
        .catch((e: unknown) => e);

      // Assert: both chunks were attempted, both failures reported.
      expect(error).toBeInstanceOf(SqsBatchError);
      expect(error).toMatchObject({
        queue: 'herald-compose',
        ids: ['3', '11'],
        codes: ['InternalError', 'ServiceUnavailable'],
      });
      expect(isRetryable(error)).toBe(true);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    });

    it('makes the error permanent when an entry is a sender fault', async () => {
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(SendMessageBatchCommand).resolves({
        Successful: [],
        Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true, Message: 'too long' }],
      });

      const error = await newQueue()
        .send('herald-compose', [{ body: 'x' }])
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(SqsBatchError);
      expect(isRetryable(error)).toBe(false);
      expect((error as Error).message).toContain('too long');
    });

    it('turns a failed SendMessageBatch call into a retryable SqsRequestError when SQS throttles', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      const throttled = new RequestThrottled({
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      });
      sqs.on(SendMessageBatchCommand).rejects(throttled);

      // Act
      const error = await newQueue()
        .send('herald-compose', [{ body: 'x' }])
        .catch((e: unknown) => e);

      // Assert
      expect(error).toBeInstanceOf(SqsRequestError);
      expect(error).toMatchObject({
        queue: 'herald-compose',
        operation: 'SendMessageBatch',
        code: 'RequestThrottled',
        status: 400,
        cause: throttled,
      });
      expect((error as Error).message).toBe(
        'SQS SendMessageBatch on herald-compose failed (RequestThrottled): Rate exceeded',
      );
      expect(isRetryable(error)).toBe(true);
    });

    it('makes a failed call permanent when the SDK error is not retryable', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      const denied = Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      });
      sqs.on(SendMessageBatchCommand).rejects(denied);

      // Act
      const error = await newQueue()
        .send('herald-compose', [{ body: 'x' }])
        .catch((e: unknown) => e);

      // Assert
      expect(error).toBeInstanceOf(SqsRequestError);
      expect(error).toMatchObject({ code: 'AccessDeniedException', status: 403 });
      expect(isRetryable(error)).toBe(false);
    });

    it('keeps a timeout retryable and a Retry-After readable through the cause', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      const timeout = Object.assign(new Error('request exceeded 10000 ms'), { name: 'TimeoutError' });
      const unavailable = Object.assign(new Error('try later'), {
        name: 'ServiceUnavailable',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
        $response: { headers: { 'retry-after': '4' } },
      });
      sqs.on(SendMessageBatchCommand).rejectsOnce(timeout).rejects(unavailable);
      const queue = newQueue();

      // Act
      const first = await queue.send('herald-compose', [{ body: 'x' }]).catch((e: unknown) => e);
      const second = await queue.send('herald-compose', [{ body: 'x' }]).catch((e: unknown) => e);

      // Assert
      expect(first).toMatchObject({ name: 'SqsRequestError', code: 'TimeoutError', status: undefined });
      expect(isRetryable(first)).toBe(true);
      expect(isRetryable(second)).toBe(true);
      expect(retryAfterSeconds(second)).toBe(4);
    });

    it('reports a queue deleted after its URL was cached as not found, and looks the URL up again next time', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs
        .on(SendMessageBatchCommand)
        .rejectsOnce(new QueueDoesNotExist({ $metadata: {}, message: 'The specified queue does not exist.' }))
        .resolves({ Successful: [], Failed: [] });
      const queue = newQueue();

      // Act
      const error = await queue.send('herald-compose', [{ body: 'x' }]).catch((e: unknown) => e);
      await queue.send('herald-compose', [{ body: 'y' }]);

      // Assert
      expect(error).toBeInstanceOf(SqsQueueNotFoundError);
      expect(isRetryable(error)).toBe(false);
      expect(sqs.commandCalls(GetQueueUrlCommand)).toHaveLength(2);
    });
  });

  describe('Method: urlOf', () => {
    it('resolves a queue URL once and serves it from the cache after', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      sqs.on(DeleteMessageCommand).resolves({});
      const queue = newQueue();

      // Act
      await Promise.all([
        queue.send('herald-compose', [{ body: 'a' }]),
        queue.delete('herald-compose', 'rh-1'),
      ]);
      await queue.send('herald-compose', [{ body: 'b' }]);

      // Assert
      expect(sqs.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
      expect(sqs).toReceiveCommandWith(GetQueueUrlCommand, { QueueName: 'herald-compose' });
    });

    it('translates QueueDoesNotExist and does not cache the failure', async () => {
      // Arrange
      sqs
        .on(GetQueueUrlCommand)
        .rejectsOnce(new QueueDoesNotExist({ $metadata: {}, message: 'The specified queue does not exist.' }))
        .resolves({ QueueUrl: URL });
      const queue = newQueue();

      // Act
      const first = await queue.urlOf('herald-compose').catch((e: unknown) => e);
      const second = await queue.urlOf('herald-compose');

      // Assert
      expect(first).toBeInstanceOf(SqsQueueNotFoundError);
      expect(first).toMatchObject({ queue: 'herald-compose' });
      expect(isRetryable(first)).toBe(false);
      expect(second).toBe(URL);
    });
  });

  describe('Method: arnOf', () => {
    it('reads QueueArn once per queue', async () => {
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: ARN } });
      const queue = newQueue();

      expect(await queue.arnOf('herald-compose')).toBe(ARN);
      expect(await queue.arnOf('herald-compose')).toBe(ARN);

      expect(sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
      expect(sqs).toReceiveCommandWith(GetQueueAttributesCommand, {
        QueueUrl: URL,
        AttributeNames: ['QueueArn'],
      });
    });

    it('translates a failed GetQueueAttributes and does not cache the failure', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs
        .on(GetQueueAttributesCommand)
        .rejectsOnce(Object.assign(new Error('internal'), { name: 'InternalError', $fault: 'server' }))
        .resolves({ Attributes: { QueueArn: ARN } });
      const queue = newQueue();

      // Act
      const first = await queue.arnOf('herald-compose').catch((e: unknown) => e);
      const second = await queue.arnOf('herald-compose');

      // Assert
      expect(first).toBeInstanceOf(SqsRequestError);
      expect(first).toMatchObject({ operation: 'GetQueueAttributes', code: 'InternalError' });
      expect(isRetryable(first)).toBe(true);
      expect(second).toBe(ARN);
    });
  });

  describe('Method: changeVisibility', () => {
    it('sets the visibility timeout of a receipt handle', async () => {
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(ChangeMessageVisibilityCommand).resolves({});

      await newQueue().changeVisibility('herald-compose', 'rh-9', 16);

      expect(sqs).toReceiveCommandWith(ChangeMessageVisibilityCommand, {
        QueueUrl: URL,
        ReceiptHandle: 'rh-9',
        VisibilityTimeout: 16,
      });
    });

    it('turns an invalid receipt handle into a permanent SqsRequestError', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs
        .on(ChangeMessageVisibilityCommand)
        .rejects(new ReceiptHandleIsInvalid({ $metadata: { httpStatusCode: 400 }, message: 'bad handle' }));

      // Act
      const error = await newQueue()
        .changeVisibility('herald-compose', 'rh-9', 16)
        .catch((e: unknown) => e);

      // Assert
      expect(error).toBeInstanceOf(SqsQueueError);
      expect(error).toMatchObject({
        name: 'SqsRequestError',
        queue: 'herald-compose',
        operation: 'ChangeMessageVisibility',
        code: 'ReceiptHandleIsInvalid',
      });
      expect(isRetryable(error)).toBe(false);
    });
  });

  describe('Method: delete', () => {
    it('deletes a message by receipt handle', async () => {
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(DeleteMessageCommand).resolves({});

      await newQueue().delete('herald-compose', 'rh-2');

      expect(sqs).toReceiveCommandWith(DeleteMessageCommand, { QueueUrl: URL, ReceiptHandle: 'rh-2' });
    });

    it('turns a throttled DeleteMessage into a retryable SqsRequestError', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: URL });
      sqs.on(DeleteMessageCommand).rejects(new RequestThrottled({ $metadata: {}, message: 'slow down' }));

      // Act
      const error = await newQueue()
        .delete('herald-compose', 'rh-2')
        .catch((e: unknown) => e);

      // Assert
      expect(error).toMatchObject({
        name: 'SqsRequestError',
        operation: 'DeleteMessage',
        code: 'RequestThrottled',
      });
      expect(isRetryable(error)).toBe(true);
    });
  });
});
