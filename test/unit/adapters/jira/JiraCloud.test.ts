import type { Client } from 'jira.js/core';
import { describe, expect, it } from 'vitest';
import { JiraRequestError, JiraResponseError, JiraUnavailableError } from '#adapters/jira/errors';
import { JIRA_TEXT_LIMITS, JiraCloud } from '#adapters/jira/JiraCloud';
import type { JiraTransportRequest } from '#adapters/jira/jiraTransport';
import { isRetryable } from '#retry/isRetryable';
import { PermanentError, RetryableError } from '#shared/errors';
import {
  JIRA_EMAIL as EMAIL,
  JIRA_TOKEN as TOKEN,
  useJiraCloudStandIn,
} from '#test/factories/jiraCloudStandIn';
import { generateIssues } from '#test/standins/JiraStandIn';

/** A {@link JiraCloud} that sends every request through `client` instead of HTTP. */
const overClient = (client: Client, options: { maxPages?: number } = {}) =>
  new JiraCloud({
    siteUrl: 'https://example.atlassian.net',
    email: EMAIL,
    apiToken: TOKEN,
    client,
    ...options,
  });

/** A jira.js client answering every request with `page(call)` (calls count from 1), and its call count. */
const countingClient = (page: (call: number) => unknown) => {
  const counter = { calls: 0, client: {} as Client };
  counter.client = {
    sendRequest: async <T>() => {
      counter.calls++;
      return page(counter.calls) as T;
    },
  };
  return counter;
};

