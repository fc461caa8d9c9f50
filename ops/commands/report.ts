import { writeFile } from 'node:fs/promises';
import { DynamoDeliveryRecords } from '#adapters/ledger/DynamoDeliveryRecords';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import type { OpsReport } from '#ops/report/opsReport';
import { releaseDeadLetters } from '#ops/report/releaseDeadLetters';
import { renderReportHtml } from '#ops/report/renderReportHtml';
import { renderReportTable } from '#ops/report/renderReportTable';
import { readReleaseReport } from '#shared/report/readReleaseReport';
import type { PointReport, ReleaseReport } from '#shared/report/releaseReport';
import { emptyCounts } from '#shared/report/releaseReport';
import { topology } from '#topology/topology';
import { listSchedules, schedulerPort } from './schedules.ts';

/** Options of `herald report`. */
export interface ReportOptions {
  json?: boolean | undefined;
  /** Write the self-contained HTML page here. */
  html?: string | undefined;
}

const VERSION_ID = /^\d{1,18}$/;

/** The version id `herald report` was given: an id, or a project key and a version name (resolved in the ledger). */
const versionIdOf = async (records: DynamoDeliveryRecords, release: readonly string[]): Promise<string> => {
  const [first = '', ...rest] = release;
  if (rest.length === 0) {
    if (!VERSION_ID.test(first)) {
      throw new UsageError(
        `"${first}" is not a version id; give the id (10001) or a project key and version name (SHOP 2026.12)`,
      );
    }
    return first;
  }
  const name = rest.join(' ');
  const id = await records.versionIdOf(first, name);
  if (id === null) {
    throw new OpsError(
      `no release "${name}" of project ${first} in the ledger: none of its points has fired yet (try its version id)`,
    );
  }
  return id;
};

/** Adds the release's pending schedules to the report as `scheduled` zones. */
const withScheduled = async (ctx: OpsContext, report: ReleaseReport): Promise<ReleaseReport> => {
  const schedules = await listSchedules(schedulerPort(ctx), { release: report.versionId });
  const points = [...report.points];
  for (const schedule of schedules) {
    if (schedule.pointId === undefined) continue;
    let point = points.find((p) => p.pointId === schedule.pointId);
    if (!point) {
      point = {
        pointId: schedule.pointId,
        releaseDate: undefined,
        zones: [],
        rows: [],
        totals: emptyCounts(),
        attention: { bounced: [], complained: [], rejected: [], pending: [] },
        settled: false,
      } satisfies PointReport;
      points.push(point);
    }
    const zone = point.zones.find((z) => z.timeZone === schedule.timeZone && z.status === 'scheduled');
    if (zone) zone.scheduledRecipients = (zone.scheduledRecipients ?? 0) + (schedule.recipients ?? 0);
    else
      point.zones.push({
        timeZone: schedule.timeZone,
        status: 'scheduled',
        dueAt: schedule.dueAt,
        chunks: { fannedOut: 0, count: 0 },
        scheduledRecipients: schedule.recipients ?? 0,
      });
  }
  return { ...report, points };
};

/**
 * `herald report <versionId | PROJECT versionName>`: the release's delivery report from the
 * ledger (read by key), its pending schedules and its dead letters; a table, `--json`, and with
 * `--html FILE` a self-contained page. Exit 1 when the ledger knows nothing of the release and
 * nothing is scheduled.
 */
export const reportAction = async (
  ctx: OpsContext,
  release: readonly string[],
  options: ReportOptions,
): Promise<ExitCode> => {
  const common = {
    client: ctx.clients.documents,
    tableName: ctx.names.tables.ledger,
    ttlSeconds: topology.ledgerTtlSeconds,
  };
  const records = new DynamoDeliveryRecords(common);
  const ledger = new DynamoLedger(common);
  const versionId = await versionIdOf(records, release);
  // The ledger also holds the points' approval records (review before send): the approval column.
  const fromLedger = await readReleaseReport({ records, ledger, approvals: ledger, now: ctx.now }, versionId);
  const withSchedules = await withScheduled(ctx, fromLedger);
  if (withSchedules.points.length === 0) {
    throw new OpsError(`no delivery records and no schedules for version ${versionId}`);
  }
  const report: OpsReport = {
    ...withSchedules,
    deadLetters: await releaseDeadLetters(ctx.clients.sqs, ctx.names.queues, versionId),
  };
  if (options.html !== undefined) {
    await writeFile(options.html, renderReportHtml(report));
    ctx.output.note(`wrote ${options.html}`);
  }
  if (options.json) ctx.output.json(report);
  else ctx.output.out(renderReportTable(report));
  return EXIT_CODES.ok;
};
