import type { OutgoingMessage, QueuePort } from '#adapters/queue/QueuePort';

/** One QueuePort call. */
export type QueueCall =
  | { op: 'send'; queueName: string; messages: readonly OutgoingMessage[] }
  | { op: 'changeVisibility'; queueName: string; receiptHandle: string; seconds: number }
  | { op: 'delete'; queueName: string; receiptHandle: string };

/**
 * A QueuePort that records every call of every operation and can be told to fail per operation
 * and queue: the double for the SQS batch runner and the rescheduler, which change visibility and
 * delete as well as send (`FakeQueue` records sends only).
 */
export class RecordingQueue implements QueuePort {
  readonly calls: QueueCall[] = [];
  /** Errors by `op` or `op:queueName`; a matching call rejects with it. */
  readonly failures = new Map<string, Error>();

  #fail(op: string, queueName: string): void {
    const err = this.failures.get(`${op}:${queueName}`) ?? this.failures.get(op);
    if (err) throw err;
  }

  async send(queueName: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.calls.push({ op: 'send', queueName, messages });
    this.#fail('send', queueName);
  }

  async changeVisibility(queueName: string, receiptHandle: string, seconds: number): Promise<void> {
    this.calls.push({ op: 'changeVisibility', queueName, receiptHandle, seconds });
    this.#fail('changeVisibility', queueName);
  }

  async arnOf(queueName: string): Promise<string> {
    return `arn:aws:sqs:us-east-1:123456789012:${queueName}`;
  }

  async delete(queueName: string, receiptHandle: string): Promise<void> {
    this.calls.push({ op: 'delete', queueName, receiptHandle });
    this.#fail('delete', queueName);
  }

  /** The calls of one operation. */
  of<O extends QueueCall['op']>(op: O): Array<Extract<QueueCall, { op: O }>> {
    return this.calls.filter((c): c is Extract<QueueCall, { op: O }> => c.op === op);
  }
}
