import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { OpsError } from '#ops/cli/errors';
import { type RedriveOptions, redriveDeadLetters } from '#ops/dlq/redriveDeadLetters';
import { DLQ, deadLetter, depth, MAIN, moveTaskList, notImplementedError } from './sqsFixtures.ts';

const sqs = mockClient(SQSClient);
const client = () => new SQSClient({ region: 'us-east-1' });

const sentEntries = () =>
  sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
/** Runs a redrive from DLQ to MAIN, for real unless `options.dryRun` says otherwise. */
const redrive = (options: Pick<RedriveOptions, 'method'> & Partial<RedriveOptions>) =>
  redriveDeadLetters(client(), { source: DLQ, target: MAIN, dryRun: false, ...options });
const deletedHandles = () =>
  sqs
    .commandCalls(DeleteMessageBatchCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => e.ReceiptHandle));

describe('Function: redriveDeadLetters', () => {
  afterEach(() => {
    sqs.reset();
  });

  describe('when the endpoint has no StartMessageMoveTask (auto)', () => {
    it('copies every message to the main queue with a fresh ladder and deletes it from the DLQ after the send', async () => {
      // Arrange
      sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(3)).resolves(depth(0));
      sqs.on(StartMessageMoveTaskCommand).rejects(notImplementedError());
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2)] })
        .resolvesOnce({ Messages: [deadLetter(3, { reschedules: 0 })] })
        .resolves({ Messages: [] });
      sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `new-${e.Id}` })),
        Failed: [],
      }));
      sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const progress: [number, number][] = [];

      // Act
      const report = await redrive({
        method: 'auto',
        onProgress: (done, total) => progress.push([done, total]),
      });

      // Assert
      expect(report).toMatchObject({
        method: 'copy',
        fallbackReason: 'the endpoint does not support StartMessageMoveTask',
        initial: 3,
        seen: 3,
        moved: 3,
        failed: 0,
        notDeleted: 0,
        returned: 0,
        reset: 2,
        remaining: 0,
        byReason: { 'permanent:jira_bad_request': 3 },
        failures: [],
      });
      expect(report.moved + report.failed).toBe(report.seen);
      expect(progress).toEqual([
        [2, 3],
        [3, 3],
      ]);
      expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: MAIN.url });
      const entries = sentEntries();
      expect(entries.map((e) => JSON.parse(e.MessageBody ?? '').reschedules)).toEqual([0, 0, 0]);
      expect(entries.map((e) => JSON.parse(e.MessageBody ?? '').key)).toEqual(['job-1', 'job-2', 'job-3']);
      expect(entries.every((e) => Object.keys(e.MessageAttributes ?? {}).join() === 'tenant')).toBe(true);
      expect(deletedHandles()).toEqual(['handle-1', 'handle-2', 'handle-3']);
      expect(sqs).toReceiveCommandWith(DeleteMessageBatchCommand, { QueueUrl: DLQ.url });
    });
  });

  it('never deletes a message whose send failed, and reconciles moved + failed = seen', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(3)).resolves(depth(1));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2), deadLetter(3)] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: '0', MessageId: 'new-0', MD5OfMessageBody: '' },
        { Id: '2', MessageId: 'new-2', MD5OfMessageBody: '' },
      ],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    const report = await redrive({ method: 'copy' });

    // Assert
    expect(report).toMatchObject({ method: 'copy', seen: 3, moved: 2, failed: 1, remaining: 1 });
    expect(report.failures).toEqual([{ messageId: 'dlq-2', code: 'InternalError', message: 'try again' }]);
    expect(deletedHandles()).toEqual(['handle-1', 'handle-3']);
    expect(sqs).not.toReceiveCommand(StartMessageMoveTaskCommand);
  });

  it('counts messages sent but not deleted as notDeleted (still moved)', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(2)).resolves(depth(0));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2)] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: '0', MessageId: 'n0', MD5OfMessageBody: '' },
        { Id: '1', MessageId: 'n1', MD5OfMessageBody: '' },
      ],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
    });

    // Act
    const report = await redrive({ method: 'copy' });

    // Assert
    expect(report).toMatchObject({ seen: 2, moved: 2, failed: 0, notDeleted: 1 });
  });

  it('stops at a send call that throws, keeping those messages in the DLQ, and says why', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(4)).resolves(depth(4));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [deadLetter(1), deadLetter(2)] });
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // Act
    const report = await redrive({ method: 'copy' });

    // Assert
    expect(report).toMatchObject({ seen: 2, moved: 0, failed: 2 });
    expect(report.stoppedBy).toBe(`sending to ${MAIN.name} failed: AccessDenied: denied`);
    expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });

  it('leaves a message that failed again during the run in the DLQ instead of looping on it', async () => {
    // Arrange: the first message is moved as new-0, fails again and comes back naming new-0 as its source.
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(2)).resolves(depth(1));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1)] })
      .resolvesOnce({ Messages: [deadLetter(9, { sourceMessageId: 'new-0' })] })
      .resolvesOnce({ Messages: [deadLetter(2)] })
      .resolves({ Messages: [] });
    let sends = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `new-${sends++}` })),
    }));
    sqs.on(DeleteMessageBatchCommand).resolves({});

    // Act
    const report = await redrive({ method: 'copy' });

    // Assert
    expect(report).toMatchObject({ seen: 2, moved: 2, returned: 1 });
    expect(deletedHandles()).toEqual(['handle-1', 'handle-2']);
  });

  it('paces sends to --max-per-second with batches no larger than the rate', async () => {
    // Arrange
    let now = 0;
    let received = 0;
    const sleeps: number[] = [];
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(5)).resolves(depth(0));
    sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number }) => ({
      Messages: Array.from({ length: input.MaxNumberOfMessages }, () => deadLetter(received++)),
    }));
    let sends = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `n-${sends++}` })),
    }));
    sqs.on(DeleteMessageBatchCommand).resolves({});

    // Act
    const report = await redrive({
      method: 'copy',
      maxPerSecond: 2,
      nowMs: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });

    // Assert
    expect(report.moved).toBe(5);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      2, 2, 1,
    ]);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('uses StartMessageMoveTask where the endpoint has it and follows the task to the end', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(4)).resolves(depth(0));
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce(moveTaskList('RUNNING', 1, 4))
      .resolves(moveTaskList('COMPLETED', 4, 4));

    // Act
    const report = await redrive({
      method: 'auto',
      maxPerSecond: 50,
      sleep: async () => {},
    });

    // Assert
    expect(report).toMatchObject({
      method: 'move-task',
      seen: 4,
      moved: 4,
      failed: 0,
      task: { status: 'COMPLETED' },
    });
    expect(sqs).toReceiveCommandWith(StartMessageMoveTaskCommand, {
      SourceArn: DLQ.arn,
      DestinationArn: MAIN.arn,
      MaxNumberOfMessagesPerSecond: 50,
    });
    expect(sqs).not.toReceiveCommand(ReceiveMessageCommand);
  });

  it('reports a move task that failed part-way with the messages it did not move', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(4)).resolves(depth(1));
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolves(moveTaskList('FAILED', 3, 4, 'AWS.SimpleQueueService.NonExistentQueue'));

    // Act
    const report = await redrive({ method: 'move-task' });

    // Assert
    expect(report).toMatchObject({
      method: 'move-task',
      seen: 4,
      moved: 3,
      failed: 1,
      remaining: 1,
      task: { status: 'FAILED', failureReason: 'AWS.SimpleQueueService.NonExistentQueue' },
    });
  });

  it('refuses --method move-task on an endpoint without it, moving nothing', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(2));
    sqs.on(StartMessageMoveTaskCommand).rejects(notImplementedError());

    // Act
    const run = redrive({ method: 'move-task' });

    // Assert
    await expect(run).rejects.toThrow(OpsError);
    await expect(run).rejects.toThrow('use --method copy');
    expect(sqs).not.toReceiveCommand(SendMessageBatchCommand);
  });

  it('rethrows a move task error that is not about support', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(2));
    sqs.on(StartMessageMoveTaskCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));

    // Act & Assert
    await expect(redrive({ method: 'auto' })).rejects.toThrow('denied');
    expect(sqs).not.toReceiveCommand(ReceiveMessageCommand);
  });

  it('on a dry run counts by reason, releases what it read and moves nothing', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(2));
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter(1), deadLetter(2)] })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});

    // Act
    const report = await redrive({ method: 'auto', dryRun: true });

    // Assert
    expect(report).toMatchObject({
      method: 'dry-run',
      seen: 2,
      moved: 0,
      byReason: { 'permanent:jira_bad_request': 2 },
    });
    expect(sqs).toReceiveCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: DLQ.url,
      Entries: [
        { Id: '0', ReceiptHandle: 'handle-1', VisibilityTimeout: 0 },
        { Id: '1', ReceiptHandle: 'handle-2', VisibilityTimeout: 0 },
      ],
    });
    expect(sqs).not.toReceiveCommand(StartMessageMoveTaskCommand);
    expect(sqs).not.toReceiveCommand(SendMessageBatchCommand);
    expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
  });

  it('ends when receives bring only messages it already handled', async () => {
    // Arrange: SQS hands the same message back (its hold expired) and never anything new.
    sqs.on(GetQueueAttributesCommand).resolvesOnce(depth(3)).resolves(depth(2));
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [deadLetter(1)] });
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'n0', MD5OfMessageBody: '' }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});

    // Act
    const report = await redrive({ method: 'copy' });

    // Assert
    expect(report).toMatchObject({ seen: 1, moved: 1, remaining: 2 });
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(4);
  });

  it('does nothing on an empty DLQ', async () => {
    // Arrange
    sqs.on(GetQueueAttributesCommand).resolves(depth(0));

    // Act
    const report = await redrive({ method: 'auto' });

    // Assert
    expect(report).toMatchObject({ initial: 0, seen: 0, moved: 0 });
    expect(sqs).not.toReceiveCommand(StartMessageMoveTaskCommand);
    expect(sqs).not.toReceiveCommand(ReceiveMessageCommand);
  });
});
