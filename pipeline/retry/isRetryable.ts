import { ContractError } from '#contracts/errors';
import { ConfigError } from '#shared/config';
import { ClassifiedError, OutcomeUnknownError, PermanentError, RetryableError } from '#shared/errors';
import { retryAfterFromHeaders } from './retryAfter.ts';
import { isRetryableStatus } from './retryableStatus.ts';

/**
 * Socket and DNS error codes that a later attempt may not hit.
 *
 * `ENOTFOUND` is in on purpose: a mistyped host is a configuration error, but a resolver blip
 * (seen in Lambda VPCs) reports the same code. Treated as retryable, a bad host still ends in the
 * DLQ after the ladder with the code in `herald-error`; treated as permanent, a blip would
 * dead-letter good messages at once.
 */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  // undici (Node's fetch): transport failures only. Its other UND_ERR_* codes (INVALID_ARG,
  // NOT_SUPPORTED, content-length mismatches...) are bugs on our side and would fail again.
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * Error names (AWS SDK v3 exception names, DOM/undici abort names, SDK class names) that mean
 * "throttled" or "transient".
 */
const RETRYABLE_NAMES: ReadonlySet<string> = new Set([
  // AWS throttling (the SDK's own list plus SQS's JSON-protocol names).
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'KmsThrottled',
  // DynamoDB: another transaction holds the item; the SDK's own retry treats it the same way.
  'TransactionConflictException',
  'TransactionInProgressException',
  // AWS server side.
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'InternalError',
  'InternalException',
  'InternalServiceError',
  'InternalServiceErrorException',
  'RequestTimeout',
  'RequestTimeoutException',
  // Smithy's socket timeout, DOM AbortSignal.timeout(), and an abort of our own timeout controller:
  // nobody else aborts calls in this pipeline, so an abort means "took too long".
  'TimeoutError',
  'AbortError',
  // OpenAI SDK (its errors keep name 'Error'; the class names are read from the prototype chain).
  'RateLimitError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
]);

/** Most causes followed when looking for a network code (guards against cycles). */
const MAX_CAUSE_DEPTH = 5;

type Fields = Record<string, unknown>;

const asObject = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null ? (value as Fields) : undefined;

/** `name` plus every constructor name up the prototype chain (SDKs that never set `name`). */
const namesOf = (err: Fields): string[] => {
  const names = typeof err.name === 'string' ? [err.name] : [];
  let proto: unknown = Object.getPrototypeOf(err);
  while (proto && proto !== Object.prototype && proto !== Error.prototype) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name) names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
};

/** The HTTP status an error carries on any of the fields SDKs use, if any. */
export const httpStatusOf = (err: unknown): number | undefined => {
  const e = asObject(err);
  if (!e) return undefined;
  const candidates = [
    e.status,
    e.statusCode,
    asObject(e.response)?.status,
    asObject(e.response)?.statusCode,
    asObject(e.$metadata)?.httpStatusCode,
  ];
  return candidates.find((c): c is number => typeof c === 'number' && Number.isInteger(c));
};

/** True when `err` or one of its causes (or AggregateError members) carries a transient network code. */
const hasNetworkCode = (err: unknown, depth = 0): boolean => {
  const e = asObject(err);
  if (!e || depth > MAX_CAUSE_DEPTH) return false;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => hasNetworkCode(inner, depth + 1))) return true;
  return e.cause !== undefined && hasNetworkCode(e.cause, depth + 1);
};

/**
 * SES v2 and others use `LimitExceededException` for "too many resources of this type", which
 * waiting does not fix; only a message about a rate makes it a throttle.
 */
const isRateLimitMessage = (message: unknown): boolean =>
  typeof message === 'string' && /rate|throttl|too many requests/i.test(message);

/**
 * True when `name` (an AWS SDK v3 exception name, a PutEvents entry's ErrorCode, an abort name,
 * an SDK class name) means "throttled" or "transient". For adapters that meet a bare code.
 */
export const isRetryableErrorName = (name: string): boolean => RETRYABLE_NAMES.has(name);

/**
 * The one decision "will another attempt possibly succeed?", used by in-call retries
 * ({@link withRetry}) and by the redelivery ladder (backoffPolicy).
 *
 * Never retryable: {@link PermanentError}, {@link ContractError}, {@link ConfigError}.
 * Retryable: {@link RetryableError} and {@link OutcomeUnknownError}; a {@link ClassifiedError} as its
 * `retryable` says; a jira.js NetworkError as its `transient` says; AWS SDK errors with `$retryable`, `$fault: 'server'`
 * or a throttling/transient name; OpenAI `RateLimitError`, `APIConnectionError`,
 * `APIConnectionTimeoutError`, `InternalServerError`; `AbortError`/`TimeoutError`; HTTP 408, 429
 * and 5xx (except 501/505) on `status`, `statusCode`, `response.status` or
 * `$metadata.httpStatusCode`; network codes (ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE,
 * EAI_AGAIN, ENOTFOUND, undici transport codes) on the error or any cause (undici's
 * `TypeError: fetch failed` puts them there). Everything else is not.
 */
export const isRetryable = (err: unknown): boolean => {
  if (err instanceof PermanentError || err instanceof ContractError || err instanceof ConfigError)
    return false;
  if (err instanceof RetryableError || err instanceof OutcomeUnknownError) return true;
  if (err instanceof ClassifiedError) return err.retryable;
  const e = asObject(err);
  if (!e) return false;

  if (typeof e.transient === 'boolean') return e.transient;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (e.$fault === 'server') return true;

  const names = namesOf(e);
  if (names.includes('LimitExceededException')) return isRateLimitMessage(e.message);
  if (names.some((n) => RETRYABLE_NAMES.has(n))) return true;

  const status = httpStatusOf(e);
  if (status !== undefined) return isRetryableStatus(status);

  return hasNetworkCode(e);
};

/**
 * The wait the server asked for, seconds (possibly fractional, at most a day), or undefined when it
 * named none.
 * Looks at {@link RetryableError.retryAfterSeconds}, a `retryAfterMs` field (jira.js), then the
 * `retry-after-ms` and `retry-after` headers ({@link retryAfterFromHeaders}) on `headers`,
 * `response.headers` or `$response.headers` (plain object or `Headers`), then the same on each
 * cause.
 * @param nowMs clock for HTTP-date values, epoch milliseconds; default `Date.now()`.
 */
export const retryAfterSeconds = (err: unknown, nowMs: number = Date.now()): number | undefined => {
  let current: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    const e = asObject(current);
    if (!e) return undefined;
    if (current instanceof RetryableError && current.retryAfterSeconds !== undefined) {
      return Math.max(0, current.retryAfterSeconds);
    }
    if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs / 1000;
    for (const headers of [e.headers, asObject(e.response)?.headers, asObject(e.$response)?.headers]) {
      const seconds = retryAfterFromHeaders(headers, nowMs);
      if (seconds !== undefined) return seconds;
    }
    current = e.cause;
  }
  return undefined;
};
