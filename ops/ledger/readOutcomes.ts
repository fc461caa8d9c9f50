import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

/** One recorded point or email outcome, as `herald status` shows it (never an address). */
export interface OutcomeView {
  /** `point` (a point in one zone, or one compose job) or `email` (one recipient). */
  kind: 'point' | 'email';
  /** `missed`, `caught_up` or `skipped_release_changed`. */
  status: string;
  reason: string;
  versionId: string;
  pointId: string;
  releaseDate?: string | undefined;
  timeZone?: string | undefined;
  /** When it was recorded, ISO 8601. */
  at: string;
}

/** Late and missed points and emails recorded in the ledger. */
export interface OutcomeReport {
  points: { missed: number; caughtUp: number };
  emails: { missed: number; skippedReleaseChanged: number };
  /** The most recent outcomes, newest first (at most `recent` of them). */
  recent: OutcomeView[];
}

/** Options of {@link readOutcomes}. */
export interface ReadOutcomesOptions {
  documents: DynamoDBDocumentClient;
  /** Physical name of the ledger table. */
  tableName: string;
  /** How many of the newest outcomes to list. Default 5. */
  recent?: number;
}

const OUTCOME_STATUSES = ['missed', 'caught_up', 'skipped_release_changed'] as const;

/** The attributes read besides `pk`. */
const PROJECTED = ['status', 'reason', 'versionId', 'pointId', 'releaseDate', 'timeZone', 'at'] as const;

/**
 * Reads the ledger's point and email outcomes (rows `point#…` and send rows whose status is
 * `missed` or `skipped_release_changed`): counts and the newest few. A paged Scan with a filter,
 * read only; its cost grows with the ledger (one row per email, kept 90 days).
 */
export const readOutcomes = async (options: ReadOutcomesOptions): Promise<OutcomeReport> => {
  const report: OutcomeReport = {
    points: { missed: 0, caughtUp: 0 },
    emails: { missed: 0, skippedReleaseChanged: 0 },
    recent: [],
  };
  const all: OutcomeView[] = [];
  const pages = paginateScan(
    { client: options.documents },
    {
      TableName: options.tableName,
      FilterExpression: '#status IN (:s0, :s1, :s2) AND (begins_with(pk, :point) OR begins_with(pk, :send))',
      // Every name aliased: DynamoDB reserves some of them (timeZone, status).
      ProjectionExpression: `pk, ${PROJECTED.map((name) => `#${name}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(PROJECTED.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: {
        ':s0': OUTCOME_STATUSES[0],
        ':s1': OUTCOME_STATUSES[1],
        ':s2': OUTCOME_STATUSES[2],
        ':point': 'point#',
        ':send': 'send#',
      },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const kind = String(item.pk).startsWith('point#') ? 'point' : 'email';
      const status = String(item.status);
      if (kind === 'point') {
        if (status === 'missed') report.points.missed += 1;
        else if (status === 'caught_up') report.points.caughtUp += 1;
      } else if (status === 'missed') report.emails.missed += 1;
      else if (status === 'skipped_release_changed') report.emails.skippedReleaseChanged += 1;
      all.push({
        kind,
        status,
        reason: String(item.reason ?? ''),
        versionId: String(item.versionId ?? ''),
        pointId: String(item.pointId ?? ''),
        ...(typeof item.releaseDate === 'string' ? { releaseDate: item.releaseDate } : {}),
        ...(typeof item.timeZone === 'string' ? { timeZone: item.timeZone } : {}),
        at: String(item.at ?? ''),
      });
    }
  }
  report.recent = all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, options.recent ?? 5);
  return report;
};

/** The report as text lines for `herald status`. */
export const renderOutcomes = (report: OutcomeReport): string[] => [
  `late points: ${report.points.missed} missed, ${report.points.caughtUp} caught up; emails not sent: ${report.emails.missed} missed, ${report.emails.skippedReleaseChanged} skipped (release changed)`,
  ...report.recent.map(
    (o) =>
      `  ${o.at} ${o.kind} ${o.status} (${o.reason}): version ${o.versionId} point ${o.pointId}${o.releaseDate ? `@${o.releaseDate}` : ''}${o.timeZone ? ` ${o.timeZone}` : ''}`,
  ),
];
