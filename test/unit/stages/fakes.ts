import { pino } from 'pino';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { BusEvent, EventBusPort } from '#adapters/events/EventBusPort';
import type { JiraPort, JiraProject, ReleaseIssues } from '#adapters/jira/JiraPort';
import type { OutgoingMessage, QueuePort } from '#adapters/queue/QueuePort';
import { type Contact, normaliseEmail } from '#contracts/contact';
import type { VersionState } from '#contracts/releaseSnapshot';
import { type SendPolicy, type SendPolicyInput, sendPolicy } from '#contracts/sendPolicy';
import type { RecordContext } from '#retry/createSqsHandler';
import { PermanentError } from '#shared/errors';
import type { Log } from '#shared/logger';

/** A logger that keeps every line as a parsed object. */
export interface MemoryLogger {
  logger: Log;
  /** Every line written so far (pino JSON, `msg` is the event name). */
  lines: Array<Record<string, unknown>>;
  /** The lines whose event name is `msg`. */
  events(msg: string): Array<Record<string, unknown>>;
}

/** A pino logger writing into memory, for asserting on events (and on what is never logged). */
export const memoryLogger = (): MemoryLogger => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug', base: undefined },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines, events: (msg) => lines.filter((l) => l.msg === msg) };
};

/** A record context with plenty of time left. */
export const recordContext = (logger: Log = memoryLogger().logger): RecordContext => ({
  logger,
  receiveCount: 1,
  remainingTimeMs: () => 30_000,
});

/** An in-memory queue that records what was sent. */
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
  bodies(queueName: string): unknown[] {
    return this.sent.filter((s) => s.queueName === queueName).map((s) => JSON.parse(s.message.body));
  }
}

/** An in-memory bus that records what was put. */
export class FakeBus implements EventBusPort {
  readonly events: BusEvent[] = [];
  failWith: Error | undefined;

  async put(events: readonly BusEvent[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.events.push(...events);
  }
}

/** An in-memory client directory. */
export class FakeDirectory implements DirectoryPort {
  readonly contacts = new Map<string, Contact[]>();
  readonly policies = new Map<string, SendPolicy>();
  /** Global opt-outs: address → reason. */
  readonly optOuts = new Map<string, string>();

  async listContacts(projectKey: string): Promise<Contact[]> {
    return [...(this.contacts.get(projectKey) ?? [])];
  }

  async getContact(projectKey: string, email: string): Promise<Contact | null> {
    return (this.contacts.get(projectKey) ?? []).find((c) => c.email === normaliseEmail(email)) ?? null;
  }

  async putContact(projectKey: string, contact: Contact): Promise<void> {
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
    return this.optOuts.has(normaliseEmail(email));
  }

  async listProjects(): Promise<string[]> {
    return [...new Set([...this.contacts.keys(), ...this.policies.keys()])];
  }
}

/** An in-memory Jira: versions by id (absent = 404) and projects by id. */
export class FakeJira implements JiraPort {
  readonly siteUrl = 'https://jira.example.com';
  readonly versions = new Map<string, VersionState>();
  readonly projects = new Map<string, JiraProject>();

  async getVersion(versionId: string): Promise<VersionState | null> {
    return this.versions.get(versionId) ?? null;
  }

  async getProject(projectIdOrKey: string): Promise<JiraProject> {
    const project =
      this.projects.get(projectIdOrKey) ?? [...this.projects.values()].find((p) => p.key === projectIdOrKey);
    if (!project) throw new PermanentError('jira_not_found', `project ${projectIdOrKey} not found`);
    return project;
  }

  async listReleaseIssues(): Promise<ReleaseIssues> {
    return { issues: [], truncated: false };
  }
}
