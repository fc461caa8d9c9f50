import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContractError } from '#contracts/errors';
import { VERSION_EVENTS } from '#contracts/jiraVersionWebhook';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import { PermanentError, RetryableError } from '#shared/errors';
import { processRecord } from '#stages/ingest/processRecord';
import { FakeQueue } from '#test/factories/FakeQueue';
import { sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';

const ENRICH = 'herald-enrich';

const webhook = (webhookEvent: string, version: Record<string, unknown> = {}) => ({
  timestamp: 1767225600000,
  webhookEvent,
  version: {
    self: 'https://jira.example.com/rest/api/3/version/10001',
    id: '10001',
    name: 'v1.0',
    description: 'First release',
    archived: false,
    released: false,
    releaseDate: '2026-02-01',
    projectId: 10000,
    ...version,
  },
});

const eventBridge = (detailType: string, detail: unknown, source = 'jira') =>
  JSON.stringify({
    version: '0',
    id: 'e0000000-0000-4000-8000-000000000001',
    'detail-type': detailType,
    source,
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

describe('Function: processRecord (ingest)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(VERSION_EVENTS)('emits release.changed to the enrich queue for %s', async (event) => {
    // Arrange
    const queue = new FakeQueue();
    const record = sqsRecord({ body: eventBridge(event, webhook(event)) });

    // Act
    await processRecord(record, recordContext(), { queue });

    // Assert
    const bodies = queue.bodies(ENRICH);
    expect(bodies).toHaveLength(1);
    const message = releaseChangedMessage.parse(bodies[0]);
    expect(message).toEqual({
      v: 1,
      kind: 'release.changed',
      key: `10001:${event}:1767225600000`,
      reschedules: 0,
      payload: {
        event,
        versionId: '10001',
        projectId: '10000',
        occurredAt: 1767225600000,
        hint: { name: 'v1.0', releaseDate: '2026-02-01', released: false, archived: false },
      },
    });
  });

  it('sends to the environment-specific queue and keeps only the hints the webhook had', async () => {
    const queue = new FakeQueue();
    const detail = {
      timestamp: 5,
      webhookEvent: 'jira:version_deleted',
      version: { id: '7', projectId: '8' },
    };

    await processRecord(sqsRecord({ body: eventBridge('jira:version_deleted', detail) }), recordContext(), {
      queue,
      env: 'dev',
    });

    expect(queue.sent.map((s) => s.queueName)).toEqual(['herald-dev-enrich']);
    expect(queue.bodies('herald-dev-enrich')[0]).toMatchObject({
      key: '7:jira:version_deleted:5',
      payload: { versionId: '7', projectId: '8', hint: {} },
    });
  });

  it('drops a non-version event without error and logs event_dropped', async () => {
    // Arrange
    const queue = new FakeQueue();
    const log = memoryLogger();
    const record = sqsRecord({
      body: eventBridge('jira:issue_updated', { webhookEvent: 'jira:issue_updated' }),
    });

    // Act
    await processRecord(record, recordContext(log.logger), { queue });

    // Assert
    expect(queue.sent).toEqual([]);
    expect(log.events('event_dropped')).toEqual([
      expect.objectContaining({ detailType: 'jira:issue_updated', reason: 'not_a_version_event' }),
    ]);
  });

  it('drops an event from another source', async () => {
    const queue = new FakeQueue();
    const log = memoryLogger();
    const body = eventBridge('jira:version_created', webhook('jira:version_created'), 'aws.ses');

    await processRecord(sqsRecord({ body }), recordContext(log.logger), { queue });

    expect(queue.sent).toEqual([]);
    expect(log.events('event_dropped')).toEqual([expect.objectContaining({ reason: 'unexpected_source' })]);
  });

  it('throws a ContractError for a body that is not JSON', async () => {
    const queue = new FakeQueue();

    const act = processRecord(sqsRecord({ body: '{"detail-type":' }), recordContext(), { queue });

    await expect(act).rejects.toBeInstanceOf(ContractError);
    expect(queue.sent).toEqual([]);
  });

  it('throws a ContractError for JSON that is not an EventBridge event', async () => {
    const queue = new FakeQueue();

    const act = processRecord(
      sqsRecord({ body: JSON.stringify(webhook('jira:version_created')) }),
      recordContext(),
      {
        queue,
      },
    );

    await expect(act).rejects.toThrow(ContractError);
    await expect(act).rejects.toMatchObject({ contract: 'eventbridge.jira_event' });
  });

  it('throws a ContractError naming the field when a version event breaks the schema', async () => {
    // Arrange
    const queue = new FakeQueue();
    const detail = webhook('jira:version_updated', { projectId: undefined, releaseDate: '01/02/2026' });
    const record = sqsRecord({ body: eventBridge('jira:version_updated', detail) });

    // Act
    const error = await processRecord(record, recordContext(), { queue }).catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(ContractError);
    const problems = (error as ContractError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version\.projectId: /),
        expect.stringMatching(/^version\.releaseDate: /),
      ]),
    );
    expect(queue.sent).toEqual([]);
  });

  it('throws a ContractError when webhookEvent and detail-type disagree', async () => {
    const queue = new FakeQueue();
    const body = eventBridge('jira:version_created', webhook('jira:version_deleted'));

    await expect(processRecord(sqsRecord({ body }), recordContext(), { queue })).rejects.toThrow(
      /webhookEvent/,
    );
    expect(queue.sent).toEqual([]);
  });

  it('rethrows a permanent queue failure without retrying', async () => {
    const queue = new FakeQueue();
    queue.failWith = new PermanentError('sqs_rejected', 'queue does not exist');
    const body = eventBridge('jira:version_created', webhook('jira:version_created'));

    await expect(processRecord(sqsRecord({ body }), recordContext(), { queue })).rejects.toBe(queue.failWith);
  });

  it('retries a throttled queue send within the call', async () => {
    // Arrange
    vi.useFakeTimers();
    const queue = new FakeQueue();
    queue.failNext.push(new RetryableError('throttled'));
    const body = eventBridge('jira:version_released', webhook('jira:version_released'));

    // Act
    const done = processRecord(sqsRecord({ body }), recordContext(), { queue });
    await vi.runAllTimersAsync();
    await done;

    // Assert
    expect(queue.calls).toBe(2);
    expect(queue.bodies(ENRICH)).toHaveLength(1);
  });
});
