import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalTracing, startLocalTracing } from '#local/localTracing';
import { EVENT_TRACEPARENT_FIELD } from '#shared/tracing';
import { handleRequest, type WebhookDeps } from '#stages/webhook/handleRequest';
import { FakeBus } from '#test/factories/FakeBus';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { memoryLogger } from '#test/factories/memoryLogger';

const SECRET = 'test-webhook-secret';
const body = JSON.stringify({
  timestamp: 1767225600000,
  webhookEvent: 'jira:version_created',
  version: { id: '10001', name: 'v1.0', projectId: '10000', released: false, archived: false },
});

let tracing: LocalTracing;

beforeAll(() => {
  tracing = startLocalTracing();
});

afterAll(async () => {
  await tracing.stop();
});

describe('Function: handleRequest (tracing)', () => {
  it("passes the webhook's traceparent to ingest in the event detail, the Jira fields unchanged", async () => {
    // Arrange
    const bus = new FakeBus();
    const deps: WebhookDeps = {
      bus,
      directory: new FakeDirectory(),
      webhookSecret: async () => SECRET,
      logger: memoryLogger().logger,
      now: () => new Date('2026-01-05T10:00:00.000Z'),
      signingKeys: async () => ({ keys: ['current-signing-key-0123456789abcdef'] }),
      reviewSigningKeys: async () => ({ keys: ['review-signing-key-0123456789abcdef'] }),
      approvals: new FakeLedger(),
      drafts: new FakeLedger(),
    };
    const bytes = Buffer.from(body);
    const signature = `sha256=${createHmac('sha256', SECRET).update(bytes).digest('hex')}`;

    // Act
    const res = await handleRequest(
      { method: 'POST', path: '/', headers: { 'x-hub-signature': signature }, body: bytes },
      deps,
    );

    // Assert
    expect(res.status).toBe(202);
    const [span] = tracing.spans().filter((s) => s.name === 'eventbridge.put_events');
    if (!span) throw new Error('no put_events span');
    const { traceId, spanId } = span.spanContext();
    const detail = JSON.parse(bus.events[0]?.detail ?? '{}') as Record<string, unknown>;
    expect(detail[EVENT_TRACEPARENT_FIELD]).toBe(`00-${traceId}-${spanId}-01`);
    const { [EVENT_TRACEPARENT_FIELD]: _traceparent, ...jira } = detail;
    expect(jira).toEqual(JSON.parse(body));
  });
});
