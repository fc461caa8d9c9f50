import { userInfo } from 'node:os';
import type { ApprovalDecision } from '#contracts/approval';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { decideAsOperator, describeOperatorDecision } from '#ops/drafts/decideAsOperator';
import { listDrafts, renderDraftsList } from '#ops/drafts/draftsList';
import { parseReviewKey } from '#ops/drafts/reviewKey';
import { readDrafts, renderDrafts, writeDraftHtml } from '#ops/drafts/showDrafts';
import { ledgerOf } from '#ops/ledger/ledgerOf';

/** Options of `herald drafts list`. */
export interface ListCommandOptions {
  pending?: boolean | undefined;
  release?: string | undefined;
  json?: boolean | undefined;
}

/** Options of `herald drafts show`. */
export interface ShowCommandOptions {
  html?: string | undefined;
  json?: boolean | undefined;
}

/** Options of `herald drafts approve|hold`. */
export interface DecideCommandOptions {
  by?: string | undefined;
  /** Decide only when the point is at this revision. */
  revision?: number | undefined;
  json?: boolean | undefined;
}

/** Options of `herald drafts edit`. */
export interface EditCommandOptions {
  format?: 'json' | 'yaml' | undefined;
  by?: string | undefined;
  json?: boolean | undefined;
}

/** Who acts: `--by`, else USER/LOGNAME, else the OS account's name. */
export const operatorName = (ctx: Pick<OpsContext, 'operator'>, by: string | undefined): string => {
  const given = by?.trim() || ctx.operator.user;
  if (given) return given;
  try {
    return userInfo().username || 'operator';
  } catch {
    // No passwd entry (some containers): still record that an operator acted.
    return 'operator';
  }
};

/** `herald drafts list`. */
export const listAction = async (ctx: OpsContext, options: ListCommandOptions): Promise<ExitCode> => {
  const records = await listDrafts(ledgerOf(ctx), { pending: options.pending, versionId: options.release });
  if (options.json) ctx.output.json(records);
  else ctx.output.out(renderDraftsList(records, options.pending === true));
  return EXIT_CODES.ok;
};

/** `herald drafts show`: exit 1 when the key names nothing. */
export const showAction = async (
  ctx: OpsContext,
  key: string,
  options: ShowCommandOptions,
): Promise<ExitCode> => {
  const shown = await readDrafts(ledgerOf(ctx), parseReviewKey(key));
  const files = options.html !== undefined ? await writeDraftHtml(shown, options.html) : [];
  if (options.json) ctx.output.json({ ...shown, ...(files.length > 0 ? { htmlFiles: files } : {}) });
  else {
    ctx.output.out(renderDrafts(shown));
    for (const file of files) ctx.output.note(`HTML written to ${file}`);
  }
  return EXIT_CODES.ok;
};

/** `herald drafts approve|hold`: exit 1 when the record is missing or settled. */
export const decideAction = async (
  ctx: OpsContext,
  decision: ApprovalDecision,
  key: string,
  options: DecideCommandOptions,
): Promise<ExitCode> => {
  const named = parseReviewKey(key);
  const result = await decideAsOperator(ledgerOf(ctx), {
    approvalKey: named.approvalKey,
    draftKey: named.draftKey,
    revision: options.revision,
    decision,
    by: operatorName(ctx, options.by),
    now: ctx.now,
  });
  if (options.json)
    ctx.output.json({
      status: result.status,
      decision,
      by: result.by,
      approvalKey: result.record.approvalKey,
      revision: result.record.revision,
      contentHash: result.record.contentHash,
      state: result.record.state,
      dueAt: result.record.dueAt,
    });
  else ctx.output.out(describeOperatorDecision(result));
  return EXIT_CODES.ok;
};

/** `herald drafts edit`. */
export const editAction = async (
  ctx: OpsContext,
  key: string,
  options: EditCommandOptions,
): Promise<ExitCode> => (await import('#ops/drafts/editAction')).editAction(ctx, key, options);
