import type { SendRequestOptions } from 'jira.js/core';

/** A jira.js request as the HTTP call {@link createJiraTransport} makes: what to fetch, with what. */
export interface JiraHttpRequest {
  /** HTTP method; jira.js's default `GET` when it names none. */
  method: string;
  /** Path under the site, always with its leading `/` (for messages and errors). */
  path: string;
  /** Whole URL: site, path and serialised search parameters. */
  url: string;
  /** `Accept`, `Authorization`, `Content-Type` with a body, then the request's own headers. */
  headers: Record<string, string>;
  /**
   * The body to send as JSON; undefined when the request has none (null counts as none). Kept as a
   * value so that a body that cannot be serialised fails inside the transport's fetch, as a
   * `network` failure.
   */
  body: unknown;
}

/** Where {@link toJiraHttpRequest} sends a request, and as whom. */
export interface JiraHttpTarget {
  /** Site without trailing slashes, `https://acme.atlassian.net`. */
  site: string;
  /** Value of the `Authorization` header. */
  authorization: string;
}

/** Same encoding as jira.js's basic auth: UTF-8 bytes, then base64. */
export const basicAuth = (email: string, apiToken: string): string =>
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

/**
 * The HTTP call of a jira.js request: JSON accepted, basic auth, `Content-Type` only with a body;
 * the request's own headers win.
 */
export const toJiraHttpRequest = (
  request: SendRequestOptions<unknown>,
  target: JiraHttpTarget,
): JiraHttpRequest => {
  const method = request.method ?? 'GET';
  const path = request.url.startsWith('/') ? request.url : `/${request.url}`;
  const hasBody = request.body !== undefined && request.body !== null;
  return {
    method,
    path,
    url: withSearchParams(`${target.site}${path}`, request.searchParams),
    headers: {
      Accept: 'application/json',
      Authorization: target.authorization,
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...request.headers,
    },
    body: hasBody ? request.body : undefined,
  };
};
