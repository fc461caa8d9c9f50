import { HeraldError } from '#shared/errors';

/** One entry EventBridge did not accept. */
export interface FailedBusEntry {
  /** Index of the event in the `put` call. */
  index: number;
  /** EventBridge's ErrorCode, e.g. `ThrottlingException`, `InternalFailure`, `MalformedDetail`. */
  errorCode: string;
  errorMessage: string;
}

/**
 * PutEvents accepted the call but failed some entries with a code retrying will not fix (or a
 * mix). Earlier chunks of the same `put` may have been delivered: consumers are idempotent.
 */
export class EventBusPutError extends HeraldError {
  override name = 'EventBusPutError';
  /** The bus the events were put on. */
  readonly busName: string;
  /** Every failed entry. */
  readonly failed: readonly FailedBusEntry[];

  constructor(busName: string, failed: readonly FailedBusEntry[]) {
    super(
      `PutEvents on ${busName} failed ${failed.length} entr${failed.length === 1 ? 'y' : 'ies'}: ${failed
        .map((f) => `#${f.index} ${f.errorCode}: ${f.errorMessage}`)
        .join('; ')}`,
    );
    this.busName = busName;
    this.failed = failed;
  }
}
