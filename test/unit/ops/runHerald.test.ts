import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '#ops/cli/exitCodes';
import { runCli } from './cliHarness.ts';
import { deadLetter, depth } from './sqsFixtures.ts';

const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
const documents = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2030-01-01T00:10:00.000Z');

const urlOf = (name: string) => `http://127.0.0.1:5000/123456789012/${name}`;

/** Every queue of env `t` exists and is empty, except what `counts` says (by queue name). */
const queues = (counts: Record<string, ReturnType<typeof depth>> = {}) => {
  sqs
    .on(GetQueueUrlCommand)
    .callsFake((input: { QueueName: string }) => ({ QueueUrl: urlOf(input.QueueName) }));
  sqs.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string; AttributeNames: string[] }) => {
    const name = input.QueueUrl.split('/').at(-1) ?? '';
    if (input.AttributeNames.includes('QueueArn'))
      return { Attributes: { QueueArn: `arn:aws:sqs:us-east-1:123456789012:${name}` } };
    return counts[name] ?? depth(0);
  });
};

describe('Function: runHerald', () => {
  beforeEach(() => {
    scheduler.on(ListSchedulesCommand).resolves({
      Schedules: [
        { Name: 'rh-10001-b1d0h0m0900-abc-0' },
        { Name: 'rh-10001-a0d0h0m0900-abc-0' },
        { Name: 'rr-x' },
      ],
    });
    // No region switch recorded: `status` reports the primary as active.
    documents.on(GetCommand).resolves({});
    // No late or missed point recorded.
    documents.on(ScanCommand).resolves({ Items: [] });
  });

  afterEach(() => {
    sqs.reset();
    scheduler.reset();
    documents.reset();
  });

  describe('usage', () => {
    it('prints help with the exit codes and exits 0', async () => {
      // Act
      const run = await runCli(['--help']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.ok);
      expect(run.stdout).toContain('Usage: herald');
      expect(run.stdout).toContain('Exit codes:');
      expect(run.stdout).toContain('3  done, but needs attention');
    });

    it('lists the contacts command with its old name as an alias, and opens the same help under both', async () => {
      // Act
      const run = await runCli(['--help']);
      const contacts = await runCli(['contacts', '--help']);
      const clients = await runCli(['clients', '--help']);

      // Assert
      expect(run.stdout).toContain('contacts|clients');
      expect(contacts.code).toBe(EXIT_CODES.ok);
      expect(contacts.stdout).toContain('Usage: herald contacts|clients');
      expect(clients.stdout).toBe(contacts.stdout);
    });

    it('prints the version and exits 0', async () => {
      // Act
      const run = await runCli(['--version']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.ok);
      expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });

    it.each([
      [['nope'], "unknown command 'nope'"],
      [['status', '--bogus'], "unknown option '--bogus'"],
      [['dlq', 'peek'], "missing required argument 'stage'"],
      [['dlq', 'peek', 'composer'], 'Allowed choices are ingest, enrich, schedule, compose, send'],
      [['dlq', 'peek', 'compose', '--limit', '0'], 'expected a whole number of messages from 1 to 1000'],
      [['dlq', 'redrive', 'send', '--method', 'teleport'], 'Allowed choices are auto, move-task, copy'],
      [['--env', 'Prod', 'status'], 'expected 0-20 characters of a-z, 0-9 and -'],
      [['schedules', 'cancel'], "required option '--release <versionId>' not specified"],
      [['clients', 'add', 'shop', 'not-an-email'], 'expected an email address'],
      [['contacts', 'add', 'shop', 'not-an-email'], 'expected an email address'],
      [['dlq'], 'Usage: herald dlq'],
    ])('exits 2 with a clear message for %j', async (args, message) => {
      // Act
      const run = await runCli(args);

      // Assert
      expect(run.code).toBe(EXIT_CODES.usage);
      expect(run.stderr).toContain(message);
      expect(sqs.calls()).toHaveLength(0);
    });

    it('exits 2 for a bad --region or --endpoint before any AWS call', async () => {
      // Act
      const region = await runCli(['status', '--region', 'Frankfurt']);
      const endpoint = await runCli(['status', '--endpoint', 'ftp://127.0.0.1']);

      // Assert
      expect(region).toMatchObject({ code: EXIT_CODES.usage });
      expect(region.stderr).toContain('herald: region "Frankfurt" is not an AWS region name');
      expect(endpoint.code).toBe(EXIT_CODES.usage);
      expect(sqs.calls()).toHaveLength(0);
    });

    it('exits 2 for a bad environment variable, naming it', async () => {
      // Act
      const run = await runCli(['status'], { env: { HERALD_ENV: 'NOT VALID' } });

      // Assert
      expect(run.code).toBe(EXIT_CODES.usage);
      expect(run.stderr).toContain('HERALD_ENV');
    });
  });

  describe('status', () => {
    beforeEach(() => {
      documents
        .on(ScanCommand)
        .resolvesOnce({
          Items: [{ status: 'ambiguous' }, { status: 'claimed' }],
          LastEvaluatedKey: { pk: 'send#x' },
        })
        .resolves({ Items: [{ status: 'ambiguous' }] });
    });

    it('prints every queue of the environment and the pending schedules, and exits 0', async () => {
      // Arrange
      queues({ 'herald-t-send': depth(4, 2, 1) });

      // Act
      const run = await runCli(['status', '--env', 't'], { now: () => NOW });

      // Assert
      expect(run.code).toBe(EXIT_CODES.ok);
      expect(run.stdout).toMatch(/send\s+main\s+4\s+2\s+1\s+-/);
      expect(run.stdout).toContain(
        'schedules (herald-t-schedules): 2 send point(s), 1 reschedule(s) pending',
      );
      expect(run.stdout).not.toContain('DLQ NOT EMPTY');
      expect(run.stdout).toContain('sends not settled: 1 claimed, 2 ambiguous');
      expect(documents).toReceiveCommandWith(ScanCommand, {
        TableName: 'herald-t-ledger',
        FilterExpression: 'begins_with(pk, :send) AND (#status = :claimed OR #status = :ambiguous)',
      });
      expect(run.stdout).toContain('active region: the primary (no switch recorded');
      expect(sqs).toReceiveCommandWith(GetQueueUrlCommand, { QueueName: 'herald-t-compose-dlq' });
      expect(scheduler).toReceiveCommandWith(ListSchedulesCommand, { GroupName: 'herald-t-schedules' });
    });

    it('shows the active region recorded in the ledger, in text and JSON', async () => {
      // Arrange
      queues();
      documents.on(GetCommand).resolves({
        Item: {
          pk: 'deployment#active-region',
          region: 'us-west-2',
          previous: 'us-east-1',
          activeFrom: NOW.getTime() + 60_000,
          previousUntil: NOW.getTime(),
          activatedAt: '2030-01-01T00:05:00.000Z',
          epoch: 2,
        },
      });

      // Act
      const text = await runCli(['status', '--env', 't'], { now: () => NOW });
      const json = await runCli(['status', '--env', 't', '--json'], { now: () => NOW });

      // Assert
      expect(text.stdout).toContain(
        'active region: switching to us-west-2 at 2030-01-01T00:11:00.000Z; us-east-1 claims until 2030-01-01T00:10:00.000Z',
      );
      expect(JSON.parse(json.stdout).activeRegion).toMatchObject({
        state: 'switching',
        region: 'us-west-2',
        epoch: 2,
      });
      expect(documents).toReceiveCommandWith(GetCommand, {
        TableName: 'herald-t-ledger',
        ConsistentRead: true,
      });
    });

    it('shows the late and missed points and emails of the ledger, counts and newest first, without addresses', async () => {
      // Arrange
      queues();
      const row = (pk: string, status: string, reason: string, at: string) => ({
        pk,
        status,
        reason,
        versionId: '10001',
        pointId: 'b1d0h0m0900',
        releaseDate: '2030-01-02',
        at,
      });
      documents.on(ScanCommand).resolves({
        Items: [
          row('point#10001:b1d0h0m0900@2030-01-02:UTC', 'caught_up', 'catch_up', '2030-01-01T00:01:00.000Z'),
          row(
            'point#10001:b7d0h0m0900@2030-01-02:UTC',
            'missed',
            'past_deadline',
            '2030-01-01T00:02:00.000Z',
          ),
          row(
            'send#10001:b1d0h0m0900@2030-01-02:ada@example.com',
            'missed',
            'past_deadline',
            '2030-01-01T00:03:00.000Z',
          ),
          row(
            'send#10001:b1d0h0m0900@2030-01-02:bob@example.com',
            'skipped_release_changed',
            'release_deleted',
            '2030-01-01T00:04:00.000Z',
          ),
        ],
      });

      // Act
      const text = await runCli(['status', '--env', 't'], { now: () => NOW });
      const json = await runCli(['status', '--env', 't', '--json'], { now: () => NOW });

      // Assert
      expect(text.stdout).toContain(
        'late points: 1 missed, 1 caught up; emails not sent: 1 missed, 1 skipped (release changed)',
      );
      expect(text.stdout).toContain(
        '2030-01-01T00:04:00.000Z email skipped_release_changed (release_deleted): version 10001 point b1d0h0m0900@2030-01-02',
      );
      expect(text.stdout).not.toContain('example.com');
      const outcomes = JSON.parse(json.stdout).outcomes;
      expect(outcomes.points).toEqual({ missed: 1, caughtUp: 1 });
      expect(outcomes.emails).toEqual({ missed: 1, skippedReleaseChanged: 1 });
      expect(outcomes.recent.map((o: { status: string }) => o.status)).toEqual([
        'skipped_release_changed',
        'missed',
        'missed',
        'caught_up',
      ]);
      expect(documents).toReceiveCommandWith(ScanCommand, { TableName: 'herald-t-ledger' });
    });

    it('marks a DLQ that is not empty with the age of its oldest message, and --check exits 3', async () => {
      // Arrange
      queues({ 'herald-t-compose-dlq': depth(1) });
      sqs.on(ReceiveMessageCommand).resolves({
        Messages: [{ ...deadLetter(1), Attributes: { SentTimestamp: String(NOW.getTime() - 125_000) } }],
      });

      // Act
      const plain = await runCli(['status', '--env', 't'], { now: () => NOW });
      const check = await runCli(['status', '--env', 't', '--check', '--json'], { now: () => NOW });

      // Assert
      expect(plain.code).toBe(EXIT_CODES.ok);
      expect(plain.stdout).toMatch(/dlq\s+1\s+0\s+0\s+2m 5s\s+DLQ NOT EMPTY/);
      expect(plain.stdout).toContain('dead letters: 1 in compose');
      expect(check.code).toBe(EXIT_CODES.attention);
      const report = JSON.parse(check.stdout);
      expect(report.deadLetterStages).toEqual(['compose']);
      expect(report.stages.find((s: { stage: string }) => s.stage === 'compose').queues.dlq).toMatchObject({
        visible: 1,
        oldestAgeSeconds: 125,
        oldestAgeSampled: false,
      });
      // The sample stays visible: received with visibility 0.
      expect(sqs).toReceiveCommandWith(ReceiveMessageCommand, { VisibilityTimeout: 0 });
    });

    it('shows the rule and feedback DLQs where they exist and counts them for --check', async () => {
      // Arrange: the rule DLQ holds an event; the feedback DLQ does not exist (as on the local stack).
      queues({ 'herald-t-jira-version-events-dlq': depth(2) });
      sqs
        .on(GetQueueUrlCommand, { QueueName: 'herald-t-feedback-dlq' })
        .rejects(new QueueDoesNotExist({ message: 'no such queue', $metadata: {} }));
      sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });

      // Act
      const run = await runCli(['status', '--env', 't', '--check'], { now: () => NOW });

      // Assert
      expect(run.code).toBe(EXIT_CODES.attention);
      expect(run.stdout).toMatch(/rule\s+dlq\s+2\s+0\s+0\s+-\s+DLQ NOT EMPTY/);
      expect(run.stdout).not.toMatch(/feedback/);
      expect(run.stdout).not.toContain('missing queues');
      expect(run.stdout).toContain('dead letters: 2 in herald-t-jira-version-events-dlq');
    });

    it('exits 1 naming the environment when none of its queues exist', async () => {
      // Arrange
      sqs.on(GetQueueUrlCommand).rejects(new QueueDoesNotExist({ message: 'no such queue', $metadata: {} }));

      // Act
      const run = await runCli(['status', '--env', 'ghost']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.stderr).toContain('herald: no queues of environment "ghost" exist here');
    });

    it('exits 1 with the SDK’s message when AWS fails', async () => {
      // Arrange
      sqs
        .on(GetQueueUrlCommand)
        .rejects(
          Object.assign(new Error('The security token is invalid.'), { name: 'InvalidClientTokenId' }),
        );

      // Act
      const run = await runCli(['status']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.stderr).toBe('herald: The security token is invalid.\n');
    });
  });

  describe('dlq purge', () => {
    it('exits 2 off a terminal without --yes, removing nothing', async () => {
      // Arrange
      queues({ 'herald-t-ingest-dlq': depth(2) });

      // Act
      const run = await runCli(['dlq', 'purge', 'ingest', '--env', 't']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.usage);
      expect(run.stderr).toContain('pass --yes to confirm');
      expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
    });

    it('exits 1 when the prompt is declined, removing nothing', async () => {
      // Arrange
      queues({ 'herald-t-ingest-dlq': depth(2) });

      // Act
      const run = await runCli(['dlq', 'purge', 'ingest', '--env', 't'], { answer: 'n' });

      // Assert
      expect(run.code).toBe(EXIT_CODES.failed);
      expect(run.stderr).toContain('Delete 2 message(s) from herald-t-ingest-dlq?');
      expect(run.stderr).toContain('herald: purge declined; nothing was removed');
      expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
    });

    it('purges after a yes at the prompt and prints what it removed', async () => {
      // Arrange
      queues({ 'herald-t-ingest-dlq': depth(1) });
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [deadLetter(7)] })
        .resolves({ Messages: [] });
      sqs.on(DeleteMessageBatchCommand).resolves({});

      // Act
      const run = await runCli(['dlq', 'purge', 'ingest', '--env', 't'], { answer: 'yes' });

      // Assert
      expect(run.code).toBe(EXIT_CODES.ok);
      expect(run.stdout).toContain('removed 1 message(s) from herald-t-ingest-dlq');
      expect(run.stdout).toMatch(/1\s+\S+\s+permanent:jira_bad_request\s+compose\.job\s+job-7/);
    });
  });

  describe('dlq peek', () => {
    it('prints the reason of each message, masking addresses, and consumes nothing', async () => {
      // Arrange
      queues({ 'herald-t-send-dlq': depth(1) });
      const message = deadLetter(1);
      message.Body = JSON.stringify({
        v: 1,
        kind: 'send.job',
        key: '10001:b1d0h0m0900@2030-01-02:ada@example.com',
        payload: {},
      });
      sqs
        .on(ReceiveMessageCommand)
        .resolvesOnce({ Messages: [message] })
        .resolves({ Messages: [] });
      sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});

      // Act
      const run = await runCli(['dlq', 'peek', 'send', '--env', 't']);

      // Assert
      expect(run.code).toBe(EXIT_CODES.ok);
      expect(run.stdout).toContain('herald-t-send-dlq: 1 message(s), showing 1');
      expect(run.stdout).toContain('permanent:jira_bad_request');
      expect(run.stdout).toContain('10001:b1d0h0m0900@2030-01-02:a***@e***.com');
      expect(run.stdout).not.toContain('ada@example.com');
      expect(sqs).not.toReceiveCommand(DeleteMessageBatchCommand);
    });
  });
});
