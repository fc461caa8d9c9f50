import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveRegion } from '#contracts/activeRegion';
import { HANDOVER_GUARD_SECONDS } from '#shared/regionRole';
import { runCli } from './cliHarness.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-03-01T10:00:00.000Z');
const T = NOW.getTime();
const now = () => NOW;
const LEDGER = 'herald-prod-ledger';

/** A switch to the west recorded an hour ago. */
const west: ActiveRegion = {
  region: 'us-west-2',
  activeFrom: T - 3_600_000,
  previousUntil: T - 3_660_000,
  activatedAt: '2026-03-01T08:55:00.000Z',
  epoch: 1,
};

const stored = (record: ActiveRegion | null) =>
  ddb.on(GetCommand).resolves(record ? { Item: { pk: 'deployment#active-region', ...record } } : {});

beforeEach(() => {
  ddb.on(PutCommand).resolves({});
});

afterEach(() => {
  ddb.reset();
});

const activate = (...args: string[]) =>
  runCli(['region', 'activate', ...args, '--env', 'prod', '--region', 'us-west-2', '--yes', '--json'], {
    now,
  });

describe('Function: herald region activate', () => {
  it('records the first switch: the new region after the drain, the primary until the guard before it', async () => {
    // Arrange
    stored(null);

    // Act
    const run = await activate('us-west-2');

    // Assert
    expect(run.code).toBe(0);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: LEDGER,
      Item: {
        pk: 'deployment#active-region',
        region: 'us-west-2',
        activeFrom: T + (HANDOVER_GUARD_SECONDS + 240) * 1000,
        previousUntil: T + 240_000,
        activatedAt: NOW.toISOString(),
        epoch: 1,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: true,
      before: { state: 'home', epoch: 0 },
      after: { state: 'switching', region: 'us-west-2', previousUntil: '2026-03-01T10:04:00.000Z' },
      writtenIn: 'us-west-2',
    });
  });

  it('fails back naming the previous region, over the epoch it read', async () => {
    // Arrange
    stored(west);

    // Act
    const run = await activate('us-east-1', '--drain', '120');

    // Assert
    expect(run.code).toBe(0);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: {
        pk: 'deployment#active-region',
        region: 'us-east-1',
        previous: 'us-west-2',
        activeFrom: T + 120_000,
        previousUntil: T + 120_000 - HANDOVER_GUARD_SECONDS * 1000,
        activatedAt: NOW.toISOString(),
        epoch: 2,
      },
      ConditionExpression: 'epoch = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
    });
  });

  it('refuses a drain shorter than the handover guard without --force and writes nothing', async () => {
    // Arrange
    stored(west);

    // Act
    const run = await activate('us-east-1', '--drain', String(HANDOVER_GUARD_SECONDS - 1));

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`shorter than the ${HANDOVER_GUARD_SECONDS} s handover guard`);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('with --force and no drain (the other region is down) starts now and stops the previous region now', async () => {
    // Arrange
    stored(west);

    // Act
    const run = await activate('us-east-1', '--drain', '0', '--force');

    // Assert
    expect(run.code).toBe(0);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ region: 'us-east-1', activeFrom: T, previousUntil: T, epoch: 2 }),
    });
  });

  it('changes nothing when the region is already the recorded one', async () => {
    // Arrange
    stored(west);

    // Act
    const run = await activate('us-west-2');

    // Assert
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      changed: false,
      after: { state: 'active', region: 'us-west-2' },
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses to start a switch while another is in progress, unless --force', async () => {
    // Arrange
    stored({ ...west, activeFrom: T + 60_000, previousUntil: T });

    // Act
    const refused = await activate('us-east-1');
    const forced = await activate('us-east-1', '--force');

    // Assert
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a switch to us-west-2 is in progress until 2026-03-01T10:01:00.000Z');
    expect(forced.code).toBe(0);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it.each([
    ['still draining', T + 30_000, 'us-east-1'],
    ['stopped, the new one not started yet', T - 1, 'us-west-2'],
  ])(
    'forced over a switch in progress (previous region %s), stops at once the region that could be claiming',
    async (_case, previousUntil, claiming) => {
      // Arrange: a switch east → west, west starting in 60 s
      stored({ ...west, previous: 'us-east-1', activeFrom: T + 60_000, previousUntil });

      // Act
      const run = await activate('eu-west-1', '--force');

      // Assert
      expect(run.code).toBe(0);
      expect(ddb).toHaveReceivedCommandWith(PutCommand, {
        Item: expect.objectContaining({
          region: 'eu-west-1',
          previous: claiming,
          previousUntil: T,
          epoch: 2,
        }),
      });
    },
  );

  it('fails (exit 1) when another switch was recorded between its read and its write', async () => {
    // Arrange
    stored(west);
    ddb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    // Act
    const run = await activate('us-east-1');

    // Assert
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the active region changed while switching (expected epoch 1)');
  });

  it('asks first, and writes nothing when declined', async () => {
    // Arrange
    stored(west);

    // Act
    const declined = await runCli(['region', 'activate', 'us-east-1', '--env', 'prod'], { now, answer: 'n' });
    const offTerminal = await runCli(['region', 'activate', 'us-east-1', '--env', 'prod'], { now });

    // Assert
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('switch declined; nothing was written');
    expect(offTerminal.code).toBe(2);
    expect(offTerminal.stderr).toContain('pass --yes');
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it.each([['mars'], ['US-EAST-1']])('refuses the region name %s (exit 2)', async (name) => {
    // Act
    const run = await activate(name);

    // Assert
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected an AWS region such as eu-west-1');
  });

  it('explains the drain, the guard and the failure modes in --help', async () => {
    // Act
    const run = await runCli(['region', 'activate', '--help']);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `--drain <seconds>  seconds until it starts (the previous region stops ${HANDOVER_GUARD_SECONDS} s`,
    );
    expect(run.stdout).toContain('region_passive');
    expect(run.stdout).toContain('compose_skipped_region_passive');
  });
});

describe('Function: herald region show', () => {
  it('reports the recorded region as text and as JSON', async () => {
    // Arrange
    stored(west);

    // Act
    const text = await runCli(['region', 'show', '--env', 'prod'], { now });
    const json = await runCli(['region', 'show', '--env', 'prod', '--json'], { now });

    // Assert
    expect(text.stdout.trim()).toBe('active region: us-west-2 since 2026-03-01T09:00:00.000Z (switch 1)');
    expect(JSON.parse(json.stdout)).toEqual({
      state: 'active',
      region: 'us-west-2',
      activeFrom: '2026-03-01T09:00:00.000Z',
      previousUntil: '2026-03-01T08:59:00.000Z',
      activatedAt: '2026-03-01T08:55:00.000Z',
      epoch: 1,
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: LEDGER, ConsistentRead: true });
  });

  it('says the primary is active when no switch was recorded', async () => {
    // Arrange
    stored(null);

    // Act
    const run = await runCli(['region', 'show'], { now });

    // Assert
    expect(run.stdout).toContain('active region: the primary (no switch recorded');
  });
});
