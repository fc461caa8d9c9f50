import { describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import { peekEnvelope } from '#retry/peekEnvelope';
import { traceparentOf } from '#retry/traceparentOf';
import { EVENT_TRACEPARENT_FIELD } from '#shared/tracing';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const read = (body: string) => traceparentOf(body, peekEnvelope(body));

describe('Function: traceparentOf', () => {
  it("reads an envelope's traceparent", () => {
    // Arrange
    const body = JSON.stringify(wrap('release.changed', 'k', {}, TRACEPARENT));

    // Act & Assert
    expect(read(body)).toBe(TRACEPARENT);
  });

  it('reads the traceparent the webhook put in an EventBridge event for ingest', () => {
    // Arrange
    const body = JSON.stringify({
      id: 'e-1',
      source: 'jira',
      'detail-type': 'jira:version_created',
      detail: { webhookEvent: 'jira:version_created', [EVENT_TRACEPARENT_FIELD]: TRACEPARENT },
    });

    // Act & Assert
    expect(read(body)).toBe(TRACEPARENT);
  });

  it('finds none in an envelope without one, an event without one, a malformed value or a body that is not JSON', () => {
    // Arrange
    const bodies = [
      JSON.stringify(wrap('release.changed', 'k', {})),
      JSON.stringify({ id: 'e-1', detail: { webhookEvent: 'jira:version_created' } }),
      JSON.stringify({ id: 'e-1', detail: { [EVENT_TRACEPARENT_FIELD]: 'not-a-traceparent' } }),
      JSON.stringify({ id: 'e-1', detail: 'text' }),
      'null',
      '{not json',
    ];

    // Act & Assert
    for (const body of bodies) expect(read(body), body).toBeUndefined();
  });
});
