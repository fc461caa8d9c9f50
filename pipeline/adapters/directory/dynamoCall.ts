import { SpanKind } from '@opentelemetry/api';
import { withSpan } from '#shared/tracing';
import { translateDynamoError } from './dynamoErrors.ts';

/**
 * Runs one DynamoDB call in a client span named `DynamoDB.<operation>`, translating its errors
 * with {@link translateDynamoError}.
 */
export const dynamoCall = <T>(operation: string, table: string, fn: () => Promise<T>): Promise<T> =>
  withSpan(
    `DynamoDB.${operation}`,
    async () => {
      try {
        return await fn();
      } catch (err) {
        throw translateDynamoError(err, operation, table);
      }
    },
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system': 'aws-api',
        'rpc.service': 'DynamoDB',
        'rpc.method': operation,
        'aws.dynamodb.table_names': [table],
      },
    },
  );
