import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsSettings, awsClientConfig } from './awsSettings.ts';
import type { OpsClients } from './OpsContext.ts';

/** Builds {@link OpsClients} lazily from `settings`. */
export const createOpsClients = (settings: AwsSettings): OpsClients => {
  const config = awsClientConfig(settings);
  const built: { destroy(): void }[] = [];
  const lazy = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (client === undefined) {
        client = make();
        built.push(client);
      }
      return client;
    };
  };
  const sqs = lazy(() => new SQSClient(config));
  const scheduler = lazy(() => new SchedulerClient(config));
  const dynamo = lazy(() => new DynamoDBClient(config));
  const documents = lazy(() =>
    DynamoDBDocumentClient.from(dynamo(), { marshallOptions: { removeUndefinedValues: true } }),
  );
  const secrets = lazy(() => new SecretsManagerClient(config));
  return {
    get sqs() {
      return sqs();
    },
    get scheduler() {
      return scheduler();
    },
    get documents() {
      return documents();
    },
    get secrets() {
      return secrets();
    },
    destroy: () => {
      for (const client of built.splice(0)) client.destroy();
    },
  };
};
