import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DeleteMessageBatchCommand,
  type MessageAttributeValue,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { wrap } from '#contracts/envelope';
import { parsePointSpecs } from '#contracts/sendPolicy';
import type { BootstrapResult } from '#local/bootstrap';
import { LOCAL_SCHEDULER_ROLE_ARN } from '#local/LocalHerald';
import { deadLetterAttributes } from '#retry/heraldAttributes';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import type { StageName } from '#topology/topology';
import { drain, e2eClientConfig, queueDepth, receiveNow, uniqueEnv } from '../local/support.ts';
import { herald, jsonOf, runCommand } from './heraldCli.ts';
import { bootstrapOpsStack, cliFor, jiraCredentialsFor } from './opsStack.ts';

const env = uniqueEnv('opscli');
const config = e2eClientConfig();
const sqs = new SQSClient(config);
const schedulerClient = new SchedulerClient(config);
const JIRA = jiraCredentialsFor(env);
let stack: BootstrapResult;
let directory: DynamoDirectory;
let jira: JiraStandIn;
let openai: OpenAiStandIn;
let dir: string;

const cli = cliFor(env);

const toSqsAttributes = (attributes: Record<string, string>): Record<string, MessageAttributeValue> =>
  Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));

/** Puts a message in a stage's DLQ exactly as the retry ladder leaves one there. */
const deadLetter = async (stage: StageName, body: string, reason: string, reschedules = 3) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queues[stage].dlq.url,
      MessageBody: body,
      MessageAttributes: toSqsAttributes(
        deadLetterAttributes(
          { tenant: 'acme' },
          {
            reason,
            error: `PermanentError: ${reason}`,
            stage,
            failedAt: new Date(),
            receiveCount: 1,
            reschedules,
            sourceMessageId: `src-${Math.random()}`,
          },
        ),
      ),
    }),
  );

const envelope = (key: string, reschedules: number) =>
  JSON.stringify({ ...wrap('release.changed', key, { versionId: '10001' }), reschedules });

beforeAll(async () => {
  const opsStack = await bootstrapOpsStack(env);
  stack = opsStack.stack;
  directory = new DynamoDirectory({ client: opsStack.documents, tableName: stack.names.tables.directory });
  jira = await startJiraStandIn(JIRA);
  openai = await startOpenAiStandIn({ apiKey: 'openai-key' });
  jira.putProject({ id: '30000', key: 'OPSCLI', name: 'Ops Shop' });
  jira.putVersion({ id: '30001', projectId: '30000', name: 'Ops Shop 3.0', releaseDate: '2099-03-10' });
  jira.setIssues('30001', [
    { key: 'OPSCLI-1', summary: 'Faster checkout', issueType: 'Story' },
    { key: 'OPSCLI-2', summary: 'Invoices as PDF', issueType: 'Story' },
  ]);
  dir = await mkdtemp(join(tmpdir(), 'herald-ops-'));
});

afterAll(async () => {
  await Promise.all([
    jira?.close(),
    openai?.close(),
    dir ? rm(dir, { recursive: true, force: true }) : undefined,
  ]);
  sqs.destroy();
  schedulerClient.destroy();
});

