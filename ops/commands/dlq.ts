import { OpsError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import type { Progress } from '#ops/cli/progress';
import { renderTable } from '#ops/cli/table';
import type { DeadLetterView } from '#ops/dlq/deadLetterView';
import { type PeekResult, peekDeadLetters } from '#ops/dlq/peekDeadLetters';
import { type PurgeResult, purgeDeadLetters } from '#ops/dlq/purgeDeadLetters';
import { type RedriveReport, redriveDeadLetters } from '#ops/dlq/redriveDeadLetters';
import type { RedriveMethod } from '#ops/dlq/redriveMethods';
import { maskEmails } from '#ops/format/maskEmails';
import { queueDepth } from '#ops/sqs/queueDepth';
import { resolveQueue } from '#ops/sqs/queueRef';
import type { StageName } from '#topology/topology';

/** Longest error text in a table cell, characters (`--json` has all of it). */
const ERROR_CELL_CHARS = 90;

const cut = (text: string | undefined, max: number): string | undefined =>
  text === undefined || text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** The rows of a list of dead letters, emails masked. */
const deadLetterRows = (messages: readonly DeadLetterView[]) =>
  messages.map((m, i) => [
    i + 1,
    m.failedAt ?? m.sentAt,
    m.reason,
    m.kind ?? 'event',
    m.key === undefined ? undefined : maskEmails(m.key),
    cut(m.error === undefined ? undefined : maskEmails(m.error), ERROR_CELL_CHARS),
  ]);

const DEAD_LETTER_HEAD = ['#', 'failed at', 'reason', 'kind', 'key', 'error'];

/** `herald dlq peek` as text. */
export const renderPeek = (stage: StageName, result: PeekResult): string => {
  const total = result.depth.visible + result.depth.inFlight;
  if (result.messages.length === 0) return `${result.queue} is empty`;
  return [
    `${result.queue}: ${total} message(s), showing ${result.messages.length}`,
    '',
    renderTable(DEAD_LETTER_HEAD, deadLetterRows(result.messages), ['right']),
    '',
    `Nothing was consumed. Move them back with \`herald dlq redrive ${stage}\`; --json shows bodies and attributes.`,
  ].join('\n');
};

const reasonLine = (byReason: Record<string, number>): string =>
  Object.entries(byReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');

/** `herald dlq redrive` as text. */
export const renderRedrive = (report: RedriveReport): string => {
  if (report.method === 'dry-run') {
    return [
      `dry run: would move ${report.seen} message(s) from ${report.source} to ${report.target}`,
      ...(report.seen > 0 ? [`by reason: ${reasonLine(report.byReason)}`] : []),
      'nothing was moved',
    ].join('\n');
  }
  if (report.initial === 0) return `${report.source} is empty; nothing to redrive`;
  const how =
    report.method === 'move-task'
      ? 'StartMessageMoveTask'
      : `copy: receive → send → delete${report.fallbackReason ? `, because ${report.fallbackReason}` : ''}`;
  const lines = [
    `redrive ${report.source} → ${report.target} (${how})`,
    `seen ${report.seen}, moved ${report.moved}, failed ${report.failed} (moved + failed = seen)`,
  ];
  if (report.method === 'copy') lines.push(`reschedule counters reset: ${report.reset}`);
  if (Object.keys(report.byReason).length > 0) lines.push(`by reason: ${reasonLine(report.byReason)}`);
  if (report.task && report.task.status !== 'COMPLETED') {
    lines.push(
      `move task ${report.task.status}${report.task.failureReason ? `: ${report.task.failureReason}` : ''}`,
    );
  }
  if (report.returned > 0) lines.push(`failed again during this run and back in the DLQ: ${report.returned}`);
  if (report.notDeleted > 0)
    lines.push(`moved but not deleted (duplicates left in the DLQ): ${report.notDeleted}`);
  for (const f of report.failures.slice(0, 10))
    lines.push(`  not moved ${f.messageId}: ${f.code}${f.message ? ` ${f.message}` : ''}`);
  if (report.stoppedBy) lines.push(`stopped early: ${report.stoppedBy}`);
  lines.push(`remaining in the DLQ: ${report.remaining}`);
  return lines.join('\n');
};

/** `herald dlq purge` as text. */
export const renderPurge = (result: PurgeResult): string => {
  const lines = [`removed ${result.removed} message(s) from ${result.queue}`];
  if (result.messages.length > 0)
    lines.push('', renderTable(DEAD_LETTER_HEAD, deadLetterRows(result.messages), ['right']));
  if (result.notDeleted > 0)
    lines.push('', `could not delete ${result.notDeleted} message(s); they stay in the DLQ`);
  return lines.join('\n');
};

/** Exit code of a redrive: 1 unless every message taken on was moved and deleted. */
export const redriveExitCode = (report: RedriveReport): ExitCode =>
  report.failed > 0 ||
  report.notDeleted > 0 ||
  report.stoppedBy !== undefined ||
  (report.task !== undefined && report.task.status !== 'COMPLETED')
    ? EXIT_CODES.failed
    : EXIT_CODES.ok;

const dlqOf = (ctx: OpsContext, stage: StageName) =>
  resolveQueue(ctx.clients.sqs, ctx.names.queues[stage].dlq);

/** Options of `herald dlq peek`. */
export interface PeekCommandOptions {
  limit: number;
  json?: boolean | undefined;
}

/** `herald dlq peek`. */
export const peekAction = async (
  ctx: OpsContext,
  stage: StageName,
  options: PeekCommandOptions,
): Promise<ExitCode> => {
  const queue = await dlqOf(ctx, stage);
  const progress = ctx.progress('peek', options.limit);
  const result = await peekDeadLetters(ctx.clients.sqs, queue, {
    limit: options.limit,
    onProgress: (seen) => progress.update(seen),
  }).finally(() => progress.stop());
  if (options.json) ctx.output.json({ stage, ...result });
  else ctx.output.out(renderPeek(stage, result));
  return EXIT_CODES.ok;
};

/** Options of `herald dlq redrive`. */
export interface RedriveCommandOptions {
  maxPerSecond?: number | undefined;
  dryRun?: boolean | undefined;
  method: RedriveMethod;
  json?: boolean | undefined;
}

/** `herald dlq redrive`: exit 1 unless every message taken on was moved and deleted. */
export const redriveAction = async (
  ctx: OpsContext,
  stage: StageName,
  options: RedriveCommandOptions,
): Promise<ExitCode> => {
  const [source, target] = await Promise.all([
    dlqOf(ctx, stage),
    resolveQueue(ctx.clients.sqs, ctx.names.queues[stage].main),
  ]);
  let progress: Progress | undefined;
  const report = await redriveDeadLetters(ctx.clients.sqs, {
    source,
    target,
    method: options.method,
    maxPerSecond: options.maxPerSecond,
    dryRun: options.dryRun === true,
    onProgress: (done, total) => {
      progress ??= ctx.progress(options.dryRun ? 'count' : 'redrive', total);
      progress.update(done, total);
    },
  }).finally(() => progress?.stop());
  if (options.json) ctx.output.json({ stage, ...report });
  else ctx.output.out(renderRedrive(report));
  return redriveExitCode(report);
};

/** Options of `herald dlq purge`. */
export interface PurgeCommandOptions {
  yes?: boolean | undefined;
  json?: boolean | undefined;
}

/**
 * `herald dlq purge`: asks first unless `--yes` (off a terminal without `--yes`: UsageError);
 * declined → OpsError, nothing removed.
 */
export const purgeAction = async (
  ctx: OpsContext,
  stage: StageName,
  options: PurgeCommandOptions,
): Promise<ExitCode> => {
  const queue = await dlqOf(ctx, stage);
  const depth = await queueDepth(ctx.clients.sqs, queue.url);
  const count = depth.visible + depth.inFlight;
  if (count === 0) {
    const empty: PurgeResult = { queue: queue.name, removed: 0, messages: [], notDeleted: 0 };
    if (options.json) ctx.output.json({ stage, ...empty });
    else ctx.output.out(`${queue.name} is empty; nothing removed`);
    return EXIT_CODES.ok;
  }
  if (!options.yes) {
    const yes = await ctx.confirm(`Delete ${count} message(s) from ${queue.name}? They cannot be recovered.`);
    if (!yes) throw new OpsError('purge declined; nothing was removed');
  }
  const progress = ctx.progress('purge', count);
  const result = await purgeDeadLetters(ctx.clients.sqs, queue, {
    limit: count,
    onProgress: (removed) => progress.update(removed),
  }).finally(() => progress.stop());
  if (options.json) ctx.output.json({ stage, ...result });
  else ctx.output.out(renderPurge(result));
  return result.notDeleted > 0 ? EXIT_CODES.failed : EXIT_CODES.ok;
};
