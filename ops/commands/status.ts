import {
  ListSchedulesCommand,
  type ListSchedulesCommandOutput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StackNames } from '#local/stackNames';
import { OpsError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderTable } from '#ops/cli/table';
import { formatAge } from '#ops/format/formatAge';
import { type ApprovalReport, readApprovals, renderApprovals } from '#ops/ledger/readApprovals';
import { type OutcomeReport, readOutcomes, renderOutcomes } from '#ops/ledger/readOutcomes';
import { countUnsettledSends, type UnsettledSends } from '#ops/ledger/unsettledSends';
import { type QueueDepth, queueDepth } from '#ops/sqs/queueDepth';
import { queueUrlOf } from '#ops/sqs/queueRef';
import { activeRegionOf } from '#ops/region/activeRegionOf';
import { type RegionView, regionView, renderRegionLine } from '#ops/region/regionView';
import { receiveMessages } from '#ops/sqs/receiveMessages';
import {
  QUEUE_ROLES,
  type QueueRole,
  resourceName,
  STAGES,
  type StageName,
  topology,
} from '#topology/topology';

/** One queue in the status report. */
export interface QueueStatus extends QueueDepth {
  name: string;
  /** False when the queue does not exist (counts are then 0). */
  exists: boolean;
  /**
   * Age of the oldest message seen, seconds (now − SentTimestamp). Only for DLQs, from a sample
   * of up to 10 messages received without hiding them: SQS publishes the oldest age of other
   * queues only as a CloudWatch metric, and receiving from them would count toward their retry
   * ladder. Undefined when not known.
   */
  oldestAgeSeconds?: number | undefined;
  /** True when the DLQ holds more messages than were sampled (the real oldest may be older). */
  oldestAgeSampled?: boolean | undefined;
}

/** The three queues of a stage. */
export interface StageStatus {
  stage: StageName;
  queues: Record<QueueRole, QueueStatus>;
}

/** Pending schedules of the environment's schedule group. */
export interface ScheduleCounts {
  group: string;
  /** False when the group does not exist. */
  exists: boolean;
  /** Send-point schedules (`rh-…`). */
  sendPoints: number;
  /** Long reschedules of the retry ladder (`rr-…`). */
  reschedules: number;
  /** Anything else in the group. */
  other: number;
}

/**
 * A dead-letter queue outside the stages: what an EventBridge target could not deliver. Deployed
 * by infra/ on AWS; the local stack has the feedback one only, and a missing one is simply not shown.
 */
export interface OtherDeadLetterQueue extends QueueStatus {
  /** What it holds: `rule` (Jira events for the ingest queue), `feedback` (SES bounces and complaints). */
  source: 'rule' | 'feedback';
}

/** What `herald status` reports. */
export interface StatusReport {
  env: string;
  /** When the counts were read, ISO 8601. */
  checkedAt: string;
  stages: StageStatus[];
  /** Messages in every DLQ, the stages' and the others (visible + in flight + delayed). */
  deadLetters: number;
  /** Stages whose DLQ is not empty. */
  deadLetterStages: StageName[];
  /** The rule and feedback DLQs that exist. */
  otherDeadLetterQueues: OtherDeadLetterQueue[];
  /** Queues that do not exist. */
  missingQueues: string[];
  schedules: ScheduleCounts;
  /** Unsettled send rows of the ledger (`ambiguous`: SES outcome unknown); absent when not read. */
  sends?: UnsettledSends | undefined;
  /** Which region composes and sends, from the ledger replica read; absent when there is no ledger table. */
  activeRegion?: RegionView | undefined;
  /** Late and missed points and emails recorded in the ledger; absent when there is no ledger table. */
  outcomes?: OutcomeReport | undefined;
  /** Review before send: points by approval state, and approvers whose review emails bounced. */
  approvals?: ApprovalReport | undefined;
}

/** What {@link readStatus} needs. */
export interface StatusDeps {
  sqs: SQSClient;
  scheduler: SchedulerClient;
  names: StackNames;
  now: () => Date;
  /** Reads the ledger's unsettled sends when given. Default none. */
  documents?: DynamoDBDocumentClient | undefined;
}

/** A read of a table that is not there gives `undefined`; any other failure is rethrown. */
const undefinedWhenMissing = (err: unknown): undefined => {
  if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
  throw err;
};

