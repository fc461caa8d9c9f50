import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { MailerPort, OutgoingEmail } from '#adapters/mailer/MailerPort';
import type { Contact } from '#contracts/contact';
import type { SendPolicy } from '#contracts/sendPolicy';
import type { SendDeps } from '#stages/send/processRecord';

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

  /** The policy every project has (the owners' summary reads `notify`). Default none. */
  policy: SendPolicy | null = null;

  async getPolicy(): Promise<SendPolicy | null> {
    return this.policy;
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

/** The send stage's settings in these tests: its sender, unsubscribe links, signing keys, a 120 s claim lease. */
export const SEND_SETTINGS = {
  senderEmail: 'releases@example.com',
  unsubscribeBaseUrl: 'https://hooks.example.com/unsubscribe',
  signingKeys: { keys: ['test-signing-key-0123456789abcdefghij'] },
  leaseSeconds: 120,
} as const satisfies Partial<SendDeps>;

/** Send deps over the given ports (and any other override) with {@link SEND_SETTINGS}. */
export const sendDeps = (
  deps: Pick<SendDeps, 'ledger' | 'mailer' | 'directory' | 'now'> & Partial<SendDeps>,
): SendDeps => ({ ...SEND_SETTINGS, ...deps });
