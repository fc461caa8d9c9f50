import { isApiError, isNetworkError, isRateLimitError, isSchemaMismatchError } from 'jira.js';
import { isRetryableStatus } from '#retry/retryableStatus';
import {
  isJiraError,
  JIRA_PERMANENT_REASONS,
  type JiraError,
  type JiraErrorContext,
  type JiraErrorFields,
  JiraRequestError,
  JiraResponseError,
  JiraTransportError,
  JiraUnavailableError,
} from './errors.ts';

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

/** A status Jira answered with, as {@link fromStatus} reads it. */
interface JiraStatusAnswer {
  /** HTTP status. */
  status: number;
  /** Jira's error body (parsed JSON or text), for the message. */
  body: unknown;
  /** Jira's `Retry-After`, seconds; undefined when it sent none. */
  retryAfterSeconds?: number | undefined;
}

/** The {@link JiraError} of a status: retryable (`isRetryableStatus`) or a request error by reason. */
const fromStatus = (err: unknown, context: JiraErrorContext, answer: JiraStatusAnswer): JiraError => {
  const { status, body, retryAfterSeconds } = answer;
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
        return fromStatus(err, context, {
          status: err.status ?? 0,
          body: err.body,
          retryAfterSeconds: err.retryAfterSeconds,
        });
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
    return fromStatus(err, context, { status: 429, body: err.body, retryAfterSeconds: seconds });
  }
  if (isApiError(err)) return fromStatus(err, context, { status: err.status, body: err.body });
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
