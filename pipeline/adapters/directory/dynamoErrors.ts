import { isRetryable } from '#retry/isRetryable';
import { PermanentError, RetryableError } from '#shared/errors';

/** Shape of an AWS SDK v3 service exception, read defensively. */
interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
}

/** The SDK error name of `err` (`ConditionalCheckFailedException`, ...), or `''`. */
export const sdkErrorName = (err: unknown): string =>
  typeof err === 'object' && err !== null && typeof (err as SdkErrorLike).name === 'string'
    ? ((err as SdkErrorLike).name as string)
    : '';

/** True when `err` is DynamoDB's ConditionalCheckFailedException (a lost conditional write). */
export const isConditionalCheckFailed = (err: unknown): boolean =>
  sdkErrorName(err) === 'ConditionalCheckFailedException';

/**
 * Translates a DynamoDB error thrown by `operation` on `table`: what `isRetryable` accepts
 * (throttling, server faults, transaction conflicts, timeouts; the SDK has already retried them)
 * becomes {@link RetryableError}, `ValidationException` (an item or expression DynamoDB will never accept)
 * a {@link PermanentError} with reason `dynamodb_invalid_request`; anything else is returned as is
 * for the caller to rethrow.
 */
export const translateDynamoError = (err: unknown, operation: string, table: string): unknown => {
  const name = sdkErrorName(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (isRetryable(err)) {
    return new RetryableError(
      `DynamoDB ${operation} on ${table} failed (${name || 'server error'}): ${detail}`,
      {
        cause: err,
      },
    );
  }
  if (name === 'ValidationException') {
    return new PermanentError(
      'dynamodb_invalid_request',
      `DynamoDB ${operation} on ${table} was rejected: ${detail}`,
      { cause: err },
    );
  }
  return err;
};

/**
 * An item read back from a table does not match its schema (hand-edited, or written by an older
 * version). Permanent: the message goes to its DLQ naming the key, to be fixed and redriven.
 */
export class CorruptItemError extends PermanentError {
  override name = 'CorruptItemError';
  /** Table the item was read from. */
  readonly table: string;
  /** The item's key, `pk` or `pk / sk`. */
  readonly key: string;
  /** One line per problem, `path: what is wrong`. */
  readonly problems: readonly string[];

  constructor(table: string, key: string, problems: readonly string[], options?: { cause?: unknown }) {
    super('corrupt_item', `corrupt item ${key} in table ${table}: ${problems.join('; ')}`, options);
    this.table = table;
    this.key = key;
    this.problems = problems;
  }
}
