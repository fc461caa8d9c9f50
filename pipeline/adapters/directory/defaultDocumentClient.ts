import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientDefaults } from '#shared/awsClientDefaults';

/**
 * The production document client of the directory and the ledger: default credentials and
 * region, {@link awsClientDefaults} request timeouts, `removeUndefinedValues` so optional fields
 * are simply absent from an item.
 */
export const defaultDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(awsClientDefaults()), {
    marshallOptions: { removeUndefinedValues: true },
  });
