import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { retryAfterFromHeaders } from '#retry/retryAfter';
import { isRetryableStatus } from '#retry/retryableStatus';
import { LLM_PERMANENT_REASONS, LlmRequestError, LlmUnavailableError } from './errors.ts';

/** OpenAI documents 409 (a lock timeout) as transient; its own SDK retries it. */
const OPENAI_TRANSIENT_STATUSES = [409] as const;

/** Text of an abort reason, for messages (withRetry's is a DOMException naming the deadline). */
const describeReason = (reason: unknown): string =>
  reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);

/**
 * The one place OpenAI SDK failures become pipeline errors:
 * - `APIConnectionError` / `APIConnectionTimeoutError` (network, timeout) and 408, 409, 429, 5xx
 *   but 501/505 (`isRetryableStatus`) → {@link LlmUnavailableError} with `retryAfterSeconds` from
 *   `retry-after-ms` / `retry-after` (`retryAfterFromHeaders`);
 * - any failure without an HTTP status once `options.signal` has aborted (the caller's deadline
 *   passed: `APIUserAbortError`, an abort while reading the body) → {@link LlmUnavailableError}
 *   naming the abort reason;
 * - 429 `insufficient_quota` → {@link LlmRequestError} `llm_quota`;
 * - 401, 403 → `llm_auth`; 400, 404, 422 and other 4xx → `llm_bad_request`.
 * Anything else (including an `APIUserAbortError` with no aborted signal of ours) is returned
 * unchanged for the caller to rethrow.
 * @param options.signal the signal the request was made with, if any.
 */
export const translateOpenAiError = (
  err: unknown,
  operation: string,
  options: { signal?: AbortSignal | undefined } = {},
): unknown => {
  const { signal } = options;
  // Once the signal fired, whatever failed without an HTTP answer (the SDK's APIUserAbortError,
  // or the body read's own AbortError) failed because of it.
  if (signal?.aborted && !(err instanceof APIError && err.status !== undefined)) {
    return new LlmUnavailableError(
      `OpenAI ${operation} aborted by the caller: ${describeReason(signal.reason)}`,
      {},
      { cause: err },
    );
  }
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionTimeoutError || err instanceof APIConnectionError) {
    return new LlmUnavailableError(`OpenAI ${operation} failed: ${err.message}`, {}, { cause: err });
  }
  if (!(err instanceof APIError) || err.status === undefined) return err;

  const status = err.status;
  const requestId = err.requestID ?? undefined;
  const code = err.code ?? undefined;
  const message = `OpenAI ${operation} answered ${status}${code ? ` (${code})` : ''}: ${err.message}`;
  if (status === 429 && code === 'insufficient_quota') {
    return new LlmRequestError(
      LLM_PERMANENT_REASONS.quota,
      message,
      { status, code, requestId },
      { cause: err },
    );
  }
  if (isRetryableStatus(status, { alsoRetryable: OPENAI_TRANSIENT_STATUSES })) {
    return new LlmUnavailableError(
      message,
      { status, requestId },
      {
        cause: err,
        retryAfterSeconds: retryAfterFromHeaders(err.headers),
      },
    );
  }
  const reason =
    status === 401 || status === 403 ? LLM_PERMANENT_REASONS.auth : LLM_PERMANENT_REASONS.badRequest;
  return new LlmRequestError(reason, message, { status, code, requestId }, { cause: err });
};
