import type { Contact } from '#contracts/contact';
import type { SendPolicy, SendPolicyInput } from '#contracts/sendPolicy';

/** The client directory: contacts and send policy per Jira project key, and global opt-outs. */
export interface DirectoryPort {
  /** Every contact of a project (opted-out ones included, flagged). */
  listContacts(projectKey: string): Promise<Contact[]>;
  /**
   * One contact of a project (opted out or not), or null when the project has no contact with
   * that address. Strongly consistent: a removal or opt-out that just landed is seen.
   */
  getContact(projectKey: string, email: string): Promise<Contact | null>;
  /** Adds or replaces a contact. */
  putContact(projectKey: string, contact: Contact): Promise<void>;
  /** Removes a contact; resolves false when there was none. */
  removeContact(projectKey: string, email: string): Promise<boolean>;
  /** The project's send policy, or null when it has none (the default applies). */
  getPolicy(projectKey: string): Promise<SendPolicy | null>;
  /** Stores a project's send policy (validated; absent fields take their defaults). */
  putPolicy(projectKey: string, policy: SendPolicyInput): Promise<void>;
  /** Opts an address out everywhere (CLI, unsubscribe link, SES bounce or complaint). */
  optOut(email: string, reason: string): Promise<void>;
  /** True when the address opted out anywhere. */
  isOptedOut(email: string): Promise<boolean>;
  /** Every project key that has contacts or a policy. */
  listProjects(): Promise<string[]>;
}
