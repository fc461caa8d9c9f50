import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { revisionDraftKey } from './revisionDraftKey.ts';

/** A group of an approval record with its draft in the record's revision. */
export type RevisionDraft = ApprovalRecord['groups'][number] & { draft: EmailDraft };

/**
 * The record's drafts with their group, in the record's group order: only groups whose
 * revision key is one of the record's `draftKeys` (a draft-less group, nothing in its scope, is
 * skipped without a read, so no other row under its key is ever taken for a reviewed draft).
 */
export const revisionDrafts = async (
  record: ApprovalRecord,
  getDraft: (key: string) => Promise<EmailDraft | null>,
): Promise<RevisionDraft[]> => {
  const out: RevisionDraft[] = [];
  for (const group of record.groups) {
    const key = revisionDraftKey(record, group, record.revision);
    if (!record.draftKeys.includes(key)) continue;
    const draft = await getDraft(key);
    if (draft) out.push({ ...group, draft });
  }
  return out;
};
