import { afterAll, afterEach, beforeAll } from 'vitest';
import { JiraCloud } from '#adapters/jira/JiraCloud';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';

/** The account email the Jira stand-in accepts. */
export const JIRA_EMAIL = 'herald@example.com';
/** The API token the Jira stand-in accepts. */
export const JIRA_TOKEN = 'test-token-1';

/** A Jira stand-in and a {@link JiraCloud} (1000 ms timeout) signed in to it. */
export interface JiraCloudStandIn {
  standIn: JiraStandIn;
  jira: JiraCloud;
}

/**
 * Starts a Jira stand-in before the suite, resets it after each test and closes it after the
 * suite; the returned object is filled in `beforeAll`, so read its fields inside tests only.
 */
export const useJiraCloudStandIn = (): JiraCloudStandIn => {
  const env = {} as JiraCloudStandIn;
  beforeAll(async () => {
    env.standIn = await startJiraStandIn({ email: JIRA_EMAIL, apiToken: JIRA_TOKEN });
    env.jira = new JiraCloud({
      siteUrl: env.standIn.url,
      email: JIRA_EMAIL,
      apiToken: JIRA_TOKEN,
      timeoutMs: 1000,
    });
  });
  afterEach(() => {
    env.standIn.reset();
  });
  afterAll(async () => {
    await env.standIn.close();
  });
  return env;
};
