import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { OpsError } from '#ops/cli/errors';

/** A queue as the CLI addresses it. */
export interface QueueRef {
  name: string;
  url: string;
  arn: string;
}

/** True when `err` is SQS's "no such queue" (`QueueDoesNotExist`, or `AWS.SimpleQueueService.NonExistentQueue`). */
export const isQueueMissing = (err: unknown): boolean => {
  const name = err instanceof Error ? err.name : '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
};

/**
 * The URL of queue `name`; undefined when it does not exist.
 */
export const queueUrlOf = async (sqs: SQSClient, name: string): Promise<string | undefined> => {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl;
  } catch (err) {
    if (isQueueMissing(err)) return undefined;
    throw err;
  }
};

/**
 * URL and ARN of queue `name`.
 * @throws OpsError (exit 1) naming the queue when it does not exist.
 */
export const resolveQueue = async (sqs: SQSClient, name: string): Promise<QueueRef> => {
  const url = await queueUrlOf(sqs, name);
  if (url === undefined) {
    throw new OpsError(`queue ${name} does not exist (check --env, --region and --endpoint)`);
  }
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new OpsError(`queue ${name} has no QueueArn attribute`);
  return { name, url, arn };
};
