import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SpanKind } from '@opentelemetry/api';
import { isRetryable, isRetryableErrorName } from '#retry/isRetryable';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { PermanentError, RetryableError } from '#shared/errors';
import { withSpan } from '#shared/tracing';
import type { BusEvent, EventBusPort } from './EventBusPort.ts';
import { EventBusPutError, type FailedBusEntry } from './errors.ts';

/** Options of {@link EventBridgeBus}. */
export interface EventBridgeBusOptions {
  /** EventBridge client. Default `new EventBridgeClient(awsClientDefaults())` (request timeouts). */
  client?: EventBridgeClient;
  /** Name or ARN of the bus (`resourceName(topology.bus, env)`). */
  busName: string;
}

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;
/** Largest entry, and largest sum of entries in one call, bytes as EventBridge counts them. */
const MAX_ENTRY_BYTES = 256 * 1024;
/** What a `Time` field counts towards the entry size, bytes. */
const TIME_BYTES = 14;

/** An entry's size as EventBridge counts it (Time 14 bytes, then UTF-8 bytes of the strings). */
const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? TIME_BYTES : 0) +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '');

/** Whether `detail` is the JSON object text EventBridge requires. */
const isJsonObject = (detail: string): boolean => {
  try {
    const value: unknown = JSON.parse(detail);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/**
 * {@link EventBusPort} over EventBridge PutEvents on one bus. Entries are checked before any call
 * (JSON object detail, at most 256 KB each: a PermanentError `event_invalid` / `event_too_large`),
 * then sent in calls of at most 10 entries and 256 KB. Failed entries reject: a
 * {@link RetryableError} when every failure is throttling or an internal failure, an
 * {@link EventBusPutError} otherwise. Chunks sent before a failure stay sent.
 */
export class EventBridgeBus implements EventBusPort {
  readonly #client: EventBridgeClient;
  readonly #busName: string;

  constructor(options: EventBridgeBusOptions) {
    this.#client = options.client ?? new EventBridgeClient(awsClientDefaults());
    this.#busName = options.busName;
  }

  async put(events: readonly BusEvent[]): Promise<void> {
    const entries = events.map((event, index) => this.#entryOf(event, index));
    for (const chunk of this.#chunks(entries)) {
      await this.#putChunk(chunk);
    }
  }

  #entryOf(event: BusEvent, index: number): { index: number; entry: PutEventsRequestEntry; size: number } {
    if (!isJsonObject(event.detail)) {
      throw new PermanentError(
        'event_invalid',
        `event #${index} (${event.detailType}): detail is not a JSON object`,
      );
    }
    const entry: PutEventsRequestEntry = {
      EventBusName: this.#busName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: event.detail,
      Time: event.time === undefined ? undefined : new Date(event.time),
    };
    const size = entrySize(entry);
    if (size > MAX_ENTRY_BYTES) {
      throw new PermanentError(
        'event_too_large',
        `event #${index} (${event.detailType}) is ${size} bytes, over EventBridge's ${MAX_ENTRY_BYTES}`,
      );
    }
    return { index, entry, size };
  }

  /** Groups entries into calls of at most 10 entries and 256 KB, keeping their order. */
  *#chunks<T extends { size: number }>(entries: readonly T[]): Generator<T[]> {
    let chunk: T[] = [];
    let bytes = 0;
    for (const item of entries) {
      if (chunk.length === MAX_ENTRIES || bytes + item.size > MAX_ENTRY_BYTES) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(item);
      bytes += item.size;
    }
    if (chunk.length > 0) yield chunk;
  }

  async #putChunk(chunk: readonly { index: number; entry: PutEventsRequestEntry }[]): Promise<void> {
    const output = await withSpan(
      'EventBridge.PutEvents',
      async () => {
        try {
          return await this.#client.send(new PutEventsCommand({ Entries: chunk.map((c) => c.entry) }));
        } catch (err) {
          const name = err instanceof Error ? err.name : '';
          // What the SDK already retried and still failed: the ladder tries again later.
          if (isRetryable(err)) {
            throw new RetryableError(
              `PutEvents on ${this.#busName} failed (${name || 'server error'}): ${(err as Error).message}`,
              { cause: err },
            );
          }
          throw err;
        }
      },
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'EventBridge',
          'rpc.method': 'PutEvents',
          'herald.event_bus': this.#busName,
          'herald.event_count': chunk.length,
        },
      },
    );
    if (!output.FailedEntryCount) return;
    const failed: FailedBusEntry[] = [];
    (output.Entries ?? []).forEach((result, i) => {
      if (result.ErrorCode) {
        failed.push({
          index: chunk[i]?.index ?? i,
          errorCode: result.ErrorCode,
          errorMessage: result.ErrorMessage ?? '',
        });
      }
    });
    if (failed.length === 0) {
      failed.push({
        index: -1,
        errorCode: 'Unknown',
        errorMessage: `${output.FailedEntryCount} entries failed`,
      });
    }
    const error = new EventBusPutError(this.#busName, failed);
    if (failed.every((f) => isRetryableErrorName(f.errorCode))) {
      throw new RetryableError(error.message, { cause: error });
    }
    throw error;
  }
}
