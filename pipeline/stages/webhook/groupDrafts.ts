import type { ApprovalRecord } from '#contracts/approval';
import { normaliseEmail } from '#contracts/contact';
import type { EmailDraft } from '#contracts/emailDraft';
import type { SendPolicy } from '#contracts/sendPolicy';
import { draftKey } from '#stages/shared/draftKey';

/** One audience × locale group of an approval record and its draft key in the record's revision. */
export interface GroupDraftKey {
  audience: string;
  locale: string;
  recipients: number;
  /** Undefined when the revision has no draft for the group (nothing in its scope). */
  draftKey?: string | undefined;
}

/**
 * Pairs each group of the record with the draft key of its revision: the compose draft key of
 * the group's audience and locale (`draftKey`), as is for revision 1 or with its `#r<n>` suffix.
 */
export const groupDraftKeys = (record: ApprovalRecord): GroupDraftKey[] =>
  record.groups.map((group) => {
    const base = draftKey(record, group.locale, group.audience);
    const key = record.draftKeys.find((k) => k === base || k.startsWith(`${base}#`));
    return { ...group, ...(key !== undefined ? { draftKey: key } : {}) };
  });

/** Each group with its draft (undefined when it has none or the row is gone), read in parallel. */
export const groupDrafts = async (
  record: ApprovalRecord,
  getDraft: (key: string) => Promise<EmailDraft | null>,
): Promise<Array<GroupDraftKey & { draft?: EmailDraft | undefined }>> =>
  Promise.all(
    groupDraftKeys(record).map(async (group) => {
      const draft = group.draftKey === undefined ? null : await getDraft(group.draftKey);
      return { ...group, ...(draft ? { draft } : {}) };
    }),
  );

/** Whether `address` is one of the policy's approvers today (case-insensitive); false without `approval`. */
export const isApprover = (policy: SendPolicy | null, address: string): boolean => {
  const wanted = normaliseEmail(address);
  return (policy?.approval?.approvers ?? []).some((a) => normaliseEmail(a) === wanted);
};
