import type { OneTimeSchedule, SchedulerPort } from '#adapters/scheduler/SchedulerPort';

/** One call made to a {@link FakeScheduler}. */
export interface SchedulerCall {
  op: 'list' | 'create' | 'update' | 'delete';
  /** Schedule name, or the prefix for `list`. */
  name: string;
}

/**
 * The one in-memory EventBridge Scheduler group with the port's semantics: create on an existing
 * name updates, update on a missing name creates, delete of a missing name is fine.
 */
export class FakeScheduler implements SchedulerPort {
  readonly schedules = new Map<string, OneTimeSchedule>();
  readonly calls: SchedulerCall[] = [];
  /** Every schedule passed to `create`, in call order. */
  readonly created: OneTimeSchedule[] = [];
  /** When it returns an error for a call, that call rejects with it (before any change). */
  failWith: ((call: SchedulerCall) => Error | undefined) | undefined;

  /** The write calls (create, update, delete) made so far. */
  writes(): SchedulerCall[] {
    return this.calls.filter((c) => c.op !== 'list');
  }

  async list(prefix: string): Promise<OneTimeSchedule[]> {
    this.#record({ op: 'list', name: prefix });
    return [...this.schedules.values()].filter((s) => s.name.startsWith(prefix)).map((s) => ({ ...s }));
  }

  async create(schedule: OneTimeSchedule): Promise<void> {
    this.#record({ op: 'create', name: schedule.name });
    this.created.push(schedule);
    this.schedules.set(schedule.name, { ...schedule });
  }

  async update(schedule: OneTimeSchedule): Promise<void> {
    this.#record({ op: 'update', name: schedule.name });
    this.schedules.set(schedule.name, { ...schedule });
  }

  async delete(name: string): Promise<void> {
    this.#record({ op: 'delete', name });
    this.schedules.delete(name);
  }

  #record(call: SchedulerCall): void {
    this.calls.push(call);
    const error = this.failWith?.(call);
    if (error) throw error;
  }
}
