import { describe, expect, it } from 'vitest';
import { eventBridgeTargetHandler } from '#local/eventBridgeTarget';
import { lambdaContext, sqsEvent, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';

describe('Function: eventBridgeTargetHandler', () => {
  it('invokes the handler with each record’s EventBridge event and reports the ones that threw', async () => {
    // Arrange
    const seen: string[] = [];
    const log = memoryLogger();
    const handler = eventBridgeTargetHandler(async (event) => {
      seen.push(event.id);
      if (event.id === 'bad') throw new Error('ledger down');
    }, log.logger);
    const record = (id: string) =>
      sqsRecord({ messageId: `m-${id}`, body: JSON.stringify({ id, source: 'aws.ses', detail: {} }) });

    // Act
    const response = await handler(sqsEvent(record('ok'), record('bad'), record('ok2')), lambdaContext());

    // Assert
    expect(seen).toEqual(['ok', 'bad', 'ok2']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
    expect(log.events('event_target_failed')).toHaveLength(1);
  });
});
