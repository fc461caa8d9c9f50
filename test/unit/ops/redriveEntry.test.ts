import { describe, expect, it } from 'vitest';
import { redriveEntryOf } from '#ops/dlq/redriveEntry';

const envelope = (reschedules: number | undefined) =>
  JSON.stringify({
    v: 1,
    kind: 'compose.job',
    key: 'rh-10001-b1d0h0m0900-abc-0',
    ...(reschedules !== undefined ? { reschedules } : {}),
    extra: { kept: true },
    payload: { versionId: '10001' },
  });

describe('Function: redriveEntryOf', () => {
  it('resets an envelope’s reschedules to 0 and keeps every other field, known or not, in place', () => {
    // Act
    const entry = redriveEntryOf({ Body: envelope(3) });

    // Assert
    expect(entry.rewritten).toBe(true);
    expect(entry.body).toBe(envelope(0));
  });

  it('leaves an envelope with no reschedules yet exactly as it was', () => {
    // Act
    const fresh = redriveEntryOf({ Body: envelope(0) });
    const unset = redriveEntryOf({ Body: envelope(undefined) });

    // Assert
    expect(fresh).toMatchObject({ body: envelope(0), rewritten: false });
    expect(unset).toMatchObject({ body: envelope(undefined), rewritten: false });
  });

  it('drops every herald-* attribute and keeps the others with their data types', () => {
    // Arrange
    const message = {
      Body: '{"source":"jira","detail":{}}',
      MessageAttributes: {
        'herald-reason': { DataType: 'String', StringValue: 'retries_exhausted' },
        'herald-reschedules': { DataType: 'String', StringValue: '3' },
        'herald-stage': { DataType: 'String', StringValue: 'ingest' },
        tenant: { DataType: 'String', StringValue: 'acme' },
        weight: { DataType: 'Number', StringValue: '7' },
      },
    };

    // Act
    const entry = redriveEntryOf(message);

    // Assert
    expect(entry.attributes).toEqual({
      tenant: { DataType: 'String', StringValue: 'acme' },
      weight: { DataType: 'Number', StringValue: '7' },
    });
  });

  it('keeps a body that is not an envelope byte for byte (its counter was the dropped attribute)', () => {
    // Arrange
    const body = '{ "source": "jira", "detail-type": "jira:version_updated" }';

    // Act
    const entry = redriveEntryOf({
      Body: body,
      MessageAttributes: { 'herald-reschedules': { DataType: 'String', StringValue: '3' } },
    });

    // Assert
    expect(entry).toEqual({ body, attributes: {}, rewritten: false });
  });

  it('keeps a body that is not JSON as it is', () => {
    // Act
    const entry = redriveEntryOf({ Body: 'not json' });

    // Assert
    expect(entry.body).toBe('not json');
  });
});
