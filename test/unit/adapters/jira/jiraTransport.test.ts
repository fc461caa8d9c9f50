import { describe, expect, it } from 'vitest';
import { JiraTransportError } from '#adapters/jira/errors';
import { createJiraTransport } from '#adapters/jira/jiraTransport';

/** A fetch that records the last call and answers with `answer(url, init)`. */
const fetchAnswering = (answer: (url: string, init: RequestInit) => Response | Promise<Response>) => {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init: init ?? {} });
    return answer(url, init ?? {});
  }) as typeof fetch;
  return { calls, fetchFn };
};

const transportOver = (
  fetchFn: typeof fetch,
  options: { maxResponseBytes?: number; timeoutMs?: number } = {},
) =>
  createJiraTransport({
    siteUrl: 'https://example.atlassian.net/',
    email: 'bot@example.com',
    apiToken: 'token-1',
    fetch: fetchFn,
    ...options,
  });

/** The JiraTransportError `promise` rejects with. */
const failureOf = async (promise: Promise<unknown>): Promise<JiraTransportError> => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(JiraTransportError);
  return err as JiraTransportError;
};

describe('Function: createJiraTransport', () => {
  it('sends GET with the query, basic auth and a manual redirect, and returns the parsed JSON', async () => {
    const { calls, fetchFn } = fetchAnswering(() => Response.json({ id: '10001' }));
    const answer = await transportOver(fetchFn).sendRequest({
      url: '/rest/api/3/version/10001',
      method: 'GET',
      searchParams: { expand: 'operations', fields: ['a', 'b'] },
    });
    expect(answer).toEqual({ id: '10001' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(
      'https://example.atlassian.net/rest/api/3/version/10001?expand=operations&fields=a&fields=b',
    );
    expect(calls[0]?.init.redirect).toBe('manual');
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get('authorization')).toBe(
      `Basic ${Buffer.from('bot@example.com:token-1').toString('base64')}`,
    );
  });

  it('returns undefined for a 204 and an empty 200', async () => {
    const noContent = fetchAnswering(() => new Response(null, { status: 204 }));
    await expect(
      transportOver(noContent.fetchFn).sendRequest({ url: '/x', method: 'GET' }),
    ).resolves.toBeUndefined();
    const empty = fetchAnswering(() => new Response('', { status: 200 }));
    await expect(
      transportOver(empty.fetchFn).sendRequest({ url: '/x', method: 'GET' }),
    ).resolves.toBeUndefined();
  });

  it('fails too_large when the declared or the read body passes the cap', async () => {
    const declared = fetchAnswering(
      () => new Response('{"a":1}', { status: 200, headers: { 'content-length': '5000' } }),
    );
    const first = await failureOf(
      transportOver(declared.fetchFn, { maxResponseBytes: 100 }).sendRequest({ url: '/big', method: 'GET' }),
    );
    expect(first.failure).toBe('too_large');
    expect(first.message).toBe('GET /big answered more than 100 bytes');

    const streamed = fetchAnswering(
      () => new Response(JSON.stringify({ text: 'x'.repeat(500) }), { status: 200 }),
    );
    const second = await failureOf(
      transportOver(streamed.fetchFn, { maxResponseBytes: 100 }).sendRequest({ url: '/big', method: 'GET' }),
    );
    expect(second.failure).toBe('too_large');
    expect(second.status).toBe(200);
  });

  it('fails not_json for a 2xx body that does not parse, naming its content type', async () => {
    const { fetchFn } = fetchAnswering(
      () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    const err = await failureOf(transportOver(fetchFn).sendRequest({ url: '/page', method: 'GET' }));
    expect(err.failure).toBe('not_json');
    expect(err.message).toBe('GET /page answered 200 with text/html, not JSON');
  });

  it('fails http with the parsed body and Retry-After for a status outside 2xx', async () => {
    const { fetchFn } = fetchAnswering(
      () =>
        new Response(JSON.stringify({ errorMessages: ['busy'] }), {
          status: 503,
          headers: { 'retry-after': '7' },
        }),
    );
    const err = await failureOf(transportOver(fetchFn).sendRequest({ url: '/v', method: 'GET' }));
    expect(err.failure).toBe('http');
    expect(err.status).toBe(503);
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.body).toEqual({ errorMessages: ['busy'] });
  });

  it('keeps a non-JSON error body as text cut to 2000 characters', async () => {
    const { fetchFn } = fetchAnswering(() => new Response('e'.repeat(5000), { status: 502 }));
    const err = await failureOf(transportOver(fetchFn).sendRequest({ url: '/v', method: 'GET' }));
    expect(err.failure).toBe('http');
    expect(err.body).toBe('e'.repeat(2000));
  });

  it('fails network with the code found down the cause chain', async () => {
    const { fetchFn } = fetchAnswering(() => {
      const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      throw new TypeError('fetch failed', { cause: reset });
    });
    const err = await failureOf(transportOver(fetchFn).sendRequest({ url: '/v', method: 'GET' }));
    expect(err.failure).toBe('network');
    expect(err.message).toBe('GET /v failed: fetch failed (ECONNRESET)');
  });

  it('fails timeout when its own timeout fires, and when the caller aborts', async () => {
    const hanging = fetchAnswering(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    );
    const timedOut = await failureOf(
      transportOver(hanging.fetchFn, { timeoutMs: 20 }).sendRequest({ url: '/slow', method: 'GET' }),
    );
    expect(timedOut.failure).toBe('timeout');
    expect(timedOut.message).toBe('GET /slow timed out after 20 ms');

    const caller = new AbortController();
    const pending = transportOver(hanging.fetchFn).sendRequest({
      url: '/slow',
      method: 'GET',
      signal: caller.signal,
    } as Parameters<ReturnType<typeof createJiraTransport>['sendRequest']>[0]);
    caller.abort(new Error('attempt deadline'));
    const aborted = await failureOf(pending);
    expect(aborted.failure).toBe('timeout');
    expect(aborted.message).toBe('GET /slow aborted by the caller: attempt deadline');
  });
});
