import type { ChunkPlan, EmailState, ReleaseRows } from '#adapters/ledger/DeliveryRecordsPort';
import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { sendKey } from '#contracts/sendJob';
import { approvalOfPoint } from './approvalOfPoint.ts';
import { type EmailFate, emailFate, isSettled } from './emailFate.ts';
import { estimateCost } from './priceTable.ts';

/** The figures of a set of planned emails. */
export interface DeliveryCounts {
  planned: number;
  /** Accepted by SES (whatever came back after). */
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  /** Sent, delivery delayed (SES retries). */
  delayed: number;
  optedOut: number;
  /** Not sent, by reason (see {@link EmailFate}). */
  skipped: Record<string, number>;
  /** Not settled yet (in flight, retried, ambiguous or dead-lettered). */
  pending: number;
}

/** One point × audience × locale: the draft and its emails. */
export interface ReportRow {
  audience: string;
  locale: string;
  draftKey?: string | undefined;
  /** `llm`, `template` (or `edited` once drafts can be edited); undefined when there is no draft. */
  source?: string | undefined;
  model?: string | undefined;
  llmCalls?: number | undefined;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
  /** Estimated USD of the draft's model calls (see priceTable.ts); undefined when usage was not recorded. */
  estimatedCostUsd?: number | undefined;
  /**
   * Who approved the draft and when (review before send): from the point's approval record when
   * the report is read with one ({@link ReleaseReportInput.approvals}); undefined otherwise.
   */
  approval?: { by: string; at: string } | undefined;
  /** True when the point's drafts are held for review; undefined without an approval record. */
  held?: boolean | undefined;
  counts: DeliveryCounts;
}

/** How one point went in one time zone. */
export interface ZoneReport {
  timeZone: string;
  /**
   * `sent` (fanned out), `caught_up` (fanned out late, within its deadline), `missed`, `held`
   * (review before send held the drafts: nothing sent), `scheduled` (not fired yet).
   */
  status: 'sent' | 'caught_up' | 'missed' | 'held' | 'scheduled';
  /** Why, for missed / caught up (`past_deadline`, `catch_up_skip`, …). */
  reason?: string | undefined;
  dueAt?: string | undefined;
  fannedOutAt?: string | undefined;
  /** Chunks fanned out / chunks of the point in this zone. */
  chunks: { fannedOut: number; count: number };
  /** Recipients of a `scheduled` zone (from its schedules), not fired yet. */
  scheduledRecipients?: number | undefined;
}

/** Addresses that need a person: bounces, complaints, rejections and emails not settled. */
export interface Attention {
  bounced: string[];
  complained: string[];
  rejected: string[];
  pending: string[];
}

/** One release point (`pointId@releaseDate`). */
export interface PointReport {
  pointId: string;
  releaseDate?: string | undefined;
  zones: ZoneReport[];
  rows: ReportRow[];
  totals: DeliveryCounts;
  attention: Attention;
  /** Every planned email settled (see isSettled). */
  settled: boolean;
}

/** A release's delivery report. */
export interface ReleaseReport {
  versionId: string;
  projectKey?: string | undefined;
  versionName?: string | undefined;
  generatedAt: string;
  points: PointReport[];
  totals: DeliveryCounts;
  /** Estimated USD of every draft's model calls: an estimate (see priceTable.ts). */
  estimatedCostUsd: number;
}

/** Which plans a report covers: one point, optionally in one zone (the owners' summary). */
export interface ReportFilter {
  pointId: string;
  releaseDate?: string | undefined;
  timeZone?: string | undefined;
}

/** Empty {@link DeliveryCounts}. */
export const emptyCounts = (): DeliveryCounts => ({
  planned: 0,
  sent: 0,
  delivered: 0,
  bounced: 0,
  complained: 0,
  delayed: 0,
  optedOut: 0,
  skipped: {},
  pending: 0,
});

/** How many emails of `counts` were skipped, whatever the reason. */
export const skippedTotal = (skipped: Record<string, number>): number =>
  Object.values(skipped).reduce((sum, n) => sum + n, 0);

/** The skipped emails by reason as `1 missed, 2 removed`, or `0` when none. */
export const skippedText = (skipped: Record<string, number>): string => {
  const entries = Object.entries(skipped);
  return entries.length === 0 ? '0' : entries.map(([reason, n]) => `${n} ${reason}`).join(', ');
};

