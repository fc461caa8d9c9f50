import type { Client, SendRequestOptions } from 'jira.js/core';
import { fetchFailure } from './fetchFailure.ts';
import {
  basicAuth,
  type JiraHttpRequest,
  type JiraHttpTarget,
  toJiraHttpRequest,
} from './jiraHttpRequest.ts';
import { readBounded } from './readBounded.ts';
import { readJiraAnswer } from './readJiraAnswer.ts';

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

/** Default whole-request timeout, milliseconds. */
export const DEFAULT_JIRA_TIMEOUT_MS = 20_000;

/** Default response cap, bytes (32 MiB). */
export const DEFAULT_JIRA_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** {@link JiraTransportOptions} with their defaults applied, as one request reads them. */
interface TransportSettings extends JiraHttpTarget {
  /** Whole-request timeout, milliseconds. */
  timeoutMs: number;
  /** Response cap, bytes. */
  maxBytes: number;
  /** fetch implementation. */
  fetch: typeof fetch;
}

/**
 * Fetches `http` and reads its body (bounded) before the timeout and the caller's signal, whichever
 * fires first; a failure on the way is thrown as {@link fetchFailure} describes it.
 */
const exchange = async (
  http: JiraHttpRequest,
  settings: TransportSettings,
  caller: AbortSignal | undefined,
): Promise<{ response: Response; text: string | undefined }> => {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  try {
    const response = await settings.fetch(http.url, {
      method: http.method,
      headers: http.headers,
      body: http.body === undefined ? undefined : JSON.stringify(http.body),
      // Covers the body too: readBounded's reads fail once either signal fires.
      signal: caller ? AbortSignal.any([timeout, caller]) : timeout,
      // A redirect off the site would be an answer we did not ask for; surface it as a status.
      redirect: 'manual',
    });
    return { response, text: await readBounded(response, settings.maxBytes) };
  } catch (cause) {
    throw fetchFailure({ cause, request: http, timeout, timeoutMs: settings.timeoutMs, caller });
  }
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
  const settings: TransportSettings = {
    site: options.siteUrl.replace(/\/+$/, ''),
    authorization: basicAuth(options.email, options.apiToken),
    timeoutMs: options.timeoutMs ?? DEFAULT_JIRA_TIMEOUT_MS,
    maxBytes: options.maxResponseBytes ?? DEFAULT_JIRA_MAX_RESPONSE_BYTES,
    fetch: options.fetch ?? fetch,
  };
  return {
    async sendRequest<T>(request: JiraTransportRequest<T>): Promise<T> {
      const http = toJiraHttpRequest(request, settings);
      const { response, text } = await exchange(http, settings, request.signal);
      return readJiraAnswer<T>({ request: http, response, text, maxBytes: settings.maxBytes });
    },
  };
};
