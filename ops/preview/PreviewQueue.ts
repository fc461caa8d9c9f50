import type { OutgoingMessage, QueuePort } from '#adapters/queue/QueuePort';

/** A queue that keeps what compose would send (the send jobs) and sends nothing. */
export class PreviewQueue implements QueuePort {
  readonly sent: OutgoingMessage[] = [];

  async send(_queueName: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.sent.push(...messages);
  }

  changeVisibility(): never {
    throw new Error('a preview has no queue');
  }

  arnOf(): never {
    throw new Error('a preview has no queue');
  }

  delete(): never {
    throw new Error('a preview has no queue');
  }
}
