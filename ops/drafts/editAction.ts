import { SqsQueue } from '#adapters/queue/SqsQueue';
import { type EditCommandOptions, operatorName } from '#ops/commands/drafts';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { directoryOf } from '#ops/directory/directoryOf';
import { opsJira } from '#ops/jira/jiraAccess';
import { ledgerOf } from '#ops/ledger/ledgerOf';
import { formatUtc } from '#stages/webhook/reviewPage';
import { contentText, DraftEditRejectedError, parseContent } from './editChecks.ts';
import { checkEdit, type EditDeps, loadEditable, storeEditedRevision } from './editDraft.ts';
import { editInEditor } from './editInEditor.ts';
import { parseReviewKey } from './reviewKey.ts';

/**
 * `herald drafts edit <draftKey>`: the draft's content in $EDITOR; a saved edit that passes every
 * check becomes the point's next revision (pending approval, a new review email); one that does
 * not is refused with each failed check named, and nothing is stored (exit 1). An unchanged file
 * stores nothing (exit 0).
 */
export const editAction = async (
  ctx: OpsContext,
  key: string,
  options: EditCommandOptions,
): Promise<ExitCode> => {
  const reviewKey = parseReviewKey(key);
  const format = options.format ?? 'json';
  const ledger = ledgerOf(ctx);
  const editable = await loadEditable(ledger, reviewKey);
  const before = contentText(editable.content, format);
  const saved = await editInEditor(ctx.operator.editor, before, `draft.${format}`);
  if (saved.text === before) {
    ctx.output.note(`no change to ${editable.group.draftKey}; nothing stored`);
    return EXIT_CODES.ok;
  }
  const parsed = parseContent(saved.text, format);
  if (parsed.problems) throw new DraftEditRejectedError(editable.group.draftKey, parsed.problems, saved.file);
  const { jira } = await opsJira(ctx);
  const deps: EditDeps = {
    ledger,
    jira,
    directory: directoryOf(ctx),
    queue: new SqsQueue({ client: ctx.clients.sqs }),
    env: ctx.env,
    now: ctx.now,
    maxIssues: ctx.config.JIRA_MAX_ISSUES,
  };
  const result = await checkEdit(deps, editable, parsed.email);
  if (result.problems) throw new DraftEditRejectedError(editable.group.draftKey, result.problems, saved.file);
  const by = operatorName(ctx, options.by);
  const record = await storeEditedRevision(deps, editable, result.checked, by);
  if (options.json) ctx.output.json(record);
  else
    ctx.output.out(
      `${record.approvalKey}: revision ${record.revision} (edited by ${by}) stored, pending approval; ` +
        `the approvers get a new review email. Send time ${formatUtc(record.dueAt)}.`,
    );
  return EXIT_CODES.ok;
};
