import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { type Contact, normaliseEmail } from '#contracts/contact';
import { type SendPolicy, type SendPolicyInput, sendPolicy } from '#contracts/sendPolicy';

/** The one in-memory client directory ({@link DirectoryPort}). */
export class FakeDirectory implements DirectoryPort {
  /** Contacts per project key. */
  readonly contacts = new Map<string, Contact[]>();
  readonly policies = new Map<string, SendPolicy>();
  /** Global opt-outs: address → reason. */
  readonly optOuts = new Map<string, string>();
  /** When set, `putContact` throws for this address (a throttled write). */
  failOn: string | undefined;
  /** Every lookup, `isOptedOut:<email>` or `getContact:<projectKey>:<email>`. */
  readonly checked: string[] = [];

  async listContacts(projectKey: string): Promise<Contact[]> {
    return [...(this.contacts.get(projectKey) ?? [])];
  }

  async getContact(projectKey: string, email: string): Promise<Contact | null> {
    this.checked.push(`getContact:${projectKey}:${email}`);
    return (this.contacts.get(projectKey) ?? []).find((c) => c.email === normaliseEmail(email)) ?? null;
  }

  async putContact(projectKey: string, contact: Contact): Promise<void> {
    if (contact.email === this.failOn) throw new Error('ProvisionedThroughputExceededException');
    const others = (this.contacts.get(projectKey) ?? []).filter((c) => c.email !== contact.email);
    this.contacts.set(projectKey, [...others, contact]);
  }

  async removeContact(projectKey: string, email: string): Promise<boolean> {
    const list = this.contacts.get(projectKey) ?? [];
    const kept = list.filter((c) => c.email !== normaliseEmail(email));
    this.contacts.set(projectKey, kept);
    return kept.length !== list.length;
  }

  async getPolicy(projectKey: string): Promise<SendPolicy | null> {
    return this.policies.get(projectKey) ?? null;
  }

  async putPolicy(projectKey: string, policy: SendPolicyInput): Promise<void> {
    this.policies.set(projectKey, sendPolicy.parse(policy));
  }

  async optOut(email: string, reason: string): Promise<void> {
    this.optOuts.set(normaliseEmail(email), reason);
  }

  async isOptedOut(email: string): Promise<boolean> {
    this.checked.push(`isOptedOut:${email}`);
    return this.optOuts.has(normaliseEmail(email));
  }

  /** Projects with contacts or a policy, sorted. */
  async listProjects(): Promise<string[]> {
    return [...new Set([...this.contacts.keys(), ...this.policies.keys()])].sort();
  }
}
