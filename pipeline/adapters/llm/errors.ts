import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { retryAfterFromHeaders } from '#retry/retryAfter';
import { isRetryableStatus } from '#retry/retryableStatus';
import { HeraldError, PermanentError, RetryableError } from '#shared/errors';

/** Reasons of {@link LlmRequestError}. */
export const LLM_PERMANENT_REASONS = {
  /** 400, 404, 422 and other 4xx: the request (model, schema, prompt size) will not be accepted. */
  badRequest: 'llm_bad_request',
  /** 401, 403: the API key is wrong or lacks access. */
  auth: 'llm_auth',
  /** 429 `insufficient_quota`: billing, not load; waiting does not help. */
  quota: 'llm_quota',
} as const;

/** The OpenAI API could not answer now (429, 408, 409, 5xx, network, timeout). Retryable. */
export class LlmUnavailableError extends RetryableError {
  override name = 'LlmUnavailableError';
  /** HTTP status, when a response came. */
  readonly status: number | undefined;
  /** OpenAI's `x-request-id`, for support tickets. */
  readonly requestId: string | undefined;

  constructor(
    message: string,
    fields: { status?: number | undefined; requestId?: string | undefined },
    options?: { cause?: unknown; retryAfterSeconds?: number | undefined },
  ) {
    super(message, options);
    this.status = fields.status;
    this.requestId = fields.requestId;
  }
}

/** The OpenAI API refused the request in a way retrying will not change. See {@link LLM_PERMANENT_REASONS}. */
export class LlmRequestError extends PermanentError {
  override name = 'LlmRequestError';
  readonly status: number | undefined;
  /** OpenAI's error `code`, e.g. `invalid_api_key`, `context_length_exceeded`. */
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    reason: string,
    message: string,
    fields: { status?: number | undefined; code?: string | undefined; requestId?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(reason, message, options);
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
  }
}

/** What was wrong with an answer. */
export const LLM_OUTPUT_PROBLEMS = [
  'refusal',
  'truncated',
  'content_filter',
  'empty',
  'invalid_json',
  'schema_mismatch',
] as const;

/** One of {@link LLM_OUTPUT_PROBLEMS}. */
export type LlmOutputProblem = (typeof LLM_OUTPUT_PROBLEMS)[number];

/**
 * The model answered, but not with a usable email: it refused, was cut off (length or content
 * filter), or its content is not JSON matching `llmEmail`. Deliberately neither retryable nor
 * permanent: the caller (compose) decides whether to ask again with feedback or fall back to the
 * template. `isRetryable` reads it as not retryable.
 */
export class LlmOutputError extends HeraldError {
  override name = 'LlmOutputError';
  readonly problem: LlmOutputProblem;
  /** One line per schema problem (`path: message`), for `schema_mismatch`; feedback material. */
  readonly details: readonly string[];
  /** The model that answered. */
  readonly model: string | undefined;
  /** Tokens the failed call still cost. */
  readonly usage: { promptTokens: number; completionTokens: number } | undefined;

  constructor(
    problem: LlmOutputProblem,
    message: string,
    fields: {
      details?: readonly string[];
      model?: string | undefined;
      usage?: { promptTokens: number; completionTokens: number } | undefined;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.problem = problem;
    this.details = fields.details ?? [];
    this.model = fields.model;
    this.usage = fields.usage;
  }
}

/** Any error the LLM adapter throws on purpose. */
export type LlmError = LlmUnavailableError | LlmRequestError | LlmOutputError;

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