/** Adds one email's fate to `counts`. */
const count = (counts: DeliveryCounts, fate: EmailFate): void => {
  counts.planned += 1;
  if (fate.kind === 'sent') {
    counts.sent += 1;
    if (fate.delivery === 'delivered' || fate.delivery === 'complained') counts.delivered += 1;
    if (fate.delivery === 'bounced') counts.bounced += 1;
    if (fate.delivery === 'complained') counts.complained += 1;
    if (fate.delivery === 'delayed') counts.delayed += 1;
  } else if (fate.kind === 'opted_out') counts.optedOut += 1;
  else if (fate.kind === 'skipped') counts.skipped[fate.reason] = (counts.skipped[fate.reason] ?? 0) + 1;
  else counts.pending += 1;
};

/** Adds `from` into `into`. */
const addCounts = (into: DeliveryCounts, from: DeliveryCounts): void => {
  for (const name of [
    'planned',
    'sent',
    'delivered',
    'bounced',
    'complained',
    'delayed',
    'optedOut',
    'pending',
  ] as const) {
    into[name] += from[name];
  }
  for (const [reason, n] of Object.entries(from.skipped))
    into.skipped[reason] = (into.skipped[reason] ?? 0) + n;
};

/** `pointId@releaseDate`: the key of a point in {@link ReleaseReportInput.approvals}. */
export const pointKeyOf = (p: { pointId: string; releaseDate?: string | undefined }): string =>
  `${p.pointId}@${p.releaseDate ?? 'none'}`;

/** True when a plan or point outcome is one `filter` covers (no filter: all). */
const covers = (
  filter: ReportFilter | undefined,
  p: { pointId: string; releaseDate?: string | undefined; timeZone?: string | undefined },
): boolean =>
  filter === undefined ||
  (p.pointId === filter.pointId &&
    p.releaseDate === filter.releaseDate &&
    (filter.timeZone === undefined || p.timeZone === filter.timeZone));

/** The plans a filter covers. */
export const plansOf = (plans: readonly ChunkPlan[], filter?: ReportFilter): ChunkPlan[] =>
  plans.filter((plan) => covers(filter, plan));

/** The send keys of every planned email of `plans` that has a draft. */
export const sendKeysOf = (plans: readonly ChunkPlan[]): string[] =>
  plans.flatMap((plan) =>
    plan.groups
      .filter((g) => g.draftKey !== undefined)
      .flatMap((g) => g.emails.map((email) => sendKey(plan, email))),
  );

/** The report row of one draft, its usage priced. */
const rowOf = (
  audience: string,
  locale: string,
  draftKey: string | undefined,
  draft: EmailDraft | null | undefined,
): ReportRow => {
  const usage = draft?.usage;
  return {
    audience,
    locale,
    draftKey,
    source: draft?.source,
    model: draft?.model,
    llmCalls: usage?.llmCalls,
    promptTokens: usage?.promptTokens,
    completionTokens: usage?.completionTokens,
    estimatedCostUsd:
      usage && usage.llmCalls > 0 ? estimateCost(draft?.model, usage).usd : usage ? 0 : undefined,
    approval: undefined,
    held: undefined,
    counts: emptyCounts(),
  };
};

/** Inputs of {@link buildReleaseReport}. */
export interface ReleaseReportInput {
  rows: ReleaseRows;
  emails: ReadonlyMap<string, EmailState>;
  drafts: ReadonlyMap<string, EmailDraft | null>;
  /**
   * The approval records of the release's points (review before send), by
   * `<pointId>@<releaseDate|none>`; a point without one shows no approval. Default none.
   */
  approvals?: ReadonlyMap<string, ApprovalRecord> | undefined;
  now: Date;
  filter?: ReportFilter | undefined;
}

/** The points of a report being built, by {@link pointKeyOf}. */
type PointsByKey = Map<string, PointReport>;

/** The point of `p` in `points`, added (settled, with nothing in it) the first time. */
const pointOf = (
  points: PointsByKey,
  p: { pointId: string; releaseDate?: string | undefined },
): PointReport => {
  const key = pointKeyOf(p);
  let point = points.get(key);
  if (!point) {
    point = {
      pointId: p.pointId,
      releaseDate: p.releaseDate,
      zones: [],
      rows: [],
      totals: emptyCounts(),
      attention: { bounced: [], complained: [], rejected: [], pending: [] },
      settled: true,
    };
    points.set(key, point);
  }
  return point;
};

/** The zone `timeZone` of `point`, added (`sent`, no chunks yet) the first time. */
const zoneOf = (point: PointReport, timeZone: string): ZoneReport => {
  let zone = point.zones.find((z) => z.timeZone === timeZone);
  if (!zone) {
    zone = { timeZone, status: 'sent', chunks: { fannedOut: 0, count: 0 } };
    point.zones.push(zone);
  }
  return zone;
};

