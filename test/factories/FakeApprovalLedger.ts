import type { ApprovalLedgerPort, DecideOutcome } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import {
  type APPROVAL_SETTLEMENTS,
  type ApprovalDecisionRecord,
  type ApprovalRecord,
  approvalKey,
} from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';

/**
 * The one in-memory {@link ApprovalLedgerPort} of the unit tests, with the draft rows a review
 * reads (`getDraft`, `putDraftIfAbsent`). Follows the port's contract as `DynamoLedger` does:
 * first writer of a revision wins, decisions only on the current hash of an unsettled record,
 * settlement once. Records are copied in and out, so a test cannot change a stored one by
 * accident.
 */
export class FakeApprovalLedger
  implements ApprovalLedgerPort, Pick<LedgerPort, 'getDraft' | 'putDraftIfAbsent'>
{
  readonly approvals = new Map<string, ApprovalRecord>();
  readonly drafts = new Map<string, EmailDraft>();
  /** Every decide() call, in order (what a test asserts "changed nothing" on). */
  readonly decideCalls: Array<{ approvalKey: string; decision: ApprovalDecisionRecord }> = [];

  async getApproval(key: string): Promise<ApprovalRecord | null> {
    const record = this.approvals.get(key);
    return record ? structuredClone(record) : null;
  }

  async putApprovalRevision(record: ApprovalRecord): Promise<ApprovalRecord> {
    const stored = this.approvals.get(record.approvalKey);
    if (stored === undefined || (stored.revision < record.revision && stored.settled === undefined)) {
      this.approvals.set(record.approvalKey, structuredClone(record));
      return structuredClone(record);
    }
    return structuredClone(stored);
  }

  async decide(key: string, decision: ApprovalDecisionRecord): Promise<DecideOutcome> {
    this.decideCalls.push({ approvalKey: key, decision: structuredClone(decision) });
    const record = this.approvals.get(key);
    if (record === undefined) return { status: 'not_found' };
    if (record.settled !== undefined) return { status: 'closed', record: structuredClone(record) };
    if (record.contentHash !== decision.contentHash)
      return { status: 'superseded', record: structuredClone(record) };
    const state = decision.decision === 'approve' ? 'approved' : 'held';
    if (record.state === state) return { status: 'already', record: structuredClone(record) };
    const updated: ApprovalRecord = {
      ...record,
      state,
      decisions: [...record.decisions, decision],
      updatedAt: decision.at,
    };
    this.approvals.set(key, updated);
    return { status: 'recorded', record: structuredClone(updated) };
  }

  async settleApproval(
    key: string,
    settlement: { outcome: (typeof APPROVAL_SETTLEMENTS)[number]; at: string; revision: number },
  ): Promise<ApprovalRecord> {
    const record = this.approvals.get(key);
    if (record === undefined) throw new Error(`no approval record ${key}`);
    if (record.settled === undefined) this.approvals.set(key, { ...record, settled: { ...settlement } });
    return structuredClone(this.approvals.get(key) as ApprovalRecord);
  }

  async listApprovals(versionId?: string): Promise<ApprovalRecord[]> {
    return [...this.approvals.values()]
      .filter((r) => versionId === undefined || r.versionId === versionId)
      .map((r) => structuredClone(r));
  }

  async getDraft(key: string): Promise<EmailDraft | null> {
    const draft = this.drafts.get(key);
    return draft ? structuredClone(draft) : null;
  }

  async putDraftIfAbsent(draft: EmailDraft): Promise<EmailDraft> {
    if (!this.drafts.has(draft.key)) this.drafts.set(draft.key, structuredClone(draft));
    return structuredClone(this.drafts.get(draft.key) as EmailDraft);
  }
}

/** A pending approval record of one release point (revision 1, two groups); `overrides` win. */
export const approvalRecordOf = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => {
  const point = { versionId: '10001', pointId: 'b1d0h0m0900', releaseDate: '2026-03-08' };
  return {
    approvalKey: approvalKey(point),
    ...point,
    projectKey: 'ABC',
    revision: 1,
    contentHash: 'c'.repeat(64),
    inputHash: 'i'.repeat(64),
    draftKeys: [
      `draft:${point.versionId}:${point.pointId}@${point.releaseDate}:en`,
      `draft:${point.versionId}:${point.pointId}@${point.releaseDate}:de:developers`,
    ],
    groups: [
      { audience: 'all', locale: 'en', recipients: 12 },
      { audience: 'developers', locale: 'de', recipients: 3 },
    ],
    state: 'pending_approval',
    dueAt: '2026-03-07T09:00:00.000Z',
    decisions: [],
    updatedAt: '2026-03-06T09:00:00.000Z',
    ...overrides,
  };
};
