import { EventBridgeClient, PutEventsCommand, ThrottlingException } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeBus } from '#adapters/events/EventBridgeBus';
import type { BusEvent } from '#adapters/events/EventBusPort';
import { EventBusPutError } from '#adapters/events/errors';
import { PermanentError, RetryableError } from '#shared/errors';

const BUS = 'herald-prod';
const eb = mockClient(EventBridgeClient);

const bus = () =>
  new EventBridgeBus({ client: new EventBridgeClient({ region: 'us-east-1' }), busName: BUS });

const event = (i: number, overrides: Partial<BusEvent> = {}): BusEvent => ({
  source: 'jira',
  detailType: 'jira:version_updated',
  detail: JSON.stringify({ version: { id: String(10000 + i) } }),
  ...overrides,
});

afterEach(() => {
  eb.reset();
});

describe('Function: EventBridgeBus.put', () => {
  it('puts each event on the bus with its time', async () => {
    // Arrange
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const time = Date.parse('2026-03-01T10:00:00Z');

    // Act
    await bus().put([event(1, { time })]);

    // Assert
    expect(eb).toReceiveCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: BUS,
          Source: 'jira',
          DetailType: 'jira:version_updated',
          Detail: '{"version":{"id":"10001"}}',
          Time: new Date(time),
        },
      ],
    });
  });

  it('sends 23 events in calls of 10, 10 and 3, in order', async () => {
    // Arrange
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });

    // Act
    await bus().put(Array.from({ length: 23 }, (_, i) => event(i)));

    // Assert
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail ?? '{}').version.id)).toEqual(
      Array.from({ length: 23 }, (_, i) => String(10000 + i)),
    );
  });

  it('splits calls so no call carries more than 256 KB', async () => {
    // Arrange
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const big = (i: number) => event(i, { detail: JSON.stringify({ i, pad: 'x'.repeat(100 * 1024) }) });

    // Act
    await bus().put([big(1), big(2), big(3)]);

    // Assert
    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([2, 1]);
  });

  it('does nothing for no events', async () => {
    // Act
    await bus().put([]);

    // Assert
    expect(eb).not.toReceiveAnyCommand();
  });

  it('rejects an event over 256 KB before sending anything', async () => {
    // Act
    const result = bus().put([
      event(1),
      event(2, { detail: JSON.stringify({ pad: 'x'.repeat(256 * 1024) }) }),
    ]);

    // Assert
    await expect(result).rejects.toThrow(PermanentError);
    await expect(result).rejects.toMatchObject({ reason: 'event_too_large' });
    expect(eb).not.toReceiveAnyCommand();
  });

  it('rejects a detail that is not a JSON object', async () => {
    // Act
    const result = bus().put([event(1, { detail: '[1,2]' })]);

    // Assert
    await expect(result).rejects.toMatchObject({ name: 'PermanentError', reason: 'event_invalid' });
  });

  it('names each failed entry when PutEvents reports failures', async () => {
    // Arrange
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e1' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    });

    // Act
    const result = bus().put([event(1), event(2)]);

    // Assert
    await expect(result).rejects.toThrow(EventBusPutError);
    await expect(result).rejects.toThrow(/#1 MalformedDetail: Detail is malformed\./);
    await expect(result).rejects.toMatchObject({
      busName: BUS,
      failed: [{ index: 1, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' }],
    });
  });

  it('reports failures retryable when every failed entry was throttled', async () => {
    // Arrange
    eb.on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0 })
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      });

    // Act
    const result = bus().put(Array.from({ length: 12 }, (_, i) => event(i)));

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
    await expect(result).rejects.toThrow(/#10 ThrottlingException: Rate exceeded; #11 InternalFailure: oops/);
  });

  it('turns a throttled call into a RetryableError', async () => {
    // Arrange
    eb.on(PutEventsCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    // Act
    const result = bus().put([event(1)]);

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });
});
