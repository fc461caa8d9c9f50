import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { wrap } from '#contracts/envelope';

let counter = 0;

/** Options of {@link sqsRecord}. */
export interface SqsRecordOptions {
  body?: string;
  messageId?: string;
  receiptHandle?: string;
  /** ApproximateReceiveCount. Default 1. */
  receiveCount?: number;
  /** String message attributes. */
  attributes?: Record<string, string>;
  /** Queue name the record came from. Default `herald-ingest`. */
  queueName?: string;
}

/** A typed SQS record as Lambda delivers it. */
export const sqsRecord = (options: SqsRecordOptions = {}): SQSRecord => {
  counter += 1;
  const queueName = options.queueName ?? 'herald-ingest';
  return {
    messageId: options.messageId ?? `msg-${counter}`,
    receiptHandle: options.receiptHandle ?? `rh-${counter}`,
    body: options.body ?? '{}',
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(options.attributes ?? {}).map(([k, v]) => [k, { dataType: 'String', stringValue: v }]),
    ),
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queueName}`,
    awsRegion: 'us-east-1',
  } as SQSRecord;
};

/** An SQS record carrying `payload` in a herald envelope of `kind` under `key`. */
export const envelopeRecord = (
  kind: 'compose.job' | 'send.job' | 'review.job',
  key: string,
  payload: unknown,
  traceparent?: string,
): SQSRecord => sqsRecord({ body: JSON.stringify(wrap(kind, key, payload, traceparent)) });

/** An SQS event of the given records. */
export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context whose remaining time counts down from `remainingMs` (default 30 s). */
export const lambdaContext = (remainingMs = 30_000): Context => {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'herald-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:herald-test',
    memoryLimitInMB: '256',
    awsRequestId: `req-${++counter}`,
    logGroupName: '/aws/lambda/herald-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
