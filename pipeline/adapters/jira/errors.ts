import { isApiError, isNetworkError, isRateLimitError, isSchemaMismatchError } from 'jira.js';
import { isRetryableStatus } from '#retry/retryableStatus';
import { PermanentError, RetryableError } from '#shared/errors';

/** Which Jira read failed, and on what: carried by every Jira error so an operator can act on it. */
export interface JiraErrorContext {
  /** The JiraPort operation, e.g. `getVersion`. */
  operation: string;
  /** Request path without the site, e.g. `/rest/api/3/version/10001`. */
  path: string;
  /** The version concerned, when there is one. */
  versionId?: string | undefined;
  /** The project concerned, when there is one. */
  projectIdOrKey?: string | undefined;
}

/** Fields every Jira error carries (see {@link JiraErrorContext}). */
export interface JiraErrorFields extends JiraErrorContext {
  /** HTTP status Jira answered with; undefined when no response came (network, timeout). */
  status: number | undefined;
}

/** Reasons of {@link JiraRequestError} and {@link JiraResponseError}. */
export const JIRA_PERMANENT_REASONS = {
  badRequest: 'jira_bad_request',
  auth: 'jira_auth',
  notFound: 'jira_not_found',
  badResponse: 'jira_bad_response',
} as const;

/**
 * Jira could not answer now: throttled (429), failing (5xx, 408), unreachable or too slow. A later
 * attempt may succeed; `retryAfterSeconds` is Jira's `Retry-After` when it sent one.
 */
export class JiraUnavailableError extends RetryableError implements JiraErrorFields {
  override name = 'JiraUnavailableError';
  readonly status: number | undefined;
  readonly operation: string;
  readonly path: string;
  readonly versionId: string | undefined;
  readonly projectIdOrKey: string | undefined;

  constructor(
    message: string,
    fields: JiraErrorFields,
    options?: { cause?: unknown; retryAfterSeconds?: number | undefined },
  ) {
    super(message, options);
    this.status = fields.status;
    this.operation = fields.operation;
    this.path = fields.path;
    this.versionId = fields.versionId;
    this.projectIdOrKey = fields.projectIdOrKey;
  }
}

/**
 * Jira refused the request in a way retrying will not change: bad request (400 and other 4xx),
 * bad credentials or permissions (401/403), no such thing (404; except a missing version, which
 * {@link JiraPort.getVersion} reports as null).
 */
export class JiraRequestError extends PermanentError implements JiraErrorFields {
  override name = 'JiraRequestError';
  readonly status: number | undefined;
  readonly operation: string;
  readonly path: string;
  readonly versionId: string | undefined;
  readonly projectIdOrKey: string | undefined;

  constructor(reason: string, message: string, fields: JiraErrorFields, options?: { cause?: unknown }) {
    super(reason, message, options);
    this.status = fields.status;
    this.operation = fields.operation;
    this.path = fields.path;
    this.versionId = fields.versionId;
    this.projectIdOrKey = fields.projectIdOrKey;
  }
}

/**
 * Jira answered 2xx with something we cannot read (not JSON, a shape that lacks what we need, or
 * bigger than the response cap). Reason `jira_bad_response`; permanent because an API change does
 * not fix itself: the message waits in the DLQ for a fix and a redrive.
 */
export class JiraResponseError extends PermanentError implements JiraErrorFields {
  override name = 'JiraResponseError';
  readonly status: number | undefined;
  readonly operation: string;
  readonly path: string;
  readonly versionId: string | undefined;
  readonly projectIdOrKey: string | undefined;
  /** One line per problem, `path: what is wrong` (never the values, which are untrusted). */
  readonly problems: readonly string[];

  constructor(
    message: string,
    fields: JiraErrorFields & { problems?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    super(JIRA_PERMANENT_REASONS.badResponse, message, options);
    this.status = fields.status;
    this.operation = fields.operation;
    this.path = fields.path;
    this.versionId = fields.versionId;
    this.projectIdOrKey = fields.projectIdOrKey;
    this.problems = fields.problems ?? [];
  }
}

/**
 * Any error the Jira adapter throws on purpose. The classes extend the shared
 * {@link RetryableError} / {@link PermanentError} (which is what the retry ladder reads), so
 * "Jira error" is this union rather than a common base class.
 */
export type JiraError = JiraUnavailableError | JiraRequestError | JiraResponseError;

/** True for every {@link JiraError}. */
export const isJiraError = (err: unknown): err is JiraError =>
  err instanceof JiraUnavailableError || err instanceof JiraRequestError || err instanceof JiraResponseError;

/**
 * Why a transport call produced no usable response. `timeout` covers the transport's own timeout
 * and an abort by the caller's signal (an attempt deadline): both mean "too slow", retryable.
 */
export type JiraTransportFailure = 'http' | 'network' | 'timeout' | 'too_large' | 'not_json';

/**
 * Raw failure of the Jira HTTP transport (`createJiraTransport`): an HTTP status with its
 * headers' `Retry-After` kept, or no response at all. Internal to the adapter: JiraCloud always
 * turns it into a {@link JiraError} with {@link translateJiraError}.
 */
export class JiraTransportError extends Error {
  override name = 'JiraTransportError';
  readonly failure: JiraTransportFailure;
  readonly method: string;
  readonly path: string;
  /** HTTP status, for `http` (and `too_large`/`not_json` on a 2xx). */
  readonly status: number | undefined;
  /** Parsed `Retry-After` (delta-seconds or HTTP date), seconds (`retryAfterFromHeaders`). */
  readonly retryAfterSeconds: number | undefined;
  /** Jira's error body (parsed JSON or text, cut to 2000 characters), for `http`. */
  readonly body: unknown;

