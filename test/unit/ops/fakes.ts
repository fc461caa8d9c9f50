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
