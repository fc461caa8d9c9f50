import type { EmailAnswer, EmailRequest, LlmPort } from '#adapters/llm/LlmPort';
import type { OneTimeSchedule, SchedulerPort } from '#adapters/scheduler/SchedulerPort';

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
