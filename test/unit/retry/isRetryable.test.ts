import {
  ConditionalCheckFailedException,
  InternalServerError as DynamoInternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { InternalException as EventBridgeInternalException } from '@aws-sdk/client-eventbridge';
import {
  ConflictException as SchedulerConflictException,
  InternalServerException as SchedulerInternalServerException,
  ThrottlingException as SchedulerThrottlingException,
  ServiceQuotaExceededException,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import {
  DecryptionFailure,
  InternalServiceError,
  ResourceNotFoundException as SecretNotFound,
} from '@aws-sdk/client-secrets-manager';
import {
  AccountSuspendedException,
  InternalServiceErrorException,
  MessageRejected,
  LimitExceededException as SesLimitExceededException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { QueueDoesNotExist, RequestThrottled } from '@aws-sdk/client-sqs';
import {
  NetworkError as JiraNetworkError,
  NotFoundError as JiraNotFoundError,
  RateLimitError as JiraRateLimitError,
  ServerError as JiraServerError,
} from 'jira.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError as OpenAiInternalServerError,
  RateLimitError as OpenAiRateLimitError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { SqsBatchError, SqsQueueNotFoundError } from '#adapters/queue/SqsQueue';
import { ContractError } from '#contracts/errors';
import { isRetryable, retryAfterSeconds } from '#retry/isRetryable';
import { ConfigError } from '#shared/config';
import { ClassifiedError, OutcomeUnknownError, PermanentError, RetryableError } from '#shared/errors';

const meta = { $metadata: {} };
const errno = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });
const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });
const openAiHeaders = (init: Record<string, string> = {}) => new Headers(init);

