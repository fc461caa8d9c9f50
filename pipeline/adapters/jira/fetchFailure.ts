import { JiraTransportError } from './errors.ts';
import type { JiraHttpRequest } from './jiraHttpRequest.ts';

/** What {@link fetchFailure} reads. */
export interface FetchFailureOptions {
  /** What fetch, or the read of the body, threw. */
  cause: unknown;
  /** The call that failed (named in the message and the error's fields). */
  request: Pick<JiraHttpRequest, 'method' | 'path'>;
  /** The transport's own timeout signal. */
  timeout: AbortSignal;
  /** The length of that timeout, milliseconds (for the message). */
  timeoutMs: number;
  /** The caller's abort signal; undefined when the caller passed none. */
  caller: AbortSignal | undefined;
}

/** Text of an abort reason, for messages (withRetry's is a DOMException naming the deadline). */
const describeReason = (reason: unknown): string =>
  reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);

/** The first `code` down an error's cause chain (undici hides ECONNRESET under `TypeError: fetch failed`). */
const causeCode = (err: unknown): string | undefined => {
  let cursor: unknown = err;
  for (let depth = 0; depth < 5 && cursor instanceof Error; depth++) {
    const code = (cursor as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cursor = cursor.cause;
  }
  return undefined;
};

/**
 * The {@link JiraTransportError} of a request that got no usable response: `timeout` when the
 * caller's signal aborted it (and the timeout had not fired) or when the timeout did, `network`
 * otherwise, with the code found down the cause chain.
 */
export const fetchFailure = (options: FetchFailureOptions): JiraTransportError => {
  const { cause, timeout, caller } = options;
  const { method, path } = options.request;
  const fields = { method, path };
  if (caller?.aborted && !timeout.aborted) {
    const message = `${method} ${path} aborted by the caller: ${describeReason(caller.reason)}`;
    return new JiraTransportError('timeout', message, fields, { cause });
  }
  const name = (cause as { name?: unknown } | undefined)?.name;
  if (timeout.aborted || name === 'TimeoutError' || name === 'AbortError') {
    const message = `${method} ${path} timed out after ${options.timeoutMs} ms`;
    return new JiraTransportError('timeout', message, fields, { cause });
  }
  const code = causeCode(cause);
  const reason = cause instanceof Error ? cause.message : String(cause);
  const message = `${method} ${path} failed: ${reason}${code ? ` (${code})` : ''}`;
  return new JiraTransportError('network', message, fields, { cause });
};
