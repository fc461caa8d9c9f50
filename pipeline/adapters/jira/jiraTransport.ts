import type { Client, SendRequestOptions } from 'jira.js/core';
import { retryAfterFromHeaders } from '#retry/retryAfter';
import { JiraTransportError } from './errors.ts';

/** Options of {@link createJiraTransport}. */
export interface JiraTransportOptions {
  /** Jira site, `https://acme.atlassian.net` (http is accepted for loopback stand-ins). */
  siteUrl: string;
  /** Account email for basic auth. */
  email: string;
  /** API token for basic auth. Never logged. */
  apiToken: string;
  /** Whole-request timeout (connect, headers and body), milliseconds. Default 20000. */
  timeoutMs?: number;
  /** Largest response body read, bytes; a bigger one fails as `too_large`. Default 32 MiB. */
  maxResponseBytes?: number;
  /** fetch implementation; default the global one. */
  fetch?: typeof fetch;
}

/**
 * A request as {@link createJiraTransport} reads it: jira.js's options plus the caller's abort
 * signal (jira.js's endpoint functions cannot pass one; {@link withAbortSignal} adds it).
 */
export type JiraTransportRequest<T> = SendRequestOptions<T> & {
  /** Aborts the request together with the transport's own timeout. Default none. */
  signal?: AbortSignal | undefined;
};

/**
 * `client` with `signal` added to every request it sends: {@link createJiraTransport} aborts the
 * request when the signal does (a stock jira.js client ignores the field). `client` itself when
 * there is no signal.
 */
export const withAbortSignal = (client: Client, signal: AbortSignal | undefined): Client =>
  signal === undefined
    ? client
    : {
        sendRequest: <T>(request: SendRequestOptions<T>): Promise<T> =>
          client.sendRequest<T>({ ...request, signal } as JiraTransportRequest<T>),
      };

/** Text of an abort reason, for messages (withRetry's is a DOMException naming the deadline). */
const describeReason = (reason: unknown): string =>
  reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);

/** Default whole-request timeout, milliseconds. */
export const DEFAULT_JIRA_TIMEOUT_MS = 20_000;

/** Default response cap, bytes (32 MiB). */
export const DEFAULT_JIRA_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Most of an error body kept, characters. */
const MAX_ERROR_BODY_CHARS = 2000;

/** Same encoding as jira.js's basic auth: UTF-8 bytes, then base64. */
const basicAuth = (email: string, apiToken: string): string =>
  `Basic ${Buffer.from(`${email}:${apiToken}`, 'utf8').toString('base64')}`;

/** jira.js's query serialisation: arrays repeat the key, objects go as JSON, null/undefined are left out. */
const withSearchParams = (url: string, searchParams: Record<string, unknown> | undefined): string => {
  if (!searchParams) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.append(key, String(item));
    } else if (typeof value === 'object') params.set(key, JSON.stringify(value));
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `${url}?${query}` : url;
};

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

/** Reads a body as UTF-8 text, giving up (and cancelling the stream) past `limit` bytes. */
const readBounded = async (response: Response, limit: number): Promise<string | undefined> => {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
};

/**
 * A jira.js {@link Client} (the transport its endpoint functions call) on Node's fetch, with what
 * jira.js 6's own `createClient` lacks for a pipeline: a whole-request timeout, the caller's
 * abort signal ({@link JiraTransportRequest}; whichever fires first ends the request), a response
 * size cap, and `Retry-After` kept on every status (jira.js keeps it on 429 only, and Jira Cloud
 * also sends it with 503). It does no retries (the pipeline's `withRetry` does) and ignores
 * jira.js's response schemas: it returns the parsed JSON and JiraCloud validates it with its own
 * tolerant schemas. Failures are thrown as {@link JiraTransportError}; a timeout or an abort is
 * failure `timeout`.
 */
export const createJiraTransport = (options: JiraTransportOptions): Client => {
  const site = options.siteUrl.replace(/\/+$/, '');
  const authorization = basicAuth(options.email, options.apiToken);
  const timeoutMs = options.timeoutMs ?? DEFAULT_JIRA_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_JIRA_MAX_RESPONSE_BYTES;
  const doFetch = options.fetch ?? fetch;

  return {
    async sendRequest<T>(request: JiraTransportRequest<T>): Promise<T> {
      const method = request.method ?? 'GET';
      const path = request.url.startsWith('/') ? request.url : `/${request.url}`;
      const url = withSearchParams(`${site}${path}`, request.searchParams);
      const hasBody = request.body !== undefined && request.body !== null;
      const headers: Record<string, string> = {
        Accept: 'application/json',
        Authorization: authorization,
        ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        ...request.headers,
      };
      const fields = { method, path };

      const timeout = AbortSignal.timeout(timeoutMs);
      const caller = request.signal;
      let response: Response;
      let text: string | undefined;
      try {
        response = await doFetch(url, {
          method,
          headers,
          body: hasBody ? JSON.stringify(request.body) : undefined,
          // Covers the body too: readBounded's reads fail once either signal fires.
          signal: caller ? AbortSignal.any([timeout, caller]) : timeout,
          // A redirect off the site would be an answer we did not ask for; surface it as a status.
          redirect: 'manual',
        });
        text = await readBounded(response, maxBytes);
      } catch (cause) {
        if (caller?.aborted && !timeout.aborted) {
          throw new JiraTransportError(
            'timeout',
            `${method} ${path} aborted by the caller: ${describeReason(caller.reason)}`,
            fields,
            { cause },
          );
        }
        const name = (cause as { name?: unknown } | undefined)?.name;
        if (timeout.aborted || name === 'TimeoutError' || name === 'AbortError') {
          throw new JiraTransportError(
            'timeout',
            `${method} ${path} timed out after ${timeoutMs} ms`,
            fields,
            {
              cause,
            },
          );
        }
        const code = causeCode(cause);
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new JiraTransportError(
          'network',
          `${method} ${path} failed: ${reason}${code ? ` (${code})` : ''}`,
          fields,
          {
            cause,
          },
        );
      }

      const status = response.status;
      if (text === undefined) {
        throw new JiraTransportError('too_large', `${method} ${path} answered more than ${maxBytes} bytes`, {
          ...fields,
          status,
        });
      }
      if (status < 200 || status > 299) {
        let body: unknown = text.slice(0, MAX_ERROR_BODY_CHARS);
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON (an HTML error page from a proxy): keep the text.
        }
        throw new JiraTransportError('http', `${method} ${path} answered ${status}`, {
          ...fields,
          status,
          body,
          retryAfterSeconds: retryAfterFromHeaders(response.headers),
        });
      }
      if (status === 204 || text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        const type = response.headers.get('content-type') ?? 'no content type';
        throw new JiraTransportError(
          'not_json',
          `${method} ${path} answered ${status} with ${type}, not JSON`,
          {
            ...fields,
            status,
          },
          { cause },
        );
      }
    },
  };
};