  constructor(
    failure: JiraTransportFailure,
    message: string,
    fields: {
      method: string;
      path: string;
      status?: number | undefined;
      retryAfterSeconds?: number | undefined;
      body?: unknown;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.failure = failure;
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.retryAfterSeconds = fields.retryAfterSeconds;
    this.body = fields.body;
  }
}

/** Jira's own words from an error body (`errorMessages`, `errors`), cut short. */
const describeJiraBody = (body: unknown): string => {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body !== 'object' || body === null) return '';
  const { errorMessages, errors, message } = body as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m) => typeof m === 'string'));
  if (errors && typeof errors === 'object') {
    for (const [field, text] of Object.entries(errors))
      if (typeof text === 'string') parts.push(`${field}: ${text}`);
  }
  if (typeof message === 'string') parts.push(message);
  return parts.join('; ').slice(0, 300);
};

const reasonFor = (status: number): string => {
  if (status === 401 || status === 403) return JIRA_PERMANENT_REASONS.auth;
  if (status === 404) return JIRA_PERMANENT_REASONS.notFound;
  return JIRA_PERMANENT_REASONS.badRequest;
};

const fromStatus = (
  err: unknown,
  context: JiraErrorContext,
  status: number,
  body: unknown,
  retryAfterSeconds: number | undefined,
): JiraError => {
  const fields: JiraErrorFields = { ...context, status };
  const said = describeJiraBody(body);
  const message = `Jira ${context.operation} ${context.path} answered ${status}${said ? `: ${said}` : ''}`;
  if (isRetryableStatus(status))
    return new JiraUnavailableError(message, fields, { cause: err, retryAfterSeconds });
  return new JiraRequestError(reasonFor(status), message, fields, { cause: err });
};

/**
 * The one place Jira failures become pipeline errors. Reads our transport's
 * {@link JiraTransportError} and jira.js's own errors (`ApiError` and subclasses, `NetworkError`,
 * `SchemaMismatchError`, for a stock jira.js client):
 * - 408, 429, 5xx but 501/505 (`isRetryableStatus`), network failures, timeouts → {@link JiraUnavailableError} (retryable, with
 *   `retryAfterSeconds` from `Retry-After`);
 * - 400 and other 4xx → {@link JiraRequestError} `jira_bad_request`; 401/403 → `jira_auth`;
 *   404 → `jira_not_found`;
 * - unreadable 2xx → {@link JiraResponseError} `jira_bad_response`.
 * Returns anything else unchanged (and a {@link JiraError} as is), for the caller to rethrow.
 */
export const translateJiraError = (err: unknown, context: JiraErrorContext): unknown => {
  if (isJiraError(err)) return err;
  if (err instanceof JiraTransportError) {
    switch (err.failure) {
      case 'http':
        return fromStatus(err, context, err.status ?? 0, err.body, err.retryAfterSeconds);
      case 'network':
      case 'timeout':
        return new JiraUnavailableError(
          `Jira ${context.operation} ${context.path} failed: ${err.message}`,
          { ...context, status: undefined },
          { cause: err },
        );
      case 'too_large':
      case 'not_json':
        return new JiraResponseError(
          `Jira ${context.operation} ${context.path}: ${err.message}`,
          { ...context, status: err.status },
          { cause: err },
        );
    }
  }
  if (isRateLimitError(err)) {
    const seconds = err.retryAfterMs === undefined ? undefined : Math.ceil(err.retryAfterMs / 1000);
    return fromStatus(err, context, 429, err.body, seconds);
  }
  if (isApiError(err)) return fromStatus(err, context, err.status, err.body, undefined);
  // A non-transient NetworkError (bad URL, TLS misconfiguration) is returned as is: not retryable.
  if (isNetworkError(err) && err.transient) {
    return new JiraUnavailableError(
      `Jira ${context.operation} ${context.path} failed: ${err.message}`,
      { ...context, status: undefined },
      { cause: err },
    );
  }
  if (isSchemaMismatchError(err)) {
    return new JiraResponseError(
      `Jira ${context.operation} ${context.path}: ${err.message}`,
      { ...context, status: undefined },
      { cause: err },
    );
  }
  return err;
};
