import { ListMessageMoveTasksCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isMoveTaskUnsupported, waitForMoveTask } from '#ops/dlq/moveTask';
import { DLQ, moveTaskList, notImplementedError } from './sqsFixtures.ts';

const sqs = mockClient(SQSClient);

describe('Function: isMoveTaskUnsupported', () => {
  it.each([
    ['moto’s HTML error page', notImplementedError()],
    ['UnsupportedOperation', Object.assign(new Error('x'), { name: 'UnsupportedOperation' })],
    ['an unknown action', Object.assign(new Error('x'), { name: 'InvalidAction' })],
    [
      'HTTP 501',
      Object.assign(new Error('x'), { name: 'InternalFailure', $metadata: { httpStatusCode: 501 } }),
    ],
    [
      'a not-implemented message',
      new Error("API action 'StartMessageMoveTask' for service 'sqs' not yet implemented"),
    ],
  ])('is true for %s', (_, err) => {
    expect(isMoveTaskUnsupported(err)).toBe(true);
  });

  it.each([
    [
      'a JSON server error',
      Object.assign(new Error('x'), {
        name: 'InternalError',
        $metadata: { httpStatusCode: 500 },
        $response: { headers: { 'content-type': 'application/x-amz-json-1.0' } },
      }),
    ],
    [
      'access denied',
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    ],
    ['a missing queue', Object.assign(new Error('x'), { name: 'ResourceNotFoundException' })],
    ['not an object', 'boom'],
  ])('is false for %s', (_, err) => {
    expect(isMoveTaskUnsupported(err)).toBe(false);
  });
});

describe('Function: waitForMoveTask', () => {
  afterEach(() => {
    sqs.reset();
  });

  it('polls the most recent task until it is finished, reporting each state', async () => {
    // Arrange
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce(moveTaskList('RUNNING', 1, 3))
      .resolvesOnce(moveTaskList('RUNNING', 2, 3))
      .resolves(moveTaskList('COMPLETED', 3, 3));
    const sleeps: number[] = [];
    const seen: number[] = [];

    // Act
    const state = await waitForMoveTask(new SQSClient({ region: 'us-east-1' }), DLQ.arn, {
      intervalMs: 250,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onProgress: (s) => seen.push(s.moved),
    });

    // Assert
    expect(state).toEqual({ status: 'COMPLETED', moved: 3, toMove: 3, failureReason: undefined });
    expect(seen).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([250, 250]);
    expect(sqs).toReceiveCommandWith(ListMessageMoveTasksCommand, { SourceArn: DLQ.arn, MaxResults: 1 });
  });
});