describe('herald (CLI against the local stack)', () => {
  it('prints help and exits 0, also through the package bin (npx herald)', async () => {
    // Act
    const direct = await herald(['--help']);
    const viaBin = await runCommand('npx', ['herald', 'dlq', 'redrive', '--help']);

    // Assert
    expect(direct.code).toBe(0);
    expect(direct.stdout).toContain('Exit codes:');
    expect(viaBin.code).toBe(0);
    expect(viaBin.stdout).toContain('Usage: herald dlq redrive [options] <stage>');
  });

  it('exits 2 with a clear message for bad arguments, and changes nothing', async () => {
    // Act
    const runs = await Promise.all([
      cli(['dlq', 'peek', 'composer']),
      cli(['dlq', 'redrive', 'compose', '--max-per-second', '0']),
      cli(['clients', 'import', join(dir, 'missing.csv'), '--project', 'OPSCLI']),
      cli(['policy', 'set', 'NOPOLICY', '--tz', 'Europe/Atlantis']),
      herald(['outbox', '--env', env]),
    ]);

    // Assert
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[0]?.stderr).toContain(
      "'composer' is invalid for argument 'stage'. Allowed choices are ingest, enrich, schedule, compose, send",
    );
    expect(runs[1]?.stderr).toContain('expected a whole number of messages per second from 1 to 500');
    expect(runs[2]?.stderr).toMatch(/herald: cannot read .*missing\.csv: ENOENT/);
    expect(runs[3]?.stderr).toContain('unknown time zone "Europe/Atlantis"');
    expect(runs[4]?.stderr).toContain('herald: outbox reads the local emulator: give --endpoint');
    expect(await directory.getPolicy('NOPOLICY')).toBeNull();
  });

  it('status lists every queue; with a dead letter it marks the DLQ and --check exits 3', async () => {
    // Arrange
    const clean = await cli(['status', '--check', '--json']);
    await deadLetter('schedule', envelope('status-1', 0), 'permanent:schedule_invalid');

    // Act
    const table = await cli(['status']);
    const checked = await cli(['status', '--check', '--json']);

    // Assert
    expect(clean.code).toBe(0);
    expect(jsonOf<{ deadLetters: number; stages: unknown[] }>(clean)).toMatchObject({ deadLetters: 0 });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/dlq\s+1\s+0\s+0\s+[\dsmhd ]+DLQ NOT EMPTY/);
    expect(table.stdout).toContain('dead letters: 1 in schedule');
    expect(checked.code).toBe(3);
    expect(jsonOf<{ deadLetterStages: string[] }>(checked).deadLetterStages).toEqual(['schedule']);
    await drain(sqs, stack.queues.schedule.dlq.url);
  });

  it('status counts the ledger’s unsettled sends, an ambiguous one (SES outcome unknown) apart', async () => {
    // Arrange: one send in flight, one whose SES call ended ambiguously, one sent.
    const ledger = new DynamoLedger({
      client: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
      tableName: stack.names.tables.ledger,
      ttlSeconds: 3600,
    });
    const now = Date.now();
    await ledger.claimSend('30001:p@2099-03-10:a@example.com', { leaseSeconds: 120, now });
    await ledger.claimSend('30001:p@2099-03-10:b@example.com', { leaseSeconds: 120, now });
    await ledger.markAmbiguous('30001:p@2099-03-10:b@example.com');
    await ledger.claimSend('30001:p@2099-03-10:c@example.com', { leaseSeconds: 120, now });
    await ledger.markSent('30001:p@2099-03-10:c@example.com', 'ses-1');

    // Act
    const table = await cli(['status']);
    const json = await cli(['status', '--json']);

    // Assert
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('sends not settled: 1 claimed, 1 ambiguous');
    expect(jsonOf<{ sends: unknown }>(json).sends).toEqual({ claimed: 1, ambiguous: 1 });
  });

  it('dlq peek shows the reason attributes and leaves the messages in the DLQ', async () => {
    // Arrange
    await deadLetter('send', envelope('peek-1', 1), 'permanent:ses_rejected');
    await deadLetter('send', envelope('peek-2', 2), 'retries_exhausted');

    // Act
    const text = await cli(['dlq', 'peek', 'send']);
    const json = await cli(['dlq', 'peek', 'send', '--json', '--limit', '1']);

    // Assert
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`herald-${env}-send-dlq: 2 message(s), showing 2`);
    expect(text.stdout).toMatch(/permanent:ses_rejected\s+release\.changed\s+peek-1/);
    expect(text.stdout).toMatch(/retries_exhausted\s+release\.changed\s+peek-2/);
    const peek = jsonOf<{
      messages: { reason: string; stage: string; attributes: Record<string, string> }[];
    }>(json);
    expect(peek.messages).toHaveLength(1);
    expect(peek.messages[0]).toMatchObject({ stage: 'send', attributes: { tenant: 'acme' } });
    expect((await queueDepth(sqs, stack.queues.send.dlq.url)).visible).toBe(2);
    await drain(sqs, stack.queues.send.dlq.url);
  });

  it('dlq redrive moves dead letters back to the stage queue with a fresh ladder (copy: moto has no move task)', async () => {
    // Arrange
    await deadLetter('enrich', envelope('redrive-1', 3), 'permanent:jira_bad_request');
    await deadLetter('enrich', envelope('redrive-2', 1), 'permanent:jira_bad_request');
    await deadLetter('enrich', envelope('redrive-3', 0), 'retries_exhausted');

    // Act
    const dry = await cli(['dlq', 'redrive', 'enrich', '--dry-run', '--json']);
    const afterDry = await queueDepth(sqs, stack.queues.enrich.dlq.url);
    const redrive = await cli(['dlq', 'redrive', 'enrich']);

    // Assert
    expect(dry.code).toBe(0);
    expect(jsonOf(dry)).toMatchObject({
      method: 'dry-run',
      seen: 3,
      moved: 0,
      byReason: { 'permanent:jira_bad_request': 2, retries_exhausted: 1 },
    });
    expect(afterDry.visible).toBe(3);
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain(
      `redrive herald-${env}-enrich-dlq → herald-${env}-enrich (copy: receive → send → delete, because the endpoint does not support StartMessageMoveTask)`,
    );
    expect(redrive.stdout).toContain('seen 3, moved 3, failed 0 (moved + failed = seen)');
    expect(redrive.stdout).toContain('reschedule counters reset: 2');
    expect(redrive.stdout).toContain('remaining in the DLQ: 0');
    const moved = await receiveNow(sqs, stack.queues.enrich.main.url);
    expect(moved.map((m) => JSON.parse(m.Body ?? '').key).sort()).toEqual([
      'redrive-1',
      'redrive-2',
      'redrive-3',
    ]);
    expect(moved.map((m) => JSON.parse(m.Body ?? '').reschedules)).toEqual([0, 0, 0]);
    expect(moved.map((m) => Object.keys(m.MessageAttributes ?? {}))).toEqual([
      ['tenant'],
      ['tenant'],
      ['tenant'],
    ]);
    // Delete what was received: a drain now would find them in flight and leave them to come
    // back after their visibility timeout, into a later test's reads of the enrich queue.
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.queues.enrich.main.url,
        Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  });

  it('dlq purge refuses off a terminal without --yes; with --yes it removes and lists every message', async () => {
    // Arrange
    await deadLetter(
      'ingest',
      '{"source":"jira","detail":"not a webhook"}',
      'contract:eventbridge.jira_event',
    );
    await deadLetter('ingest', '{"source":"jira","detail":"also not"}', 'contract:eventbridge.jira_event');

    // Act
    const refused = await cli(['dlq', 'purge', 'ingest']);
    const depthAfterRefusal = await queueDepth(sqs, stack.queues.ingest.dlq.url);
    const purged = await cli(['dlq', 'purge', 'ingest', '--yes', '--json']);
    const again = await cli(['dlq', 'purge', 'ingest', '--yes']);

    // Assert
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Delete 2 message(s) from herald-${env}-ingest-dlq?`);
    expect(refused.stderr).toContain('pass --yes to confirm');
    expect(depthAfterRefusal.visible).toBe(2);
    expect(purged.code).toBe(0);
    const result = jsonOf<{ removed: number; messages: { reason: string; kind?: string; body: unknown }[] }>(
      purged,
    );
    expect(result.removed).toBe(2);
    expect(result.messages.map((m) => m.reason)).toEqual([
      'contract:eventbridge.jira_event',
      'contract:eventbridge.jira_event',
    ]);
    expect(result.messages.map((m) => m.kind)).toEqual([undefined, undefined]);
    expect(await queueDepth(sqs, stack.queues.ingest.dlq.url)).toEqual({
      visible: 0,
      inFlight: 0,
      delayed: 0,
    });
    expect(again.stdout).toContain('is empty; nothing removed');
  });

  it('clients import keeps the good rows and reports the bad ones by line, exiting 3', async () => {
    // Arrange
    const file = join(dir, 'contacts.csv');
    await writeFile(
      file,
      [
        'email,name,locale,timeZone',
        'ada@example.com,Ada,en,Europe/London',
        'this is not an address,Nobody,en,UTC',
        '"grace@example.org","Hopper, Grace",en,America/New_York',
        'linus@example.net,Linus,de,Mars/Olympus',
        '',
      ].join('\n'),
    );

    // Act
    const imported = await cli(['clients', 'import', file, '--project', 'opscli']);
    const listed = await cli(['clients', 'list', '--project', 'OPSCLI', '--json']);

    // Assert
    expect(imported.code).toBe(3);
    expect(imported.stdout).toContain(`imported 2 of 4 row(s) from ${file}`);
    expect(imported.stdout).toContain('line 3: email: not an email address');
    expect(imported.stdout).toContain('line 5: timeZone: unknown time zone "Mars/Olympus"');
    expect(listed.code).toBe(0);
    expect(jsonOf<{ contacts: { email: string; name?: string }[] }>(listed).contacts).toEqual([
      expect.objectContaining({ email: 'ada@example.com', name: 'Ada', timeZone: 'Europe/London' }),
      expect.objectContaining({ email: 'grace@example.org', name: 'Hopper, Grace' }),
    ]);
  });

  it('clients add, optout and remove, and policy set and show, change the directory', async () => {
    // Act
    const added = await cli([
      'clients',
      'add',
      'OPSCLI',
      'Eve@Example.net',
      '--name',
      'Eve',
      '--locale',
      'de',
      '--tz',
      'Europe/Berlin',
    ]);
    const optedOut = await cli(['clients', 'optout', 'eve@example.net']);
    const listed = await cli(['clients', 'list', '--project', 'OPSCLI']);
    const removed = await cli(['clients', 'remove', 'OPSCLI', 'eve@example.net']);
    const removedAgain = await cli(['clients', 'remove', 'OPSCLI', 'eve@example.net']);
    const set = await cli([
      'policy',
      'set',
      'OPSCLI',
      '--points',
      '-7d@09:00,-1d@09:00,0d@09:00',
      '--tz',
      'Europe/Berlin',
    ]);
    const presented = await cli([
      'policy',
      'set',
      'OPSCLI',
      '--references',
      'links',
      '--link-template',
      'https://status.example.com/changes/{key}',
      '--from-name',
      'Öps Shop updates',
      '--reply-to',
      'accounts@example.com',
      '--footer',
      'Ops Shop Ltd · 1 Main Street',
    ]);
    const refused = await cli(['policy', 'set', 'OPSCLI', '--link-template', 'http://x.example.com/{key}']);
    const shown = await cli(['policy', 'show', 'OPSCLI', '--json']);

    // Assert
    expect([added, optedOut, listed, removed, set, shown].map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(added.stdout).toBe('added eve@example.net in OPSCLI\n');
    expect(listed.stdout).toMatch(/OPSCLI\s+eve@example\.net\s+Eve\s+de\s+Europe\/Berlin\s+yes \(global\)/);
    expect(removedAgain.code).toBe(1);
    expect(removedAgain.stderr).toBe('herald: OPSCLI has no contact eve@example.net\n');
    expect(jsonOf(shown)).toMatchObject({
      isDefault: false,
      points: ['-7d@09:00', '-1d@09:00', '0d@09:00'],
      policy: {
        timeZone: 'Europe/Berlin',
        references: 'links',
        linkTemplate: 'https://status.example.com/changes/{key}',
        sender: {
          fromName: 'Öps Shop updates',
          replyTo: 'accounts@example.com',
          footer: 'Ops Shop Ltd · 1 Main Street',
        },
      },
    });
    expect(presented.code).toBe(0);
    expect(presented.stdout).toContain('from name         Öps Shop updates');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('must be https');
  });

  it('schedules list filters by project and release, fire sends a point now, cancel drops a release', async () => {
    // Arrange
    const port = new EventBridgeScheduler({
      client: schedulerClient,
      groupName: stack.names.scheduleGroup,
      roleArn: LOCAL_SCHEDULER_ROLE_ARN,
    });
    const job = (versionId: string, projectKey: string, pointId: string) =>
      JSON.stringify(
        wrap('compose.job', `${versionId}:${pointId}`, {
          versionId,
          projectKey,
          pointId,
          pointKind: 'before',
          releaseDate: '2099-03-10',
          timeZone: 'UTC',
          dueAt: '2099-03-09T09:00:00.000Z',
          chunk: { index: 0, count: 1 },
          recipients: [{ email: 'ada@example.com', locale: 'en' }],
        }),
      );
    const schedule = (versionId: string, projectKey: string, pointId: string, at: string) => ({
      name: `rh-${versionId}-${pointId}-00000000-0`,
      at,
      timeZone: 'UTC',
      targetArn: stack.queues.compose.main.arn,
      input: job(versionId, projectKey, pointId),
    });
    await port.create(schedule('30001', 'OPSCLI', 'b1d0h0m0900', '2099-03-09T09:00:00'));
    await port.create(schedule('30001', 'OPSCLI', 'a0d0h0m0900', '2099-03-10T09:00:00'));
    await port.create(schedule('40001', 'OTHER', 'b7d0h0m0900', '2099-03-03T09:00:00'));
    const fired = schedule('30001', 'OPSCLI', 'b1d0h0m0900', '2099-03-09T09:00:00');

    // Act
    const all = await cli(['schedules', 'list']);
    const byProject = await cli(['schedules', 'list', '--project', 'OPSCLI', '--json']);
    const fire = await cli(['schedules', 'fire', fired.name]);
    const fireAgain = await cli(['schedules', 'fire', fired.name]);
    const cancel = await cli(['schedules', 'cancel', '--release', '30001', '--json']);
    const left = await cli(['schedules', 'list', '--json']);

    // Assert
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(
      /rh-40001-b7d0h0m0900-00000000-0\s+2099-03-03T09:00Z\s+2099-03-03T09:00:00\s+UTC\s+OTHER\s+40001\s+-7d@09:00\s+1\/1\s+1/,
    );
    expect(all.stdout).toContain('3 schedule(s)');
    expect(jsonOf<{ schedules: { name: string }[] }>(byProject).schedules.map((s) => s.name)).toEqual([
      'rh-30001-b1d0h0m0900-00000000-0',
      'rh-30001-a0d0h0m0900-00000000-0',
    ]);
    expect(fire.code).toBe(0);
    expect(fire.stdout).toContain(`fired ${fired.name} → herald-${env}-compose`);
    expect(await drain(sqs, stack.queues.compose.main.url)).toEqual([fired.input]);
    expect(fireAgain.code).toBe(1);
    expect(fireAgain.stderr).toContain(
      `herald: schedule ${fired.name} not found in group herald-${env}-schedules`,
    );
    expect(jsonOf(cancel)).toEqual({ release: '30001', deleted: ['rh-30001-a0d0h0m0900-00000000-0'] });
    expect(jsonOf<{ schedules: { name: string }[] }>(left).schedules.map((s) => s.name)).toEqual([
      'rh-40001-b7d0h0m0900-00000000-0',
    ]);
  });

  it('replay reads the version from Jira (token from Secrets Manager) and queues a release.changed for enrich', async () => {
    // Arrange
    const jiraEnv = { JIRA_SITE_URL: jira.url, JIRA_EMAIL: JIRA.email };

    // Act
    const replay = await cli(['replay', '30001', '--json'], jiraEnv);
    const missing = await cli(['replay', '39999'], jiraEnv);
    const unconfigured = await cli(['replay', '30001']);

    // Assert
    expect(replay.code).toBe(0);
    expect(jsonOf(replay)).toMatchObject({
      versionId: '30001',
      projectId: '30000',
      queue: `herald-${env}-enrich`,
    });
    const [body] = await drain(sqs, stack.queues.enrich.main.url);
    expect(JSON.parse(body ?? '')).toMatchObject({
      kind: 'release.changed',
      reschedules: 0,
      payload: {
        event: 'jira:version_updated',
        versionId: '30001',
        projectId: '30000',
        hint: { releaseDate: '2099-03-10' },
      },
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('version 39999 not found in Jira');
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toContain('set JIRA_SITE_URL and JIRA_EMAIL');
  });

  it('preview composes a point without sending: the template, or the LLM when a key is given', async () => {
    // Arrange
    await directory.putPolicy('OPSCLI', {
      points: parsePointSpecs('-7d@09:00,-1d@09:00'),
      onRelease: false,
      timeZone: 'Europe/Berlin',
      defaultLocale: 'en',
    });
    const html = join(dir, 'email.html');
    const jiraEnv = { JIRA_SITE_URL: jira.url, JIRA_EMAIL: JIRA.email };
    const before = openai.calls.count;

    // Act
    const template = await cli(['preview', '30001', '--point', '-1d@09:00', '--out', html], jiraEnv);
    const llm = await cli(['preview', '30001', '--locale', 'de', '--json'], {
      ...jiraEnv,
      OPENAI_API_KEY: 'openai-key',
      OPENAI_BASE_URL: openai.url,
    });

    // Assert
    expect(template.code).toBe(0);
    expect(template.stdout).toMatch(/release\s+OPSCLI "Ops Shop 3\.0" \(version 30001, 2099-03-10\)/);
    expect(template.stdout).toMatch(/written by\s+template/);
    expect(template.stdout).toContain(`HTML written to ${html}`);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('Faster checkout');
    expect(page).not.toContain('{{');
    expect(llm.code).toBe(0);
    expect(jsonOf(llm)).toMatchObject({
      source: 'llm',
      locale: 'de',
      point: '-7d@09:00',
      projectKey: 'OPSCLI',
    });
    expect(openai.calls.count).toBe(before + 1);
    expect((await queueDepth(sqs, stack.queues.send.main.url)).visible).toBe(0);
  });
});
