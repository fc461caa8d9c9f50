import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type {
  JiraIssue,
  JiraPort,
  JiraProject,
  ListReleaseIssuesOptions,
  ReleaseIssues,
} from '#adapters/jira/JiraPort';
import type { EmailAnswer, EmailRequest, LlmPort } from '#adapters/llm/LlmPort';
import type { OneTimeSchedule, SchedulerPort } from '#adapters/scheduler/SchedulerPort';
import { type Contact, normaliseEmail } from '#contracts/contact';
import { type SendPolicy, type SendPolicyInput, sendPolicy } from '#contracts/sendPolicy';
import type { VersionRecord } from '#ops/jira/readVersionRecord';
import { filterByJql } from '#test/standins/jql';

/** The client directory in memory. */
export class FakeDirectory implements DirectoryPort {
  readonly contacts = new Map<string, Map<string, Contact>>();
  readonly policies = new Map<string, SendPolicy>();
  readonly optOuts = new Map<string, string>();
  /** When set, putContact throws for this address. */
  failOn: string | undefined;

  async listContacts(projectKey: string): Promise<Contact[]> {
    return [...(this.contacts.get(projectKey)?.values() ?? [])];
  }

  async getContact(projectKey: string, email: string): Promise<Contact | null> {
    return this.contacts.get(projectKey)?.get(normaliseEmail(email)) ?? null;
  }

  async putContact(projectKey: string, contact: Contact): Promise<void> {
    if (contact.email === this.failOn) throw new Error('ProvisionedThroughputExceededException');
    const project = this.contacts.get(projectKey) ?? new Map<string, Contact>();
    project.set(contact.email, contact);
    this.contacts.set(projectKey, project);
  }

  async removeContact(projectKey: string, email: string): Promise<boolean> {
    return this.contacts.get(projectKey)?.delete(normaliseEmail(email)) ?? false;
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
    return [...new Set([...this.contacts.keys(), ...this.policies.keys()])].sort();
  }
}

/** Scheduler schedules in memory. */
export class FakeScheduler implements SchedulerPort {
  readonly schedules = new Map<string, OneTimeSchedule>();
  readonly deleted: string[] = [];

  async list(prefix: string): Promise<OneTimeSchedule[]> {
    return [...this.schedules.values()].filter((s) => s.name.startsWith(prefix));
  }

  async create(schedule: OneTimeSchedule): Promise<void> {
    this.schedules.set(schedule.name, schedule);
  }

  async update(schedule: OneTimeSchedule): Promise<void> {
    this.schedules.set(schedule.name, schedule);
  }

  async delete(name: string): Promise<void> {
    this.deleted.push(name);
    this.schedules.delete(name);
  }
}

/** Jira in memory: one project, versions by id, issues per version. */
export class FakeJira implements JiraPort {
  readonly siteUrl = 'https://example.atlassian.net';
  readonly project: JiraProject = { id: '10000', key: 'SHOP', name: 'Example Shop' };
  readonly versions = new Map<string, VersionRecord>();
  readonly issues = new Map<string, JiraIssue[]>();

  async getVersion(versionId: string) {
    const record = this.versions.get(versionId);
    if (!record) return null;
    const { projectId: _, ...version } = record;
    return version;
  }

  async getProject(): Promise<JiraProject> {
    return this.project;
  }

  /** The version's issues matching every `scope` condition (the stand-in's JQL engine). */
  async listReleaseIssues(versionId: string, options?: ListReleaseIssuesOptions): Promise<ReleaseIssues> {
    return {
      issues: filterByJql(this.issues.get(versionId) ?? [], versionId, options?.scope),
      truncated: false,
    };
  }

  /** A {@link ReadVersion} over the same versions. */
  readonly readVersion = async (versionId: string): Promise<VersionRecord | null> =>
    this.versions.get(versionId) ?? null;
}

/** An LLM that answers with an email citing every issue it was given. */
export class FakeLlm implements LlmPort {
  readonly requests: EmailRequest[] = [];

  async writeEmail(request: EmailRequest): Promise<EmailAnswer> {
    this.requests.push(request);
    return {
      model: 'fake-model',
      usage: { promptTokens: 10, completionTokens: 20 },
      email: {
        subject: `${request.versionName} is coming`,
        preheader: 'What changes',
        intro: 'Here is what changes.',
        sections: [
          {
            heading: 'Changes',
            items: request.issues.map((issue) => ({ text: issue.summary, issueKeys: [issue.key] })),
          },
        ],
        outro: 'Thanks',
      },
    };
  }
}