const cases: Array<[string, unknown, boolean]> = [
  // Our own errors.
  ['RetryableError', new RetryableError('try later'), true],
  ['PermanentError', new PermanentError('invalid_payload', 'bad'), false],
  [
    'PermanentError caused by a reset socket',
    new PermanentError('x', 'y', { cause: errno('ECONNRESET') }),
    false,
  ],
  ['ContractError', new ContractError('envelope', ['kind: required']), false],
  ['ConfigError', new ConfigError('missing configuration'), false],
  ['OutcomeUnknownError (the call may have taken effect)', new OutcomeUnknownError('maybe sent'), true],
  ['ClassifiedError marked retryable', new ClassifiedError('x', { retryable: true }), true],
  [
    'ClassifiedError marked not retryable, whatever its cause',
    new ClassifiedError('x', { retryable: false, cause: errno('ECONNRESET') }),
    false,
  ],
  // A `retryable` field on a foreign error is not our vocabulary: only its other traits count.
  ['a foreign error with its own retryable flag', Object.assign(new Error('x'), { retryable: true }), false],
  [
    'SqsBatchError with a server fault',
    new SqsBatchError('q', [{ id: '0', code: 'InternalError', senderFault: false }]),
    true,
  ],
  [
    'SqsBatchError with a sender fault',
    new SqsBatchError('q', [{ id: '0', code: 'InvalidParameterValue', senderFault: true }]),
    false,
  ],
  ['SqsQueueNotFoundError', new SqsQueueNotFoundError('q'), false],
  // AWS SDK v3 exception classes.
  ['SQS RequestThrottled', new RequestThrottled({ ...meta, message: 'throttled' }), true],
  ['SQS QueueDoesNotExist', new QueueDoesNotExist({ ...meta, message: 'no queue' }), false],
  [
    'DynamoDB ProvisionedThroughputExceededException',
    new ProvisionedThroughputExceededException({ ...meta, message: 'x' }),
    true,
  ],
  ['DynamoDB RequestLimitExceeded', new RequestLimitExceeded({ ...meta, message: 'x' }), true],
  ['DynamoDB InternalServerError', new DynamoInternalServerError({ ...meta, message: 'x' }), true],
  [
    'DynamoDB TransactionConflictException',
    new TransactionConflictException({ ...meta, message: 'x' }),
    true,
  ],
  [
    'DynamoDB ConditionalCheckFailedException',
    new ConditionalCheckFailedException({ ...meta, message: 'x' }),
    false,
  ],
  [
    'Scheduler ThrottlingException',
    new SchedulerThrottlingException({ ...meta, message: 'Rate exceeded', Message: 'Rate exceeded' }),
    true,
  ],
  [
    'Scheduler InternalServerException',
    new SchedulerInternalServerException({ ...meta, message: 'x', Message: 'x' }),
    true,
  ],
  [
    'Scheduler ValidationException',
    new ValidationException({ ...meta, message: 'bad at()', Message: 'bad at()' }),
    false,
  ],
  [
    'Scheduler ConflictException',
    new SchedulerConflictException({ ...meta, message: 'x', Message: 'x' }),
    false,
  ],
  [
    'Scheduler ServiceQuotaExceededException',
    new ServiceQuotaExceededException({ ...meta, message: 'x', Message: 'x' }),
    false,
  ],
  [
    'SESv2 TooManyRequestsException',
    new TooManyRequestsException({ ...meta, message: 'Maximum sending rate exceeded.' }),
    true,
  ],
  [
    'SESv2 LimitExceededException about a rate',
    new SesLimitExceededException({ ...meta, message: 'Maximum sending rate exceeded.' }),
    true,
  ],
  [
    'SESv2 LimitExceededException about a resource count',
    new SesLimitExceededException({
      ...meta,
      message: 'There are too many instances of the specified resource type.',
    }),
    false,
  ],
  ['SESv2 InternalServiceErrorException', new InternalServiceErrorException({ ...meta, message: 'x' }), true],
  [
    'SESv2 MessageRejected',
    new MessageRejected({ ...meta, message: 'Email address is not verified.' }),
    false,
  ],
  ['SESv2 AccountSuspendedException', new AccountSuspendedException({ ...meta, message: 'x' }), false],
  ['EventBridge InternalException', new EventBridgeInternalException({ ...meta, message: 'x' }), true],
  ['Secrets Manager InternalServiceError', new InternalServiceError({ ...meta, message: 'x' }), true],
  ['Secrets Manager ResourceNotFoundException', new SecretNotFound({ ...meta, message: 'x' }), false],
  ['Secrets Manager DecryptionFailure', new DecryptionFailure({ ...meta, message: 'x' }), false],
  [
    'an SDK error marked $retryable',
    Object.assign(new Error('x'), { name: 'SomethingNew', $retryable: {} }),
    true,
  ],
  [
    'an SDK error with $fault server',
    Object.assign(new Error('x'), { name: 'SomethingNew', $fault: 'server' }),
    true,
  ],
  // OpenAI SDK.
  [
    'OpenAI RateLimitError',
    new OpenAiRateLimitError(429, { message: 'slow down' }, undefined, openAiHeaders()),
    true,
  ],
  [
    'OpenAI InternalServerError',
    new OpenAiInternalServerError(503, undefined, 'unavailable', openAiHeaders()),
    true,
  ],
  ['OpenAI APIConnectionError', new APIConnectionError({ cause: errno('ECONNREFUSED') }), true],
  ['OpenAI APIConnectionTimeoutError', new APIConnectionTimeoutError(), true],
  ['OpenAI BadRequestError', new BadRequestError(400, { message: 'bad' }, undefined, openAiHeaders()), false],
  [
    'OpenAI AuthenticationError',
    new AuthenticationError(401, { message: 'key' }, undefined, openAiHeaders()),
    false,
  ],
  ['OpenAI APIUserAbortError', new APIUserAbortError(), false],
  // jira.js.
  [
    'jira.js RateLimitError',
    new JiraRateLimitError('slow', 'Too Many Requests', undefined, { retryAfterMs: 2000 }),
    true,
  ],
  ['jira.js ServerError', new JiraServerError('down', 502, 'Bad Gateway', undefined), true],
  ['jira.js NotFoundError', new JiraNotFoundError('gone', 'Not Found', undefined), false],
  [
    'jira.js transient NetworkError',
    new JiraNetworkError('reset', { cause: errno('ECONNRESET'), transient: true }),
    true,
  ],
  [
    'jira.js permanent NetworkError',
    new JiraNetworkError('tls', { cause: new Error('cert'), transient: false }),
    false,
  ],
  // Node and fetch.
  ['ECONNRESET', errno('ECONNRESET'), true],
  ['ECONNREFUSED', errno('ECONNREFUSED'), true],
  ['ETIMEDOUT', errno('ETIMEDOUT'), true],
  ['EPIPE', errno('EPIPE'), true],
  ['EAI_AGAIN', errno('EAI_AGAIN'), true],
  ['ENOTFOUND (a resolver blip looks the same as a typo)', errno('ENOTFOUND'), true],
  ['EACCES', errno('EACCES'), false],
  ['fetch failed caused by ECONNREFUSED', fetchFailed(errno('ECONNREFUSED')), true],
  [
    'fetch failed caused by UND_ERR_CONNECT_TIMEOUT',
    fetchFailed(Object.assign(new Error('t'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
    true,
  ],
  [
    'fetch failed caused by an AggregateError of resets',
    fetchFailed(new AggregateError([errno('ECONNRESET')])),
    true,
  ],
  [
    'fetch failed caused by UND_ERR_INVALID_ARG',
    fetchFailed(Object.assign(new Error('t'), { code: 'UND_ERR_INVALID_ARG' })),
    false,
  ],
  ['a TypeError bug', new TypeError('x.map is not a function'), false],
  ['DOMException AbortError', new DOMException('aborted', 'AbortError'), true],
  ['DOMException TimeoutError', new DOMException('timed out', 'TimeoutError'), true],
  // HTTP status anywhere SDKs put it.
  ['status 503', Object.assign(new Error('x'), { status: 503 }), true],
  ['statusCode 429', Object.assign(new Error('x'), { statusCode: 429 }), true],
  ['response.status 502', Object.assign(new Error('x'), { response: { status: 502 } }), true],
  [
    '$metadata.httpStatusCode 500',
    Object.assign(new Error('x'), { $metadata: { httpStatusCode: 500 } }),
    true,
  ],
  ['status 408', Object.assign(new Error('x'), { status: 408 }), true],
  ['status 404', Object.assign(new Error('x'), { status: 404 }), false],
  ['status 400', Object.assign(new Error('x'), { statusCode: 400 }), false],
  ['status 501', Object.assign(new Error('x'), { status: 501 }), false],
  // Anything else.
  ['a plain Error', new Error('boom'), false],
  ['a thrown string', 'boom', false],
  ['undefined', undefined, false],
  ['null', null, false],
];

describe('Function: isRetryable', () => {
  it.each(cases)('classifies %s', (_label, error, expected) => {
    // Act
    const result = isRetryable(error);

    // Assert
    expect(result).toBe(expected);
  });

  it('covers at least 25 cases, retryable and not', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter(([, , r]) => r).length).toBeGreaterThan(10);
    expect(cases.filter(([, , r]) => !r).length).toBeGreaterThan(10);
  });
});

describe('Function: retryAfterSeconds', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('reads RetryableError.retryAfterSeconds', () => {
    expect(retryAfterSeconds(new RetryableError('x', { retryAfterSeconds: 42 }), now)).toBe(42);
  });

  it('reads a retry-after header in seconds from a Headers object (OpenAI)', () => {
    const err = new OpenAiRateLimitError(429, undefined, 'slow', new Headers({ 'retry-after': '7' }));
    expect(retryAfterSeconds(err, now)).toBe(7);
  });

  it('prefers retry-after-ms over retry-after', () => {
    const err = new OpenAiRateLimitError(
      429,
      undefined,
      'slow',
      new Headers({ 'retry-after': '7', 'retry-after-ms': '1500' }),
    );
    expect(retryAfterSeconds(err, now)).toBe(1.5);
  });

  it('reads an HTTP-date retry-after from a plain headers object, case-insensitively', () => {
    const err = Object.assign(new Error('x'), {
      response: { status: 503, headers: { 'Retry-After': 'Tue, 01 Jan 2030 00:00:30 GMT' } },
    });
    expect(retryAfterSeconds(err, now)).toBe(30);
  });

  it('treats a past HTTP date as no wait', () => {
    const err = Object.assign(new Error('x'), {
      headers: { 'retry-after': 'Mon, 31 Dec 2029 23:00:00 GMT' },
    });
    expect(retryAfterSeconds(err, now)).toBe(0);
  });

  it("reads jira.js RateLimitError's retryAfterMs", () => {
    const err = new JiraRateLimitError('slow', 'Too Many Requests', undefined, { retryAfterMs: 2500 });
    expect(retryAfterSeconds(err, now)).toBe(2.5);
  });

  it('reads an AWS $response header and a wrapped cause', () => {
    const sdk = Object.assign(new Error('x'), { $response: { headers: { 'retry-after': '3' } } });
    expect(retryAfterSeconds(new RetryableError('wrapped', { cause: sdk }), now)).toBe(3);
  });

  it('is undefined when nothing names a wait or the header is garbage', () => {
    expect(retryAfterSeconds(new Error('x'), now)).toBeUndefined();
    expect(
      retryAfterSeconds(Object.assign(new Error('x'), { headers: { 'retry-after': 'soon' } }), now),
    ).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});
