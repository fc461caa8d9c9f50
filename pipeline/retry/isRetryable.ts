import { ContractError } from '#contracts/errors';
import { ConfigError } from '#shared/config';
import { PermanentError, RetryableError } from '#shared/errors';

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

/**
 * 408, 429 and 5xx are worth another attempt. 501 (Not Implemented) and 505 (HTTP Version Not
 * Supported) will not change with time and are left out.
 */
const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);

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
 * The one decision "will another attempt possibly succeed?", used by in-call retries
 * ({@link withRetry}) and by the redelivery ladder (backoffPolicy).
 *
 * Never retryable: {@link PermanentError}, {@link ContractError}, {@link ConfigError}.
 * Retryable: {@link RetryableError}; an error whose own boolean `retryable` (e.g. SqsBatchError) or
 * `transient` (jira.js NetworkError) says so; AWS SDK errors with `$retryable`, `$fault: 'server'`
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
  if (err instanceof RetryableError) return true;
  const e = asObject(err);
  if (!e) return false;

  if (typeof e.retryable === 'boolean') return e.retryable;
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

const readHeader = (headers: unknown, name: string): string | undefined => {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
};

const fromHeaders = (headers: unknown, nowMs: number): number | undefined => {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms) / 1000;
  const value = readHeader(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
};

/**
 * The wait the server asked for, seconds (possibly fractional), or undefined when it named none.
 * Looks at {@link RetryableError.retryAfterSeconds}, a `retryAfterMs` field (jira.js), then the
 * `retry-after-ms` and `retry-after` (seconds or HTTP date) headers on `headers`,
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
      const seconds = fromHeaders(headers, nowMs);
      if (seconds !== undefined) return seconds;
    }
    current = e.cause;
  }
  return undefined;
};
