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
