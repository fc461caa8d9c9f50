import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** The tracer every stage and adapter uses. With no SDK registered, spans are no-ops. */
export const tracer = trace.getTracer('release-herald');

/** The OpenTelemetry context carried by a `traceparent`, or the root context. */
export const contextFromTraceparent = (traceparent: string | undefined): Context =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;

/**
 * Whether an OpenTelemetry SDK that this (bundled) API version accepts is registered: a span
 * started now gets a valid context. The probe span is never ended, so never exported. False when
 * no SDK is there, or when one registered under an older API version (the API ignores it).
 */
export const tracingRegistered = (): boolean =>
  trace.isSpanContextValid(tracer.startSpan('herald.tracing_probe').spanContext());

/**
 * The `traceparent` of the active span, to put in an outgoing envelope. Falls back to the W3C
 * format of the active span context when no propagator is registered.
 */
export const currentTraceparent = (): string | undefined => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (carrier.traceparent) return carrier.traceparent;
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
};

/**
 * Runs `fn` inside a span named `name`, recording an exception and an error status when it throws.
 * @param parent context to start the span under; default the active context.
 */
export const withSpan = async <T>(
  name: string,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
  parent: Context = context.active(),
): Promise<T> =>
  tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });

/**
 * The top-level field of a Jira webhook's EventBridge `detail` in which the webhook stage passes
 * its `traceparent` to ingest (the one hop without an envelope). Jira never sends a field of
 * this name; ingest's contract keeps unknown fields, so older events without it still parse.
 */
export const EVENT_TRACEPARENT_FIELD = 'heraldTraceparent';
