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

/**
 * Exactly the {@link JiraErrorFields} of `fields` (never more of what a caller passed), for
 * `Object.assign` onto an error whose fields are `declare`d.
 */
const fieldsOf = (fields: JiraErrorFields): JiraErrorFields => ({
  status: fields.status,
  operation: fields.operation,
  path: fields.path,
  versionId: fields.versionId,
  projectIdOrKey: fields.projectIdOrKey,
});

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
  declare readonly status: number | undefined;
  declare readonly operation: string;
  declare readonly path: string;
  declare readonly versionId: string | undefined;
  declare readonly projectIdOrKey: string | undefined;

  constructor(
    message: string,
    fields: JiraErrorFields,
    options?: { cause?: unknown; retryAfterSeconds?: number | undefined },
  ) {
    super(message, options);
    Object.assign(this, fieldsOf(fields));
  }
}

/**
 * Jira refused the request in a way retrying will not change: bad request (400 and other 4xx),
 * bad credentials or permissions (401/403), no such thing (404; except a missing version, which
 * {@link JiraPort.getVersion} reports as null).
 */
export class JiraRequestError extends PermanentError implements JiraErrorFields {
  override name = 'JiraRequestError';
  declare readonly status: number | undefined;
  declare readonly operation: string;
  declare readonly path: string;
  declare readonly versionId: string | undefined;
  declare readonly projectIdOrKey: string | undefined;

  constructor(reason: string, message: string, fields: JiraErrorFields, options?: { cause?: unknown }) {
    super(reason, message, options);
    Object.assign(this, fieldsOf(fields));
  }
}

/**
 * Jira answered 2xx with something we cannot read (not JSON, a shape that lacks what we need, or
 * bigger than the response cap). Reason `jira_bad_response`; permanent because an API change does
 * not fix itself: the message waits in the DLQ for a fix and a redrive.
 */
export class JiraResponseError extends PermanentError implements JiraErrorFields {
  override name = 'JiraResponseError';
  declare readonly status: number | undefined;
  declare readonly operation: string;
  declare readonly path: string;
  declare readonly versionId: string | undefined;
  declare readonly projectIdOrKey: string | undefined;
  /** One line per problem, `path: what is wrong` (never the values, which are untrusted). */
  readonly problems: readonly string[];

  constructor(
    message: string,
    fields: JiraErrorFields & { problems?: readonly string[] },
    options?: { cause?: unknown },
  ) {
    super(JIRA_PERMANENT_REASONS.badResponse, message, options);
    Object.assign(this, fieldsOf(fields));
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
 * turns it into a {@link JiraError} with `translateJiraError`.
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
