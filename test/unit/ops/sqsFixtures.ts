import type { Message } from '@aws-sdk/client-sqs';
import type { QueueRef } from '#ops/sqs/queueRef';

/** The compose DLQ and main queue of a test environment. */
export const DLQ: QueueRef = {
  name: 'herald-t-compose-dlq',
  url: 'http://127.0.0.1:5000/123456789012/herald-t-compose-dlq',
  arn: 'arn:aws:sqs:us-east-1:123456789012:herald-t-compose-dlq',
};
export const MAIN: QueueRef = {
  name: 'herald-t-compose',
  url: 'http://127.0.0.1:5000/123456789012/herald-t-compose',
  arn: 'arn:aws:sqs:us-east-1:123456789012:herald-t-compose',
};

/** A dead-lettered compose.job as createSqsHandler leaves it in the DLQ. */
export const deadLetter = (
  n: number,
  options: { reschedules?: number; sourceMessageId?: string } = {},
): Message => ({
  MessageId: `dlq-${n}`,
  ReceiptHandle: `handle-${n}`,
  Body: JSON.stringify({
    v: 1,
    kind: 'compose.job',
    key: `job-${n}`,
    reschedules: options.reschedules ?? 3,
    payload: { versionId: '10001' },
  }),
  Attributes: { SentTimestamp: '1893456000000' },
  MessageAttributes: {
    'herald-reason': { DataType: 'String', StringValue: 'permanent:jira_bad_request' },
    'herald-stage': { DataType: 'String', StringValue: 'compose' },
    'herald-source-message-id': { DataType: 'String', StringValue: options.sourceMessageId ?? `main-${n}` },
    tenant: { DataType: 'String', StringValue: 'acme' },
  },
});

/** What moto answers StartMessageMoveTask with: an HTML error page, status 500. */
export const notImplementedError = (): Error =>
  Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), {
    $metadata: { httpStatusCode: 500 },
    $response: { statusCode: 500, headers: { 'content-type': 'text/html; charset=utf-8' } },
  });

/** GetQueueAttributes answer with these counts. */
export const depth = (visible: number, inFlight = 0, delayed = 0) => ({
  Attributes: {
    ApproximateNumberOfMessages: String(visible),
    ApproximateNumberOfMessagesNotVisible: String(inFlight),
    ApproximateNumberOfMessagesDelayed: String(delayed),
  },
});

/** ListMessageMoveTasks answer with the most recent task in `status`, `moved` of `toMove` done. */
export const moveTaskList = (status: string, moved: number, toMove: number, failureReason?: string) => ({
  Results: [
    {
      Status: status,
      ApproximateNumberOfMessagesMoved: moved,
      ApproximateNumberOfMessagesToMove: toMove,
      ...(failureReason === undefined ? {} : { FailureReason: failureReason }),
    },
  ],
});
