import type { OutgoingMessage, QueuePort } from '#adapters/queue/QueuePort';

/** The one in-memory {@link QueuePort}: records what was sent, and can be told to fail. */
export class FakeQueue implements QueuePort {
  readonly sent: Array<{ queueName: string; message: OutgoingMessage }> = [];
  /** When set, `send` always rejects with it. */
  failWith: Error | undefined;
  /** Errors the next calls of `send` reject with, one per call. */
  readonly failNext: Error[] = [];
  /** Calls of `send`, failed ones included. */
  calls = 0;

  async send(queueName: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.calls += 1;
    if (this.failWith) throw this.failWith;
    const next = this.failNext.shift();
    if (next) throw next;
    for (const message of messages) this.sent.push({ queueName, message });
  }

  async changeVisibility(): Promise<void> {}

  async arnOf(queueName: string): Promise<string> {
    return `arn:aws:sqs:us-east-1:123456789012:${queueName}`;
  }

  async delete(): Promise<void> {}

  /** Bodies sent to `queueName`, parsed. */
  bodies(queueName: string): Array<Record<string, unknown>> {
    return this.sent
      .filter((s) => s.queueName === queueName)
      .map((s) => JSON.parse(s.message.body) as Record<string, unknown>);
  }
}
