import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { MailerPort, OutgoingEmail } from '#adapters/mailer/MailerPort';
import type { Contact } from '#contracts/contact';
import type { SendPolicy } from '#contracts/sendPolicy';

/** A directory that only knows global opt-outs (all the send stage asks). */
export class FakeDirectory implements DirectoryPort {
  readonly optedOut = new Set<string>();
  readonly checked: string[] = [];

  async isOptedOut(email: string): Promise<boolean> {
    this.checked.push(email);
    return this.optedOut.has(email);
  }

  async optOut(email: string): Promise<void> {
    this.optedOut.add(email);
  }

  async listContacts(): Promise<Contact[]> {
    return [];
  }

  async putContact(): Promise<void> {}

  async removeContact(): Promise<boolean> {
    return false;
  }

  async getPolicy(): Promise<SendPolicy | null> {
    return null;
  }

  async putPolicy(): Promise<void> {}

  async listProjects(): Promise<string[]> {
    return [];
  }
}

/** A mailer recording every email; `failWith` makes the next sends throw. */
export class FakeMailer implements MailerPort {
  readonly sent: OutgoingEmail[] = [];
  failWith: Error | undefined;

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(email);
    return { messageId: `ses-${this.sent.length}` };
  }
}
