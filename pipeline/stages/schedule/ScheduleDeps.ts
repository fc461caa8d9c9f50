import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { SchedulerPort } from '#adapters/scheduler/SchedulerPort';

/** What the schedule stage needs. */
export interface ScheduleDeps {
  scheduler: SchedulerPort;
  /** The per-release watermark (ledger table) that orders snapshots of one release. */
  ledger: Pick<LedgerPort, 'claimRelease' | 'getReleaseWatermark' | 'getDraft' | 'recordPointOutcome'>;
  /** Where due compose.jobs (compose queue) and re-plans (enrich queue) are sent. */
  queue: Pick<QueuePort, 'send'>;
  /** ARN of the compose queue, the target of every send-point schedule. */
  composeQueueArn: string;
  /** Clock. Read afresh before each write. */
  now: () => Date;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string;
  /** Scheduler calls in flight at once per record. Default 4. */
  concurrency?: number;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string;
  /** Scheduler Input limit, bytes. Default `topology.scheduleInputLimit`. */
  inputLimit?: number;
  /**
   * A point due within this many milliseconds is sent straight to the compose queue instead of
   * being scheduled. Default `FIRE_WINDOW_MS` (2 minutes).
   */
  fireWindowMs?: number;
}
