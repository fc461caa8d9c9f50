import { describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import { PermanentError } from '#shared/errors';
import {
  formatUtcAt,
  NO_ERROR_RECORDED,
  processRecord,
  rescheduleScheduleName,
} from '#stages/rescheduler/processRecord';
import { FakeScheduler } from '#test/factories/FakeScheduler';
import { sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { RecordingQueue } from '#test/factories/RecordingQueue';
import { topology } from '#topology/topology';

const NOW = new Date('2030-01-02T03:04:05.678Z');
const SOURCE = 'herald-enrich-reschedule';

const envelopeBody = (reschedules: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ ...wrap('compose.job', 'rel-1:point-1', { versionId: '10001' }), reschedules, ...extra });

const setup = (env?: string) => {
  const queue = new RecordingQueue();
  const scheduler = new FakeScheduler();
  const log = memoryLogger();
  const deps = { queue, scheduler, now: () => NOW, logger: log.logger, ...(env ? { env } : {}) };
  return { queue, scheduler, log, deps };
};

describe('Function: processRecord (rescheduler)', () => {
  it('walks compose through the outage ladder: SQS for 15 min, then schedules up to 3 h, then the DLQ', async () => {
    // Arrange: one message of compose's reschedule queue at each step of its ladder.
    const steps = topology.stages.compose.retry.rescheduleDelaysSeconds.length + 1;

    // Act
    const outcomes = [];
    for (let reschedules = 0; reschedules < steps; reschedules++) {
      const { deps } = setup();
      const record = sqsRecord({
        queueName: 'herald-compose-reschedule',
        body: envelopeBody(reschedules),
        messageId: `m-${reschedules}`,
      });
      outcomes.push(await processRecord(record, deps));
    }

    // Assert
    expect(outcomes.map((o) => (o.action === 'scheduled' ? `${o.action}@${o.at}` : o.action))).toEqual([
      'requeued',
      'scheduled@2030-01-02T03:34:05',
      'scheduled@2030-01-02T04:04:05',
      'scheduled@2030-01-02T05:04:05',
      'scheduled@2030-01-02T06:04:05',
      'dead_lettered',
    ]);
    expect(outcomes[0]).toMatchObject({ delaySeconds: 900, reschedules: 1 });
  });

  it('puts an envelope back on its stage queue with SQS DelaySeconds and reschedules + 1', async () => {
    // Arrange
    const { queue, deps, log } = setup();
    const record = sqsRecord({
      queueName: SOURCE,
      body: envelopeBody(0, { extraField: 'kept' }),
      attributes: { 'herald-last-error': 'RetryableError: 503', 'herald-stage': 'enrich' },
    });

    // Act
    const outcome = await processRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ action: 'requeued', stage: 'enrich', delaySeconds: 300, reschedules: 1 });
    const [call] = queue.of('send');
    expect(call?.queueName).toBe('herald-enrich');
    expect(call?.messages).toHaveLength(1);
    const message = call?.messages[0];
    expect(message?.delaySeconds).toBe(300);
    expect(JSON.parse(message?.body ?? '')).toEqual({ ...JSON.parse(record.body), reschedules: 1 });
    expect(message?.attributes).toEqual({
      'herald-last-error': 'RetryableError: 503',
      'herald-stage': 'enrich',
    });
    expect(log.events('record_requeued')).toHaveLength(1);
  });

  it('still uses SQS for a delay of exactly 900 s', async () => {
    const { queue, scheduler, deps } = setup();
    const record = sqsRecord({ queueName: SOURCE, body: envelopeBody(1) });

    const outcome = await processRecord(record, deps);

    expect(outcome).toMatchObject({ action: 'requeued', delaySeconds: 900, reschedules: 2 });
    expect(queue.of('send')[0]?.messages[0]?.delaySeconds).toBe(900);
    expect(scheduler.created).toHaveLength(0);
  });

  it('creates a one-time UTC schedule to the stage queue for a delay over 900 s', async () => {
    // Arrange: enrich's third delay is 3600 s.
    const { queue, scheduler, deps } = setup();
    const record = sqsRecord({ queueName: SOURCE, body: envelopeBody(2), messageId: 'm-abc' });

    // Act
    const outcome = await processRecord(record, deps);

    // Assert
    const name = rescheduleScheduleName('enrich', 'm-abc');
    expect(name).toMatch(/^rr-enrich-[\da-f]{16}$/);
    expect(outcome).toEqual({
      action: 'scheduled',
      stage: 'enrich',
      scheduleName: name,
      at: '2030-01-02T04:04:05',
      reschedules: 3,
    });
    expect(scheduler.created).toHaveLength(1);
    expect(scheduler.created[0]).toMatchObject({
      name,
      at: '2030-01-02T04:04:05',
      timeZone: 'UTC',
      targetArn: 'arn:aws:sqs:us-east-1:123456789012:herald-enrich',
      deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:herald-enrich-dlq',
    });
    expect(JSON.parse(scheduler.created[0]?.input ?? '')).toEqual({
      ...JSON.parse(record.body),
      reschedules: 3,
    });
    expect(queue.of('send')).toHaveLength(0);
  });

  it('dead-letters after the last reschedule with the reason and the error it carried', async () => {
    // Arrange
    const { queue, deps, log } = setup();
    const record = sqsRecord({
      queueName: SOURCE,
      body: envelopeBody(3),
      messageId: 'm-last',
      attributes: {
        'herald-last-error': 'RetryableError: openai 503',
        'herald-stage': 'enrich',
        'herald-receive-count': '5',
      },
    });

    // Act
    const outcome = await processRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ action: 'dead_lettered', stage: 'enrich', reason: 'retries_exhausted' });
    expect(queue.of('send')).toEqual([
      {
        op: 'send',
        queueName: 'herald-enrich-dlq',
        messages: [
          {
            body: record.body,
            attributes: {
              'herald-reason': 'retries_exhausted',
              'herald-error': 'RetryableError: openai 503',
              'herald-stage': 'enrich',
              'herald-failed-at': NOW.toISOString(),
              'herald-receive-count': '5',
              'herald-reschedules': '3',
              'herald-source-message-id': 'm-last',
              'herald-last-error': 'RetryableError: openai 503',
            },
          },
        ],
      },
    ]);
    expect(log.events('record_dead_lettered')).toHaveLength(1);
  });

  it('says no error was recorded when a message arrived by SQS redrive', async () => {
    const { queue, deps } = setup();
    const record = sqsRecord({ queueName: SOURCE, body: envelopeBody(3) });

    await processRecord(record, deps);

    expect(queue.of('send')[0]?.messages[0]?.attributes?.['herald-error']).toBe(NO_ERROR_RECORDED);
  });

  it('counts reschedules of a raw body in herald-reschedules and keeps the other herald-* attributes', async () => {
    // Arrange: ingest's queue carries raw EventBridge events, not envelopes.
    const { queue, deps } = setup();
    const body = JSON.stringify({ source: 'jira', 'detail-type': 'jira:version_updated', detail: {} });
    const record = sqsRecord({
      queueName: 'herald-ingest-reschedule',
      body,
      attributes: { 'herald-reschedules': '1', 'herald-last-error': 'Error: x', 'herald-stage': 'ingest' },
    });

    // Act
    const outcome = await processRecord(record, deps);

    // Assert
    expect(outcome).toEqual({ action: 'requeued', stage: 'ingest', delaySeconds: 900, reschedules: 2 });
    expect(queue.of('send')).toEqual([
      {
        op: 'send',
        queueName: 'herald-ingest',
        messages: [
          {
            body,
            delaySeconds: 900,
            attributes: {
              'herald-reschedules': '2',
              'herald-last-error': 'Error: x',
              'herald-stage': 'ingest',
            },
          },
        ],
      },
    ]);
  });

  it('falls back to SQS with 900 s for a raw body whose delay would need a schedule', async () => {
    const { queue, scheduler, deps, log } = setup();
    const record = sqsRecord({
      queueName: 'herald-ingest-reschedule',
      body: '{"source":"jira"}',
      attributes: { 'herald-reschedules': '2' },
    });

    const outcome = await processRecord(record, deps);

    expect(outcome).toEqual({ action: 'requeued', stage: 'ingest', delaySeconds: 900, reschedules: 3 });
    expect(scheduler.created).toHaveLength(0);
    expect(queue.of('send')[0]?.messages[0]?.attributes).toEqual({ 'herald-reschedules': '3' });
    expect(log.events('reschedule_delay_shortened')).toHaveLength(1);
  });

  it('falls back to SQS with 900 s for an envelope too large for Scheduler input', async () => {
    const { queue, scheduler, deps } = setup();
    const big = 'x'.repeat(topology.scheduleInputLimit);
    const record = sqsRecord({ queueName: SOURCE, body: envelopeBody(2, { padding: big }) });

    const outcome = await processRecord(record, deps);

    expect(outcome).toMatchObject({ action: 'requeued', delaySeconds: 900, reschedules: 3 });
    expect(scheduler.created).toHaveLength(0);
    expect(JSON.parse(queue.of('send')[0]?.messages[0]?.body ?? '').reschedules).toBe(3);
  });

  it('uses the environment in queue names', async () => {
    const { queue, deps } = setup('prod');
    const record = sqsRecord({ queueName: 'herald-prod-send-reschedule', body: envelopeBody(0) });

    const outcome = await processRecord(record, deps);

    expect(outcome).toMatchObject({ action: 'requeued', stage: 'send' });
    expect(queue.of('send')[0]?.queueName).toBe('herald-prod-send');
  });

  it('gives a schedule of the environment its stage’s DLQ as dead-letter target', async () => {
    // Arrange: send's third delay needs a schedule too.
    const { scheduler, deps } = setup('prod');
    const record = sqsRecord({ queueName: 'herald-prod-send-reschedule', body: envelopeBody(2) });

    // Act
    const outcome = await processRecord(record, deps);

    // Assert
    expect(outcome).toMatchObject({ action: 'scheduled', stage: 'send' });
    expect(scheduler.created).toEqual([
      expect.objectContaining({
        targetArn: 'arn:aws:sqs:us-east-1:123456789012:herald-prod-send',
        deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:herald-prod-send-dlq',
      }),
    ]);
  });

  it('creates no schedule when the DLQ’s ARN cannot be read', async () => {
    // Arrange
    const { queue, scheduler, deps } = setup();
    const arnOf = queue.arnOf.bind(queue);
    queue.arnOf = async (name: string) => {
      if (name.endsWith('-dlq')) throw new Error('GetQueueAttributes denied');
      return arnOf(name);
    };
    const record = sqsRecord({ queueName: SOURCE, body: envelopeBody(2) });

    // Act / Assert
    await expect(processRecord(record, deps)).rejects.toThrow('GetQueueAttributes denied');
    expect(scheduler.created).toHaveLength(0);
    expect(queue.of('send')).toHaveLength(0);
  });

  it.each(['herald-enrich', 'herald-enrich-dlq', 'someone-elses-queue'])(
    'refuses a record from %s, which is not a reschedule queue',
    async (queueName) => {
      const { queue, deps } = setup();

      await expect(
        processRecord(sqsRecord({ queueName, body: envelopeBody(0) }), deps),
      ).rejects.toBeInstanceOf(PermanentError);
      expect(queue.calls).toHaveLength(0);
    },
  );

  it('propagates a failed send so the handler reports the record', async () => {
    const { queue, deps } = setup();
    queue.failures.set('send', new Error('sqs down'));

    await expect(
      processRecord(sqsRecord({ queueName: SOURCE, body: envelopeBody(0) }), deps),
    ).rejects.toThrow('sqs down');
  });
});

describe('Function: formatUtcAt', () => {
  it('formats a date as yyyy-mm-ddThh:mm:ss in UTC', () => {
    expect(formatUtcAt(new Date('2030-12-31T23:59:59.999Z'))).toBe('2030-12-31T23:59:59');
  });
});