describe('Class: JiraCloud', () => {
  const env = useJiraCloudStandIn();

  const seedRelease = (count: number) => {
    env.standIn.putProject({ id: '10000', key: 'ABC', name: 'Acme Portal' });
    env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v2.4', releaseDate: '2030-03-14' });
    env.standIn.setIssues('10001', generateIssues('ABC', count));
  };

  describe('Method: getVersion', () => {
    it('returns the version state when Jira has the version', async () => {
      // arrange
      env.standIn.putVersion({
        id: '10001',
        projectId: '10000',
        name: '  v2.4\n',
        description: 'Spring release',
        releaseDate: '2030-03-14',
        released: true,
      });

      // act
      const version = await env.jira.getVersion('10001');

      // assert
      expect(version).toEqual({
        id: '10001',
        name: 'v2.4',
        description: 'Spring release',
        releaseDate: '2030-03-14',
        released: true,
        archived: false,
      });
      expect(env.standIn.requests.count('getVersion')).toBe(1);
    });

    it('returns null when Jira answers 404 (the version was deleted)', async () => {
      // arrange
      env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
      env.standIn.deleteVersion('10001');

      // act
      const version = await env.jira.getVersion('10001');

      // assert
      expect(version).toBeNull();
    });

    it('rejects an id that is not numeric without calling Jira', async () => {
      // act
      const error = await env.jira.getVersion('../project/ABC').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraRequestError);
      expect(error).toMatchObject({ reason: 'jira_bad_request', operation: 'getVersion' });
      expect(env.standIn.requests.count()).toBe(0);
    });

    it('throws a RetryableError with Retry-After seconds when Jira answers 503', async () => {
      // arrange
      env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
      env.standIn.faults.enqueue({ status: 503, retryAfterSeconds: 7 }, { route: 'getVersion' });

      // act
      const error = await env.jira.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(RetryableError);
      expect(error).toBeInstanceOf(JiraUnavailableError);
      expect(error).toMatchObject({
        retryAfterSeconds: 7,
        status: 503,
        versionId: '10001',
        path: '/rest/api/3/version/10001',
      });
    });

    it('throws a PermanentError jira_auth when the credentials are wrong (401)', async () => {
      // arrange
      env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
      const wrong = new JiraCloud({ siteUrl: env.standIn.url, email: EMAIL, apiToken: 'not-the-token' });

      // act
      const error = await wrong.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ reason: 'jira_auth', status: 401, versionId: '10001' });
    });

    it('throws a PermanentError jira_auth on 403 and jira_bad_request on 400', async () => {
      // arrange
      env.standIn.faults.enqueue({ status: 403 }).enqueue({ status: 400 });

      // act
      const forbidden = await env.jira.getVersion('10001').catch((err: unknown) => err);
      const bad = await env.jira.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(forbidden).toMatchObject({ name: 'JiraRequestError', reason: 'jira_auth', status: 403 });
      expect(bad).toMatchObject({ name: 'JiraRequestError', reason: 'jira_bad_request', status: 400 });
    });

    it('throws a RetryableError when the connection is dropped', async () => {
      // arrange
      env.standIn.faults.enqueue({ drop: true });

      // act
      const error = await env.jira.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraUnavailableError);
      expect(error).toMatchObject({ status: undefined, versionId: '10001' });
    });

    it('throws a RetryableError when Jira is slower than the timeout', async () => {
      // arrange
      env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
      env.standIn.faults.enqueue({ delayMs: 3000 });
      const impatient = new JiraCloud({
        siteUrl: env.standIn.url,
        email: EMAIL,
        apiToken: TOKEN,
        timeoutMs: 100,
      });

      // act
      const error = await impatient.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraUnavailableError);
      expect((error as Error).message).toMatch(/timed out after 100 ms/);
    });

    it('throws a JiraResponseError (jira_bad_response) when a 2xx lacks the version fields', async () => {
      // arrange
      env.standIn.faults.enqueue({ status: 200, body: { id: '10001', released: 'yes' } });

      // act
      const error = await env.jira.getVersion('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraResponseError);
      expect(error).toMatchObject({ reason: 'jira_bad_response' });
      expect((error as JiraResponseError).problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^name:/)]),
      );
    });
  });

  describe('Method: getProject', () => {
    it('returns the project by key', async () => {
      // arrange
      env.standIn.putProject({ id: '10000', key: 'ABC', name: 'Acme Portal' });

      // act
      const project = await env.jira.getProject('ABC');

      // assert
      expect(project).toEqual({ id: '10000', key: 'ABC', name: 'Acme Portal' });
    });

    it('throws a PermanentError jira_not_found when the project does not exist', async () => {
      // act
      const error = await env.jira.getProject('NOPE').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraRequestError);
      expect(error).toMatchObject({ reason: 'jira_not_found', status: 404, projectIdOrKey: 'NOPE' });
    });
  });

  describe('Method: listReleaseIssues', () => {
    it('follows nextPageToken across 3 pages, in key order', async () => {
      // arrange
      seedRelease(0);
      const issues = generateIssues('ABC', 250);
      env.standIn.setIssues('10001', [...issues].reverse());

      // act
      const result = await env.jira.listReleaseIssues('10001');

      // assert
      expect(result.truncated).toBe(false);
      expect(result.issues).toHaveLength(250);
      expect(result.issues.map((i) => i.key)).toEqual(issues.map((i) => i.key));
      expect(result.issues[0]).toEqual({
        key: 'ABC-1',
        summary: 'Change number 1',
        issueType: 'Story',
        status: 'Done',
        description: undefined,
      });
      expect(env.standIn.requests.count('searchJql')).toBe(3);
    });

    it('stops at maxIssues and says the list is truncated', async () => {
      // arrange
      seedRelease(300);

      // act
      const result = await env.jira.listReleaseIssues('10001', { maxIssues: 250 });

      // assert
      expect(result.truncated).toBe(true);
      expect(result.issues).toHaveLength(250);
      expect(result.issues.at(-1)?.key).toBe('ABC-250');
      expect(env.standIn.requests.count('searchJql')).toBe(3);
    });

    it('is not truncated when the release has exactly maxIssues issues', async () => {
      // arrange
      seedRelease(250);

      // act
      const result = await env.jira.listReleaseIssues('10001', { maxIssues: 250 });

      // assert
      expect(result).toMatchObject({ truncated: false });
      expect(result.issues).toHaveLength(250);
    });

    it('reads 10,000 issues when allowed to', async () => {
      // arrange
      seedRelease(10_000);

      // act
      const result = await env.jira.listReleaseIssues('10001', { maxIssues: 10_000 });

      // assert
      expect(result.truncated).toBe(false);
      expect(result.issues).toHaveLength(10_000);
      expect(env.standIn.requests.count('searchJql')).toBe(100);
    });

    it('flattens ADF descriptions to plain text without links', async () => {
      // arrange
      seedRelease(0);
      env.standIn.setIssues('10001', [
        {
          key: 'ABC-1',
          summary: 'Export to CSV',
          description: {
            type: 'doc',
            version: 1,
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'Adds ' },
                  { type: 'text', text: 'CSV', marks: [{ type: 'strong' }] },
                  { type: 'text', text: ' export.' },
                  { type: 'hardBreak' },
                  { type: 'inlineCard', attrs: { url: 'https://evil.example/x' } },
                  { type: 'text', text: 'Asked by ' },
                  { type: 'mention', attrs: { id: 'abc', text: '@Jane' } },
                ],
              },
              {
                type: 'bulletList',
                content: [
                  {
                    type: 'listItem',
                    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }],
                  },
                  {
                    type: 'listItem',
                    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }],
                  },
                ],
              },
            ],
          },
        },
      ]);

      // act
      const { issues } = await env.jira.listReleaseIssues('10001');

      // assert
      expect(issues[0]?.description).toBe('Adds CSV export.\nAsked by @Jane\none\ntwo');
    });

    it('cuts huge and odd fields instead of failing', async () => {
      // arrange
      seedRelease(0);
      env.standIn.setIssues('10001', [
        { key: 'ABC-1', summary: 'x'.repeat(1_000_000), description: 'y'.repeat(100_000) },
        {
          key: 'ABC-2',
          summary: 'ok',
          fields: { summary: 42, status: null, issuetype: 'Bug', description: 7 },
        },
        { key: 'not a key', summary: 'skipped' },
        { key: 'ABC-3', summary: 'line\nbreak\u0000 and\u202Espoof' },
      ]);

      // act
      const { issues, truncated } = await env.jira.listReleaseIssues('10001');

      // assert
      expect(truncated).toBe(false);
      expect(issues.map((i) => i.key)).toEqual(['ABC-1', 'ABC-2', 'ABC-3']);
      expect(issues[0]?.summary).toHaveLength(JIRA_TEXT_LIMITS.summary);
      expect(issues[0]?.summary.endsWith('…')).toBe(true);
      expect(issues[0]?.description).toHaveLength(JIRA_TEXT_LIMITS.description);
      expect(issues[1]).toEqual({
        key: 'ABC-2',
        summary: '',
        issueType: undefined,
        status: undefined,
        description: undefined,
      });
      expect(issues[2]?.summary).toBe('line break andspoof');
    });

    it('throws a RetryableError with Retry-After seconds when a page is rate limited', async () => {
      // arrange
      seedRelease(150);
      env.standIn.faults.enqueue({ status: 429, retryAfterSeconds: 3 }, { route: 'searchJql' });

      // act
      const error = await env.jira.listReleaseIssues('10001').catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(JiraUnavailableError);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 3, versionId: '10001' });
    });

    it('throws a PermanentError jira_bad_request when Jira rejects the query (unknown version)', async () => {
      // act
      const error = await env.jira.listReleaseIssues('999').catch((err: unknown) => err);

      // assert
      expect(error).toMatchObject({ name: 'JiraRequestError', reason: 'jira_bad_request', status: 400 });
      expect((error as Error).message).toMatch(/does not exist for the field 'fixVersion'/);
    });

    it('stops at the page cap when the server never ends', async () => {
      // arrange
      const endless = countingClient((call) => ({
        issues: [{ key: `ABC-${call}`, fields: { summary: 's' } }],
        nextPageToken: `t${call}`,
      }));
      const runaway = overClient(endless.client, { maxPages: 5 });

      // act
      const result = await runaway.listReleaseIssues('10001');

      // assert
      expect(endless.calls).toBe(5);
      expect(result).toMatchObject({ truncated: true });
      expect(result.issues).toHaveLength(5);
    });

    it('stops when the server repeats a page token', async () => {
      // arrange
      const looping = countingClient(() => ({
        issues: [{ key: 'ABC-1', fields: { summary: 's' } }],
        nextPageToken: 'same',
        isLast: false,
      }));
      const runaway = overClient(looping.client);

      // act
      const result = await runaway.listReleaseIssues('10001');

      // assert
      expect(looping.calls).toBe(2);
      expect(result).toEqual({ issues: [expect.objectContaining({ key: 'ABC-1' })], truncated: true });
    });
  });

  describe('Option: signal', () => {
    it('aborts a request Jira has not answered yet when the signal fires, well before the timeout', async () => {
      // arrange: Jira takes 3 s, the adapter's timeout is 1 s, the caller's deadline 100 ms.
      env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
      env.standIn.faults.enqueue({ delayMs: 3000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('deadline passed', 'TimeoutError')), 100);
      const started = performance.now();

      // act
      const error = await env.jira
        .getVersion('10001', { signal: controller.signal })
        .catch((err: unknown) => err);

      // assert
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(JiraUnavailableError);
      expect(error).toMatchObject({ status: undefined, versionId: '10001' });
      expect((error as Error).message).toMatch(/aborted by the caller: deadline passed/);
      expect(isRetryable(error)).toBe(true);
      expect(elapsed).toBeLessThan(900);
    });

    it('sends no request when the signal has already aborted', async () => {
      // arrange
      seedRelease(3);
      const signal = AbortSignal.abort(new DOMException('deadline passed', 'TimeoutError'));

      // act
      const issues = await env.jira.listReleaseIssues('10001', { signal }).catch((err: unknown) => err);
      const project = await env.jira.getProject('ABC', { signal }).catch((err: unknown) => err);

      // assert
      expect(issues).toBeInstanceOf(JiraUnavailableError);
      expect(project).toBeInstanceOf(JiraUnavailableError);
      expect(env.standIn.requests.count()).toBe(0);
    });

    it('hands the signal to the transport on every request, every search page included', async () => {
      // arrange
      const seen: Array<AbortSignal | undefined> = [];
      let pages = 0;
      const recording: Client = {
        sendRequest: async <T>(request: JiraTransportRequest<T>) => {
          seen.push(request.signal);
          if (request.url.startsWith('/rest/api/3/version/')) {
            return { id: '10001', name: 'v1', released: false, archived: false } as T;
          }
          if (request.url.startsWith('/rest/api/3/project/')) {
            return { id: '10000', key: 'ABC', name: 'Acme Portal' } as T;
          }
          pages++;
          return {
            issues: [{ key: `ABC-${pages}`, fields: { summary: 's' } }],
            ...(pages < 3 ? { nextPageToken: `t${pages}` } : { isLast: true }),
          } as T;
        },
      };
      const stubbed = overClient(recording);
      const { signal } = new AbortController();

      // act
      await stubbed.getVersion('10001', { signal });
      await stubbed.getProject('ABC', { signal });
      const listed = await stubbed.listReleaseIssues('10001', { signal });
      await stubbed.getVersion('10001');

      // assert
      expect(listed.issues).toHaveLength(3);
      expect(seen).toHaveLength(6);
      expect(seen.slice(0, 5).every((s) => s === signal)).toBe(true);
      expect(seen[5]).toBeUndefined();
    });
  });
});
