import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { MailerPort, OutgoingEmail } from '#adapters/mailer/MailerPort';
import type { Contact } from '#contracts/contact';
import type { SendPolicy } from '#contracts/sendPolicy';

/**
 * A directory answering what the send stage asks: global opt-outs, and whether the project still
 * has the contact. Every address is a contact of every project unless `removed` or
 * `optedOutInProject` says otherwise.
 */
export class FakeDirectory implements DirectoryPort {
  /** Global opt-outs. */
  readonly optedOut = new Set<string>();
  /** `projectKey:email` of contacts removed from their project. */
  readonly removed = new Set<string>();
  /** `projectKey:email` of contacts opted out in their project only. */
  readonly optedOutInProject = new Set<string>();
  /** Every lookup, `isOptedOut:<email>` or `getContact:<projectKey>:<email>`. */
  readonly checked: string[] = [];

  async isOptedOut(email: string): Promise<boolean> {
    this.checked.push(`isOptedOut:${email}`);
    return this.optedOut.has(email);
  }

  async getContact(projectKey: string, email: string): Promise<Contact | null> {
    const key = `${projectKey}:${email}`;
    this.checked.push(`getContact:${key}`);
    if (this.removed.has(key)) return null;
    return { email, optedOut: this.optedOutInProject.has(key) };
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

/**
 * A mailer recording every email; `failWith` makes the next sends throw; `acceptWithoutId`
 * makes the next sends succeed with no message id (as SES may).
 */
export class FakeMailer implements MailerPort {
  readonly sent: OutgoingEmail[] = [];
  failWith: Error | undefined;
  acceptWithoutId = false;

  async send(email: OutgoingEmail): Promise<{ messageId: string | undefined }> {
    if (this.failWith) throw this.failWith;
    this.sent.push(email);
    return { messageId: this.acceptWithoutId ? undefined : `ses-${this.sent.length}` };
  }
}
