import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** The OpenTelemetry SDK of a local run, keeping every finished span in memory. */
export interface LocalTracing {
  /** Spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Forgets the spans kept so far. */
  reset(): void;
  /** Unregisters the tracer provider, context manager and propagator. */
  stop(): Promise<void>;
}

/**
 * Registers, for this process, what the ADOT Lambda layer registers in each function on AWS: a
 * tracer provider, an AsyncLocalStorage context manager (so a span started inside another is its
 * child) and the W3C trace-context propagator (so `traceparent` in an envelope is read and
 * written). Spans go to an in-memory exporter instead of X-Ray. Call it before the handlers run;
 * the local stack runs every stage in this process, so one release's spans all land here.
 */
export const startLocalTracing = (): LocalTracing => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    stop: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
};
