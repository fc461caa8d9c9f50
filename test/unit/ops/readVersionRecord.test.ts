import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JiraRequestError, JiraUnavailableError } from '#adapters/jira/errors';
import { createJiraTransport } from '#adapters/jira/jiraTransport';
import { UsageError } from '#ops/cli/errors';
import { opsJira } from '#ops/jira/jiraAccess';
import { readVersionRecord } from '#ops/jira/readVersionRecord';
import { loadConfig } from '#shared/config';
import { silentLogger } from '#shared/logger';
import { shopVersion } from '#test/factories/jiraVersion';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';

let jira: JiraStandIn;

beforeAll(async () => {
  jira = await startJiraStandIn({ email: 'ops@example.com', apiToken: 'token-1' });
  jira.putProject({ id: '10000', key: 'SHOP', name: 'Example Shop' });
  jira.putVersion({ id: '10001', projectId: '10000', name: 'Shop 2.0', releaseDate: '2030-03-10' });
});

afterAll(async () => {
  await jira.close();
});

const client = () =>
  createJiraTransport({ siteUrl: jira.url, email: 'ops@example.com', apiToken: 'token-1', timeoutMs: 5000 });

describe('Function: readVersionRecord', () => {
  afterEach(() => {
    jira.faults.reset();
  });

  it('reads a version with the id of its project', async () => {
    expect(await readVersionRecord(client(), '10001')).toEqual(shopVersion());
  });

  it('resolves null for a version Jira answers 404 for', async () => {
    expect(await readVersionRecord(client(), '404404')).toBeNull();
  });

  it('translates Jira failures as the adapter does', async () => {
    // Arrange
    jira.faults.enqueue({ status: 400 }, { route: 'getVersion' });
    jira.faults.enqueue({ status: 503 }, { route: 'getVersion' });

    // Act & Assert
    await expect(readVersionRecord(client(), '10001')).rejects.toBeInstanceOf(JiraRequestError);
    await expect(readVersionRecord(client(), '10001')).rejects.toBeInstanceOf(JiraUnavailableError);
  });

  it('refuses an id that is not a version id without calling Jira', async () => {
    // Arrange
    const before = jira.requests.count('getVersion');

    // Act & Assert
    await expect(readVersionRecord(client(), '../project/1')).rejects.toBeInstanceOf(JiraRequestError);
    expect(jira.requests.count('getVersion')).toBe(before);
  });
});

describe('Function: opsJira', () => {
  const ctx = (env: NodeJS.ProcessEnv, token?: string) => ({
    config: loadConfig(env),
    secretsFromEnv: { jiraApiToken: token, openaiApiKey: undefined },
    logger: silentLogger(),
    // Never reached in these tests: the token comes from the environment or config is missing.
    clients: { secrets: undefined } as never,
    names: { secrets: { jiraApiToken: 'herald-t-jira-api-token' } } as never,
  });

  it('needs JIRA_SITE_URL and JIRA_EMAIL', async () => {
    await expect(opsJira(ctx({}, 'token-1'))).rejects.toThrow(UsageError);
    await expect(opsJira(ctx({}, 'token-1'))).rejects.toThrow('set JIRA_SITE_URL and JIRA_EMAIL');
  });

  it('reads versions with the token from the environment', async () => {
    // Act
    const { readVersion, jira: port } = await opsJira(
      ctx({ JIRA_SITE_URL: jira.url, JIRA_EMAIL: 'ops@example.com' }, 'token-1'),
    );

    // Assert
    expect((await readVersion('10001'))?.projectId).toBe('10000');
    expect((await port.getProject('10000')).key).toBe('SHOP');
  });
});