/** The row of a plan's group in `point`, added with its draft priced the first time. */
const groupRowOf = (
  point: PointReport,
  group: ChunkPlan['groups'][number],
  drafts: ReleaseReportInput['drafts'],
): ReportRow => {
  let row = point.rows.find((r) => r.audience === group.audience && r.locale === group.locale);
  if (!row) {
    const draft = group.draftKey ? drafts.get(group.draftKey) : undefined;
    row = rowOf(group.audience, group.locale, group.draftKey, draft);
    point.rows.push(row);
  }
  return row;
};

/** Lists `email` under what needs a person, if its fate does (see {@link Attention}). */
const noteAttention = (attention: Attention, email: string, fate: EmailFate): void => {
  if (fate.kind === 'sent' && fate.delivery === 'bounced') attention.bounced.push(email);
  if (fate.kind === 'sent' && fate.delivery === 'complained') attention.complained.push(email);
  if (fate.kind === 'skipped' && fate.reason === 'rejected') attention.rejected.push(email);
  if (fate.kind === 'pending') attention.pending.push(email);
};

/** Adds one fanned-out chunk to its point: its zone's progress, then each email's fate by row. */
const addPlan = (points: PointsByKey, plan: ChunkPlan, input: ReleaseReportInput): void => {
  const point = pointOf(points, plan);
  const zone = zoneOf(point, plan.timeZone);
  zone.chunks.fannedOut += 1;
  zone.chunks.count = plan.chunk.count;
  zone.dueAt = plan.dueAt;
  if (zone.fannedOutAt === undefined || plan.fannedOutAt < zone.fannedOutAt)
    zone.fannedOutAt = plan.fannedOutAt;
  for (const group of plan.groups) {
    const row = groupRowOf(point, group, input.drafts);
    for (const email of group.emails) {
      const fate = emailFate(input.emails.get(sendKey(plan, email)), group.draftKey !== undefined);
      count(row.counts, fate);
      if (!isSettled(fate)) point.settled = false;
      noteAttention(point.attention, email, fate);
    }
  }
};

/** Sets each covered point outcome on its zone: the status (missed, caught up, held) and why. */
const addOutcomes = (points: PointsByKey, input: ReleaseReportInput): void => {
  for (const outcome of input.rows.pointOutcomes) {
    if (!covers(input.filter, outcome)) continue;
    const zone = zoneOf(pointOf(points, outcome), outcome.timeZone ?? 'UTC');
    if (outcome.status === 'missed' || outcome.status === 'caught_up' || outcome.status === 'held') {
      zone.status = outcome.status;
    }
    zone.reason = outcome.reason;
  }
};

/**
 * Puts a point's rows (by audience, locale) and zones (by due time, zone) in order, shows the
 * approval on the rows `review` covers, and sums the rows into the point's totals.
 */
const finishPoint = (point: PointReport, review: ApprovalRecord | undefined): void => {
  point.rows.sort((a, b) => `${a.audience}\n${a.locale}`.localeCompare(`${b.audience}\n${b.locale}`));
  point.zones.sort(
    (a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.timeZone.localeCompare(b.timeZone),
  );
  for (const row of point.rows) {
    if (review && row.draftKey !== undefined && review.draftKeys.includes(row.draftKey)) {
      Object.assign(row, approvalOfPoint(review));
    }
    addCounts(point.totals, row.counts);
  }
};

/**
 * Builds the delivery report of a release (or of one point with `filter`) from its ledger rows:
 * per point, its zones (sent, caught up, missed), one row per audience × locale with the draft's
 * source, model, tokens and estimated cost, and what became of each planned email.
 */
export const buildReleaseReport = (input: ReleaseReportInput): ReleaseReport => {
  const points: PointsByKey = new Map();
  for (const plan of plansOf(input.rows.plans, input.filter)) addPlan(points, plan, input);
  addOutcomes(points, input);

  const totals = emptyCounts();
  let estimatedCostUsd = 0;
  const sorted = [...points.values()].sort((a, b) => earliest(a).localeCompare(earliest(b)));
  for (const point of sorted) {
    finishPoint(point, input.approvals?.get(pointKeyOf(point)));
    for (const row of point.rows) estimatedCostUsd += row.estimatedCostUsd ?? 0;
    addCounts(totals, point.totals);
  }
  return {
    versionId: input.rows.versionId,
    projectKey: input.rows.projectKey,
    versionName: input.rows.versionName,
    generatedAt: input.now.toISOString(),
    points: sorted,
    totals,
    estimatedCostUsd,
  };
};

/** The earliest due time of a point, for ordering (points without one last). */
const earliest = (point: PointReport): string => point.zones.map((z) => z.dueAt ?? '~').sort()[0] ?? '~';
