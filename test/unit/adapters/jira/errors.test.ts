import { NetworkError, RateLimitError, ServerError } from 'jira.js';
import { describe, expect, it } from 'vitest';
import { JiraRequestError, JiraTransportError, JiraUnavailableError } from '#adapters/jira/errors';
import { translateJiraError } from '#adapters/jira/translateJiraError';
import { isRetryable, retryAfterSeconds } from '#retry/isRetryable';

const context = { operation: 'getVersion', path: '/rest/api/3/version/10001', versionId: '10001' };

describe('Function: translateJiraError', () => {
  it('turns a transport 503 into a retryable error carrying Retry-After and the version id', () => {
    // arrange
    const raw = new JiraTransportError('http', 'GET /x answered 503', {
      method: 'GET',
      path: '/x',
      status: 503,
      retryAfterSeconds: 12,
      body: { errorMessages: ['Service unavailable'], errors: {} },
    });

    // act
    const error = translateJiraError(raw, context);

    // assert
    expect(error).toBeInstanceOf(JiraUnavailableError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 12, versionId: '10001', cause: raw });
    expect((error as Error).message).toContain('Service unavailable');
    expect(isRetryable(error)).toBe(true);
    expect(retryAfterSeconds(error)).toBe(12);
  });

  it.each([
    [400, 'jira_bad_request'],
    [401, 'jira_auth'],
    [403, 'jira_auth'],
    [404, 'jira_not_found'],
    [409, 'jira_bad_request'],
  ])('turns a transport %i into a permanent %s', (status, reason) => {
    // act
    const error = translateJiraError(
      new JiraTransportError('http', 'failed', { method: 'GET', path: '/x', status }),
      context,
    );

    // assert
    expect(error).toBeInstanceOf(JiraRequestError);
    expect(error).toMatchObject({ reason, status });
    expect(isRetryable(error)).toBe(false);
  });

  it('reads jira.js errors from a stock client: 429 retryAfterMs, 5xx, transient network', () => {
    // act
    const limited = translateJiraError(
      new RateLimitError('429', 'Too Many', {}, { retryAfterMs: 1500 }),
      context,
    );
    const server = translateJiraError(new ServerError('500', 500, 'Internal', {}), context);
    const network = translateJiraError(
      new NetworkError('reset', { cause: new Error('x'), code: 'ECONNRESET', transient: true }),
      context,
    );

    // assert
    expect(limited).toMatchObject({ name: 'JiraUnavailableError', status: 429, retryAfterSeconds: 2 });
    expect(server).toMatchObject({ name: 'JiraUnavailableError', status: 500 });
    expect(network).toMatchObject({ name: 'JiraUnavailableError', status: undefined });
  });

  it('returns errors it does not know unchanged', () => {
    // arrange
    const unknown = new TypeError('a bug');

    // act / assert
    expect(translateJiraError(unknown, context)).toBe(unknown);
  });
});
