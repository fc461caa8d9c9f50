import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateIssues, type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';

const AUTH = { authorization: `Basic ${Buffer.from('herald@example.com:t').toString('base64')}` };

describe('Function: startJiraStandIn', () => {
  let jira: JiraStandIn;

  beforeAll(async () => {
    jira = await startJiraStandIn();
  });

  afterEach(() => {
    jira.reset();
  });

  afterAll(async () => {
    await jira.close();
  });

  const get = (path: string, headers: Record<string, string> = AUTH) =>
    fetch(`${jira.url}${path}`, { headers });
  const search = (body: unknown) =>
    fetch(`${jira.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 401 without a Basic authorization header', async () => {
    // act
    const response = await get('/rest/api/3/version/1', {});

    // assert
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Client must be authenticated to access this resource.');
    expect(jira.requests.count('getVersion')).toBe(1);
  });

  it('serves a version like Jira Cloud, and 404 with errorMessages once deleted', async () => {
    // arrange
    jira.putVersion({ id: '10001', projectId: '10000', name: 'v1', releaseDate: '2020-03-14' });

    // act
    const found = await (await get('/rest/api/3/version/10001')).json();
    jira.deleteVersion('10001');
    const gone = await get('/rest/api/3/version/10001');

    // assert
    expect(found).toEqual({
      self: `${jira.url}/rest/api/3/version/10001`,
      id: '10001',
      name: 'v1',
      archived: false,
      released: false,
      releaseDate: '2020-03-14',
      overdue: true,
      userReleaseDate: '14/Mar/20',
      projectId: 10000,
    });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({
      errorMessages: ["Could not find version for id '10001'"],
      errors: {},
    });
  });

  it('serves a project by id and by key', async () => {
    // arrange
    jira.putProject({ id: '10000', key: 'ABC', name: 'Acme' });

    // act
    const byKey = await (await get('/rest/api/3/project/ABC')).json();
    const byId = await (await get('/rest/api/3/project/10000')).json();

    // assert
    expect(byKey).toMatchObject({ id: '10000', key: 'ABC', name: 'Acme', projectTypeKey: 'software' });
    expect(byId).toEqual(byKey);
  });

  it('pages search results with an opaque token and no token on the last page', async () => {
    // arrange
    jira.putVersion({ id: '10001', projectId: '10000', name: 'v1' });
    jira.setIssues('10001', generateIssues('ABC', 150));
    const query = {
      jql: 'fixVersion = 10001 ORDER BY key ASC',
      fields: ['summary', 'status'],
      maxResults: 500,
    };

    // act
    const first = (await (await search(query)).json()) as {
      issues: unknown[];
      nextPageToken?: string;
      isLast: boolean;
    };
    const second = (await (
      await search({ ...query, nextPageToken: first.nextPageToken })
    ).json()) as typeof first;

    // assert
    expect(first.issues).toHaveLength(100);
    expect(first).toMatchObject({ isLast: false, nextPageToken: expect.any(String) });
    expect(second.issues).toHaveLength(50);
    expect(second.isLast).toBe(true);
    expect(second).not.toHaveProperty('nextPageToken');
    expect(first.issues[0]).toEqual({
      expand: '',
      id: '10000',
      self: `${jira.url}/rest/api/3/issue/10000`,
      key: 'ABC-1',
      fields: {
        summary: 'Change number 1',
        status: expect.objectContaining({
          name: 'Done',
          statusCategory: expect.objectContaining({ key: 'done' }),
        }),
      },
    });
  });

  it('returns ids only when no fields are asked, also through GET', async () => {
    // arrange
    jira.setIssues('10001', generateIssues('ABC', 3));

    // act
    const body = await (await get('/rest/api/3/search/jql?jql=fixVersion%3D10001&maxResults=2')).json();

    // assert
    expect(body).toEqual({
      issues: [{ id: '10000' }, { id: '10001' }],
      nextPageToken: expect.any(String),
      isLast: false,
    });
  });

  it('sends plain-text descriptions as ADF and raw field overrides as given', async () => {
    // arrange
    jira.setIssues('10001', [{ key: 'ABC-1', summary: 's', description: 'a\nb', fields: { status: null } }]);

    // act
    const body = (await (
      await search({ jql: 'fixVersion = 10001', fields: ['description', 'status'] })
    ).json()) as {
      issues: Array<{ fields: Record<string, unknown> }>;
    };

    // assert
    expect(body.issues[0]?.fields).toEqual({
      description: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
        ],
      },
      status: null,
    });
  });

  it('rejects JQL it does not understand, unknown versions and forged tokens with 400', async () => {
    // arrange
    jira.setIssues('10001', generateIssues('ABC', 3));

    // act
    const badJql = await search({ jql: 'project = ABC' });
    const unknown = await search({ jql: 'fixVersion = 999' });
    const forged = await search({ jql: 'fixVersion = 10001', nextPageToken: 'bm9wZQ' });

    // assert
    expect([badJql.status, unknown.status, forged.status]).toEqual([400, 400, 400]);
    expect(await unknown.json()).toMatchObject({
      errorMessages: ["The value '999' does not exist for the field 'fixVersion'."],
    });
  });

  it('holds 10,000 issues cheaply', () => {
    // act
    const started = performance.now();
    jira.setIssues('10001', generateIssues('ABC', 10_000));
    const elapsed = performance.now() - started;

    // assert
    expect(elapsed).toBeLessThan(500);
  });

  it('injects faults before answering: status with Retry-After, and drops', async () => {
    // arrange
    jira.faults.enqueue({ status: 503, retryAfterSeconds: 4 }).enqueue({ drop: true });

    // act
    const unavailable = await get('/rest/api/3/version/1');
    const dropped = await get('/rest/api/3/version/1').catch((err: unknown) => err);

    // assert
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('4');
    expect(dropped).toBeInstanceOf(TypeError);
    expect(jira.requests.records.map((r) => r.fault)).toEqual(['status:503', 'drop']);
    expect(jira.faults.counters.total).toBe(2);
  });
});
