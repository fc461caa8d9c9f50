import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Message counts of a queue (SQS's approximate numbers). */
export interface QueueDepth {
  /** Messages available to receive (`ApproximateNumberOfMessages`). */
  visible: number;
  /** Messages received and not yet deleted (`ApproximateNumberOfMessagesNotVisible`). */
  inFlight: number;
  /** Messages waiting out their DelaySeconds (`ApproximateNumberOfMessagesDelayed`). */
  delayed: number;
}

const count = (value: string | undefined): number => {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : 0;
};

/** Reads the three counts of the queue at `url`. */
export const queueDepth = async (sqs: SQSClient, url: string): Promise<QueueDepth> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: count(Attributes.ApproximateNumberOfMessages),
    inFlight: count(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: count(Attributes.ApproximateNumberOfMessagesDelayed),
  };
};
