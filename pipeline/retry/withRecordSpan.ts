import { context as otelContext, type Span, type SpanOptions } from '@opentelemetry/api';
import { contextFromTraceparent, withSpan } from '#shared/tracing';

/**
 * Runs one record's work in its span, a child of the trace the record continues (its
 * `traceparent`, read once by the caller), else of the active context.
 * @param name the span name (`<stage> process`).
 * @param traceparent the record's W3C traceparent; undefined when it carries none.
 */
export const withRecordSpan = <T>(
  name: string,
  traceparent: string | undefined,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> =>
  withSpan(name, fn, options, traceparent ? contextFromTraceparent(traceparent) : otelContext.active());
