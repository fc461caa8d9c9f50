import { afterEach, describe, expect, it } from 'vitest';
import { type LocalTracing, startLocalTracing } from '#local/localTracing';
import { createSqsHandler } from '#retry/createSqsHandler';
import { memoryLogger } from '#test/factories/memoryLogger';
import { RecordingQueue } from '#test/factories/RecordingQueue';

let tracing: LocalTracing | undefined;

afterEach(async () => {
  await tracing?.stop();
  tracing = undefined;
});

const build = (expectTracing: boolean) => {
  const log = memoryLogger();
  createSqsHandler({
    stage: 'send',
    queue: new RecordingQueue(),
    logger: log.logger,
    processRecord: async () => undefined,
    expectTracing,
  });
  return log;
};

describe('Function: createSqsHandler (tracing check)', () => {
  it('warns at build when tracing is expected but no tracer is registered (every span a no-op)', () => {
    // Act
    const log = build(true);

    // Assert
    expect(log.events('tracing_not_registered')).toEqual([expect.objectContaining({ stage: 'send' })]);
  });

  it('says nothing when a tracer is registered, or when tracing is not expected', () => {
    // Act
    const quietWithout = build(false);
    tracing = startLocalTracing();
    const quietWith = build(true);

    // Assert
    expect(quietWithout.events('tracing_not_registered')).toEqual([]);
    expect(quietWith.events('tracing_not_registered')).toEqual([]);
    expect(tracing.spans()).toEqual([]); // the probe span is never ended, never exported
  });
});