const total = (q: QueueDepth): number => q.visible + q.inFlight + q.delayed;

const readQueue = async (deps: StatusDeps, name: string, role: QueueRole): Promise<QueueStatus> => {
  const url = await queueUrlOf(deps.sqs, name);
  if (url === undefined) return { name, exists: false, visible: 0, inFlight: 0, delayed: 0 };
  const depth = await queueDepth(deps.sqs, url);
  if (role !== 'dlq' || depth.visible === 0) return { name, exists: true, ...depth };
  // Visibility 0: the sample stays visible, so a redrive running at the same time loses nothing.
  const sample = await receiveMessages(deps.sqs, url, { max: 10, visibilityTimeoutSeconds: 0 });
  const sent = sample.map((m) => Number(m.Attributes?.SentTimestamp)).filter((t) => Number.isFinite(t));
  const oldest = sent.length > 0 ? Math.min(...sent) : undefined;
  return {
    name,
    exists: true,
    ...depth,
    oldestAgeSeconds:
      oldest === undefined ? undefined : Math.max(0, Math.floor((deps.now().getTime() - oldest) / 1000)),
    oldestAgeSampled: total(depth) > sample.length,
  };
};

const readSchedules = async (deps: StatusDeps): Promise<ScheduleCounts> => {
  const counts: ScheduleCounts = {
    group: deps.names.scheduleGroup,
    exists: true,
    sendPoints: 0,
    reschedules: 0,
    other: 0,
  };
  let NextToken: string | undefined;
  do {
    let page: ListSchedulesCommandOutput;
    try {
      page = await deps.scheduler.send(
        new ListSchedulesCommand({ GroupName: deps.names.scheduleGroup, MaxResults: 100, NextToken }),
      );
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException')
        return { ...counts, exists: false };
      throw err;
    }
    for (const { Name = '' } of page.Schedules ?? []) {
      if (Name.startsWith(`${topology.schedulePrefix}-`)) counts.sendPoints++;
      else if (Name.startsWith(`${topology.reschedulePrefix}-`)) counts.reschedules++;
      else counts.other++;
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return counts;
};

/**
 * Reads every stage's queues (visible, in flight, delayed; the oldest age of non-empty DLQs) and
 * counts the pending schedules. Nothing is changed; DLQ samples are received with visibility 0.
 */
export const readStatus = async (deps: StatusDeps): Promise<StatusReport> => {
  const checkedAt = deps.now().toISOString();
  const others = [
    { source: 'rule', name: resourceName(topology.rule.deadLetterQueue, deps.names.env) },
    { source: 'feedback', name: resourceName(topology.feedback.deadLetterQueue, deps.names.env) },
  ] as const;
  const [stages, schedules, otherQueues, sends] = await Promise.all([
    Promise.all(
      STAGES.map(async (stage): Promise<StageStatus> => {
        const entries = await Promise.all(
          QUEUE_ROLES.map(
            async (role) => [role, await readQueue(deps, deps.names.queues[stage][role], role)] as const,
          ),
        );
        return { stage, queues: Object.fromEntries(entries) as Record<QueueRole, QueueStatus> };
      }),
    ),
    readSchedules(deps),
    Promise.all(others.map(async (o) => ({ source: o.source, ...(await readQueue(deps, o.name, 'dlq')) }))),
    deps.documents
      ? // No ledger table: the environment is not there, which the missing queues report.
        countUnsettledSends(deps.documents, deps.names.tables.ledger).catch(undefinedWhenMissing)
      : undefined,
  ]);
  const deadLetterStages = stages.filter((s) => total(s.queues.dlq) > 0).map((s) => s.stage);
  const otherDeadLetterQueues = otherQueues.filter((q) => q.exists);
  return {
    env: deps.names.env,
    checkedAt,
    stages,
    deadLetters:
      stages.reduce((sum, s) => sum + total(s.queues.dlq), 0) +
      otherDeadLetterQueues.reduce((sum, q) => sum + total(q), 0),
    deadLetterStages,
    otherDeadLetterQueues,
    missingQueues: stages.flatMap((s) =>
      QUEUE_ROLES.map((r) => s.queues[r])
        .filter((q) => !q.exists)
        .map((q) => q.name),
    ),
    schedules,
    ...(sends ? { sends } : {}),
  };
};

const ageCell = (q: QueueStatus): string =>
  q.oldestAgeSeconds === undefined ? '-' : `${q.oldestAgeSampled ? '≥' : ''}${formatAge(q.oldestAgeSeconds)}`;

const noteCell = (role: QueueRole, q: QueueStatus): string => {
  if (!q.exists) return 'MISSING';
  return role === 'dlq' && total(q) > 0 ? 'DLQ NOT EMPTY' : '';
};

/** The report as text: one row per queue, then the schedules and what needs attention. */
export const renderStatus = (report: StatusReport): string => {
  const rows = report.stages.flatMap((s) =>
    QUEUE_ROLES.map((role, i) => {
      const q = s.queues[role];
      return [i === 0 ? s.stage : '', role, q.visible, q.inFlight, q.delayed, ageCell(q), noteCell(role, q)];
    }),
  );
  for (const q of report.otherDeadLetterQueues) {
    rows.push([q.source, 'dlq', q.visible, q.inFlight, q.delayed, ageCell(q), noteCell('dlq', q)]);
  }
  const table = renderTable(['stage', 'queue', 'visible', 'in flight', 'delayed', 'oldest', ''], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
  ]);
  const { schedules } = report;
  const scheduleLine = schedules.exists
    ? `schedules (${schedules.group}): ${schedules.sendPoints} send point(s), ${schedules.reschedules} reschedule(s) pending${schedules.other > 0 ? `, ${schedules.other} other` : ''}`
    : `schedules: group ${schedules.group} does not exist`;
  const lines = [
    `environment ${report.env || '(default)'} at ${report.checkedAt}`,
    '',
    table,
    '',
    scheduleLine,
  ];
  if (report.deadLetters > 0) {
    const places = [
      ...report.deadLetterStages,
      ...report.otherDeadLetterQueues.filter((q) => total(q) > 0).map((q) => q.name),
    ];
    lines.push(
      `dead letters: ${report.deadLetters} in ${places.join(', ')}; inspect a stage's with \`herald dlq peek <stage>\``,
    );
  }
  if (report.sends) {
    lines.push(
      `sends not settled: ${report.sends.claimed} claimed, ${report.sends.ambiguous} ambiguous (SES outcome unknown: settled by SES's events, else after the send lease)`,
    );
  }
  if (report.missingQueues.length > 0) lines.push(`missing queues: ${report.missingQueues.join(', ')}`);
  lines.push(
    report.activeRegion ? renderRegionLine(report.activeRegion) : 'active region: unknown (no ledger table)',
  );
  if (report.outcomes) lines.push(...renderOutcomes(report.outcomes));
  if (report.approvals) lines.push(...renderApprovals(report.approvals));
  return lines.join('\n');
};

/** Options of `herald status`. */
export interface StatusOptions {
  json?: boolean | undefined;
  check?: boolean | undefined;
}

/**
 * `herald status`: prints the report. Exit 1 when a queue is missing (every queue missing is an
 * error: the environment is not there), 3 with `--check` when a DLQ is not empty.
 */
export const statusAction = async (ctx: OpsContext, options: StatusOptions): Promise<ExitCode> => {
  const report = await readStatus({
    sqs: ctx.clients.sqs,
    scheduler: ctx.clients.scheduler,
    names: ctx.names,
    now: ctx.now,
    documents: ctx.clients.documents,
  });
  if (report.missingQueues.length === report.stages.length * QUEUE_ROLES.length) {
    throw new OpsError(
      `no queues of environment "${ctx.env || '(default)'}" exist here (check --env, --region and --endpoint)`,
    );
  }
  report.activeRegion = await activeRegionOf(ctx)
    .get()
    .then((record) => regionView(record, ctx.now()))
    .catch(undefinedWhenMissing);
  const ledger = { documents: ctx.clients.documents, tableName: ctx.names.tables.ledger };
  report.outcomes = await readOutcomes(ledger).catch(undefinedWhenMissing);
  report.approvals = await readApprovals(ledger).catch(undefinedWhenMissing);
  if (options.json) ctx.output.json(report);
  else ctx.output.out(renderStatus(report));
  if (report.missingQueues.length > 0) return EXIT_CODES.failed;
  if (options.check && report.deadLetters > 0) return EXIT_CODES.attention;
  return EXIT_CODES.ok;
};
