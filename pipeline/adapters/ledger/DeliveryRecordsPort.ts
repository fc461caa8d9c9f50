import type { OutcomeRecord, SesEventType } from './LedgerPort.ts';

/** The recipients of one chunk who got one draft (one audience, one locale). */
export interface PlannedGroup {
  /** Ledger key of the draft they get; undefined when their audience had no issue in scope (no email). */
  draftKey?: string | undefined;
  audience: string;
  locale: string;
  /** Distinct addresses. */
  emails: string[];
}

/**
 * What compose fanned out for one chunk of one point in one time zone: who was planned to get
 * which draft. The report's "planned" figures and the owners' summary are read from it.
 */
export interface ChunkPlan {
  versionId: string;
  projectKey: string;
  /** The version's name in Jira when it was composed. */
  versionName: string;
  pointId: string;
  releaseDate?: string | undefined;
  timeZone: string;
  chunk: { index: number; count: number };
  /** When the point was due, ISO 8601. */
  dueAt: string;
  /** When compose fanned the chunk out, ISO 8601 (the first time: a redelivery keeps it). */
  fannedOutAt: string;
  groups: PlannedGroup[];
}

/** A point outcome row of the release (`missed` / `caught_up`), with its key and time. */
export interface PointOutcomeRow extends OutcomeRecord {
  /** The point outcome key (`pointOutcomeKey`). */
  key: string;
  /** When it was recorded, ISO 8601. */
  at: string;
}

/** What the ledger knows of one release's deliveries, read by key (never a Scan). */
export interface ReleaseRows {
  versionId: string;
  projectKey?: string | undefined;
  versionName?: string | undefined;
  plans: ChunkPlan[];
  pointOutcomes: PointOutcomeRow[];
}

/** What the ledger knows of one email: its send row and SES's events. */
export interface EmailState {
  /**
   * The send row's status: `claimed`, `ambiguous`, `sent`, `rejected`, `missed`,
   * `skipped_release_changed`, `opted_out`, `removed`; undefined when there is no row yet.
   */
  status?: string | undefined;
  /** Why, for a rejected or skipped email. */
  reason?: string | undefined;
  /** The first time of each SES event type recorded for it. */
  events: Partial<Record<SesEventType, string>>;
}

/**
 * The per-release view of the ledger behind `herald report` and the owners' summary. Rows are
 * found by key: compose records each chunk's plan and adds it to the release's index row, so a
 * release is read with one GetItem and BatchGetItems, whatever the size of the table.
 */
export interface DeliveryRecordsPort {
  /** Records a chunk's plan (first writer wins), indexes it under its release, and the version's name. */
  recordFanOut(plan: ChunkPlan): Promise<void>;
  /** Every plan and point outcome indexed under the release; empty lists when none. */
  readRelease(versionId: string): Promise<ReleaseRows>;
  /** The send row and SES events of each send key (absent keys get `{ events: {} }`). */
  readEmails(sendKeys: readonly string[]): Promise<Map<string, EmailState>>;
  /** The version id recorded for a project's version name, or null. */
  versionIdOf(projectKey: string, versionName: string): Promise<string | null>;
}
