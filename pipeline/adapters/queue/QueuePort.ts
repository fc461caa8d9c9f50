/** A message to put on a queue. */
export interface OutgoingMessage {
  body: string;
  /** SQS DelaySeconds, 0..900. */
  delaySeconds?: number;
  /** String message attributes. */
  attributes?: Record<string, string>;
}

/** SQS by queue name (URLs are resolved and cached by the implementation). */
export interface QueuePort {
  /** Sends messages, in batches of 10; a failed entry rejects with its id and reason. */
  send(queueName: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** Sets the visibility timeout of a received message, seconds. */
  changeVisibility(queueName: string, receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
  /** The queue's ARN (cached), e.g. for a Scheduler target. */
  arnOf(queueName: string): Promise<string>;
  /** Deletes a received message. */
  delete(queueName: string, receiptHandle: string): Promise<void>;
}
