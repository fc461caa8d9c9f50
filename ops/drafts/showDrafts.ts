import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { OpsError } from '#ops/cli/errors';
import { renderPairs } from '#ops/cli/table';
import { maskEmails } from '#ops/format/maskEmails';
import { type GroupDraftKey, groupDrafts } from '#stages/webhook/groupDrafts';
import { formatUtc } from '#stages/webhook/reviewPage';
import { lastDecision, stateLabel } from './draftsList.ts';
import type { ReviewKey } from './reviewKey.ts';

/** One draft of a point: its group, and the draft (absent when the group has none). */
export type ShownDraft = GroupDraftKey & { draft?: EmailDraft | undefined };

/** What `herald drafts show` shows: the point's approval record and its drafts (or the one asked for). */
export interface DraftsShown {
  record: ApprovalRecord;
  drafts: ShownDraft[];
  /** Set when the draft asked for belongs to an earlier revision than the record's. */
  supersededBy?: number | undefined;
}

/** A draft key without its revision suffix (`#r<n>`): the same group in every revision. */
const baseKey = (key: string): string => key.replace(/#r\d+$/, '');

/** The ports `herald drafts show` reads. */
export type DraftsReader = Pick<ApprovalLedgerPort, 'getApproval'> & Pick<LedgerPort, 'getDraft'>;

/**
 * Reads the approval record a key names and its current revision's drafts, or the one draft a
 * draft key names (an older revision's too, flagged).
 * @throws OpsError when the record or the draft does not exist.
 */
export const readDrafts = async (ledger: DraftsReader, key: ReviewKey): Promise<DraftsShown> => {
  const record = await ledger.getApproval(key.approvalKey);
  if (record === null) throw new OpsError(`no approval record ${key.approvalKey} (see herald drafts list)`);
  const all = await groupDrafts(record, (k) => ledger.getDraft(k));
  if (key.draftKey === undefined) return { record, drafts: all };
  const current = all.find((g) => g.draftKey === key.draftKey);
  if (current) return { record, drafts: [current] };
  const draft = await ledger.getDraft(key.draftKey);
  if (draft === null) throw new OpsError(`no draft ${key.draftKey}`);
  const group = all.find(
    (g) => g.draftKey !== undefined && baseKey(g.draftKey) === baseKey(key.draftKey ?? ''),
  );
  return {
    record,
    drafts: [
      {
        audience: group?.audience ?? '?',
        locale: draft.locale,
        recipients: group?.recipients ?? 0,
        draftKey: key.draftKey,
        draft,
      },
    ],
    supersededBy: record.revision,
  };
};

/** `Shop 2.0 (10001)`, or the id alone when the record has no name. */
const named = (name: string | undefined, id: string): string => (name ? `${name} (${id})` : id);

/** The record's facts as `key  value` lines (approver addresses masked). */
export const renderRecord = (record: ApprovalRecord): string =>
  renderPairs([
    ['approval', record.approvalKey],
    ['project', named(record.projectName, record.projectKey)],
    [
      'version',
      `${named(record.versionName, record.versionId)}${record.releaseDate ? `, release date ${record.releaseDate}` : ''}`,
    ],
    ['point', record.pointId],
    ['send time', formatUtc(record.dueAt)],
    ['state', stateLabel(record)],
    ['revision', record.revision],
    ['hash', record.contentHash.slice(0, 12)],
    ...(record.heldFrom !== undefined && record.state === 'held' && !record.settled
      ? ([
          [
            'held from',
            `revision ${record.heldFrom.revision} by ${maskEmails(record.heldFrom.by)} at ${formatUtc(record.heldFrom.at)} (carried: only an approve of this revision sends it)`,
          ],
        ] as Array<[string, string]>)
      : []),
    [
      'changes',
      record.changes
        ? [
            record.changes.added.length ? `added ${record.changes.added.join(', ')}` : '',
            record.changes.removed.length ? `removed ${record.changes.removed.join(', ')}` : '',
            record.changes.editedBy ? `edited by ${record.changes.editedBy}` : '',
          ]
            .filter(Boolean)
            .join('; ') || '-'
        : '-',
    ],
    ['last decision', maskEmails(lastDecision(record))],
    ['decisions', record.decisions.length],
  ]);

/** `herald drafts show` as text: the record, then each draft's subject and plain-text part. */
export const renderDrafts = (shown: DraftsShown): string =>
  [
    renderRecord(shown.record),
    ...(shown.supersededBy !== undefined
      ? [
          `note: this draft is not in the current revision (${shown.supersededBy}); approve and hold refuse its key: read ${shown.record.approvalKey}, then decide with --revision ${shown.supersededBy}`,
        ]
      : []),
    ...shown.drafts.flatMap((g) => [
      '',
      `--- ${g.audience} / ${g.locale}, ${g.recipients} recipient(s): ${g.draftKey ?? 'no draft (nothing in scope, nothing sent)'}`,
      ...(g.draft
        ? [
            renderPairs([
              ['subject', g.draft.subject],
              [
                'written by',
                g.draft.source === 'llm' ? `llm (${g.draft.model ?? 'unknown model'})` : g.draft.source,
              ],
              ['cites', g.draft.issueKeys.join(', ') || '(none)'],
            ]),
            '',
            g.draft.text.trimEnd(),
          ]
        : []),
    ]),
  ].join('\n');

/**
 * Writes the HTML part of each shown draft: to `file` when there is one, else to `file` with
 * `.<locale>.<audience>` before its extension per draft. Resolves to the paths written.
 */
export const writeDraftHtml = async (shown: DraftsShown, file: string): Promise<string[]> => {
  const drafts = shown.drafts.filter((g): g is ShownDraft & { draft: EmailDraft } => g.draft !== undefined);
  if (drafts.length === 0) throw new OpsError('no draft to write: every group of this point is without one');
  const ext = extname(file);
  const paths = drafts.map((g) =>
    drafts.length === 1
      ? file
      : join(dirname(file), `${basename(file, ext)}.${g.locale}.${g.audience}${ext}`),
  );
  await Promise.all(drafts.map((g, i) => writeFile(paths[i] ?? file, g.draft.html)));
  return paths;
};
