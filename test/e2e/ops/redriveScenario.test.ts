import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { postSignedWebhook } from '#local/demo';
import { LOCAL_SCHEDULER_ROLE_ARN, type LocalHerald, startLocalHerald } from '#local/LocalHerald';
import { readOutbox } from '#local/Outbox';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { e2eEndpoint, queueDepth, uniqueEnv, waitFor } from '../local/support.ts';
import { herald, jsonOf } from './heraldCli.ts';

const env = uniqueEnv('opsflow');
const endpoint = e2eEndpoint();
const JIRA = { email: 'ops@example.com', apiToken: `jira-token-${env}` };
const WEBHOOK_SECRET = `webhook-${env}`;
const PROJECT = { id: '50000', key: 'OPSFLOW', name: 'Flow Shop' };
const VERSION = '50001';
// Unique to this run: moto's SES store is shared by every environment on the emulator.
const RECIPIENT = `olga-${env}@example.com`;
let jira: JiraStandIn;
let openai: OpenAiStandIn;
let local: LocalHerald;

/** `herald <args> --endpoint <emulator> --env <this file's env>`. */
const cli = (args: string[]) => herald([...args, '--endpoint', endpoint, '--env', env]);

/** A release date 30 days ahead (UTC): its send point is far in the future, so only the CLI fires it. */
const futureDate = (): string => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  jira = await startJiraStandIn(JIRA);
  openai = await startOpenAiStandIn({ apiKey: 'openai-key' });
  local = await startLocalHerald({
    endpoint,
    env,
    jira: { siteUrl: jira.url, ...JIRA },
    openai: { apiKey: 'openai-key', baseURL: openai.url },
    webhookSecret: WEBHOOK_SECRET,
    senderEmail: 'releases@example.com',
    retryProfile: 'fast',
  });
});

afterAll(async () => {
  await local?.stop();
  await Promise.all([jira?.close(), openai?.close()]);
});

describe('herald dlq redrive (the whole pipeline on the local stack)', () => {
  it('sends the email of a compose job that failed into the DLQ once its cause is fixed and it is redriven', async () => {
    // Arrange: a release with one send point and one contact, scheduled through the webhook.
    const releaseDate = futureDate();
    jira.putProject(PROJECT);
    jira.putVersion({ id: VERSION, projectId: PROJECT.id, name: 'Flow Shop 5.0', releaseDate });
    jira.setIssues(VERSION, [
      { key: 'OPSFLOW-1', summary: 'Orders can be split into parcels', issueType: 'Story' },
      { key: 'OPSFLOW-2', summary: 'Gift cards work in every currency', issueType: 'Story' },
    ]);
    await local.directory.putPolicy(PROJECT.key, {
      points: parsePointSpecs('-1d@09:00'),
      onRelease: false,
      timeZone: 'UTC',
      defaultLocale: 'en',
    });
    await local.directory.putContact(PROJECT.key, {
      email: RECIPIENT,
      name: 'Olga',
      locale: 'en',
      optedOut: false,
    });
    const status = await postSignedWebhook(
      local.webhookUrl,
      WEBHOOK_SECRET,
      JSON.stringify({
        timestamp: Date.now(),
        webhookEvent: 'jira:version_created',
        version: {
          id: VERSION,
          name: 'Flow Shop 5.0',
          releaseDate,
          projectId: Number(PROJECT.id),
          archived: false,
          released: false,
        },
      }),
    );
    expect(status).toBe(202);
    const scheduler = new EventBridgeScheduler({
      client: local.schedulerClient,
      groupName: local.stack.names.scheduleGroup,
      roleArn: LOCAL_SCHEDULER_ROLE_ARN,
    });
    const [schedule] = await waitFor(
      'the send-point schedule',
      async () => {
        const found = await scheduler.list(`rh-${VERSION}-`);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    if (!schedule) throw new Error('no schedule');

    // Act 1: Jira refuses to read the version (400: permanent) and the point is fired now.
    jira.faults.enqueue({ status: 400 }, { route: `/rest/api/3/version/${VERSION}`, times: 1000 });
    const fired = await cli(['schedules', 'fire', schedule.name]);
    await waitFor(
      'the compose job in the compose DLQ',
      async () =>
        (await queueDepth(local.sqs, local.stack.queues.compose.dlq.url)).visible > 0 ? true : undefined,
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    const check = await cli(['status', '--check', '--json']);
    const peek = await cli(['dlq', 'peek', 'compose', '--json']);

    // Assert 1: the failure is visible to the operator, with its reason.
    expect(fired.code).toBe(0);
    expect(check.code).toBe(3);
    expect(jsonOf<{ deadLetterStages: string[] }>(check).deadLetterStages).toEqual(['compose']);
    expect(peek.code).toBe(0);
    const [dead] = jsonOf<{ messages: { reason: string; kind: string; stage: string; error: string }[] }>(
      peek,
    ).messages;
    expect(dead).toMatchObject({
      reason: 'permanent:jira_bad_request',
      kind: 'compose.job',
      stage: 'compose',
    });
    expect(dead?.error).toContain('answered 400');
    expect(
      await readOutbox(endpoint).then((emails) => emails.filter((e) => e.to.includes(RECIPIENT))),
    ).toEqual([]);

    // Act 2: the cause is fixed and the DLQ redriven with the CLI.
    jira.faults.reset();
    const redrive = await cli(['dlq', 'redrive', 'compose', '--json']);
    const email = await waitFor(
      'the email in the outbox',
      async () => (await readOutbox(endpoint)).find((e) => e.to.includes(RECIPIENT)),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const outbox = await cli(['outbox', '--to', RECIPIENT, '--json']);
    const after = await cli(['status', '--check']);

    // Assert 2: moved, composed, sent; the DLQ is empty again.
    expect(redrive.code).toBe(0);
    expect(jsonOf(redrive)).toMatchObject({ method: 'copy', seen: 1, moved: 1, failed: 0, remaining: 0 });
    expect(email.headers['x-herald-release']).toBe(VERSION);
    expect(email.subject).not.toBe('');
    expect(email.text).toContain('Olga');
    expect(outbox.code).toBe(0);
    expect(jsonOf<{ emails: { to: string[]; release: string }[] }>(outbox).emails).toEqual([
      expect.objectContaining({ to: [RECIPIENT], release: VERSION }),
    ]);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toContain('DLQ NOT EMPTY');
  }, 240_000);
});
