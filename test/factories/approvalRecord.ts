import { type ApprovalRecord, approvalKey } from '#contracts/approval';

/** A pending revision-1 approval record of one release point (two drafts); `overrides` win. */
export const approvalRecordOf = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => {
  const point = { versionId: '10001', pointId: 'b7d0h0m0900', releaseDate: '2026-03-08' };
  return {
    approvalKey: approvalKey(point),
    ...point,
    projectKey: 'ABC',
    revision: 1,
    contentHash: 'a'.repeat(64),
    inputHash: 'b'.repeat(64),
    draftKeys: ['10001:b7d0h0m0900@2026-03-08:en', '10001:b7d0h0m0900@2026-03-08:de'],
    groups: [
      { audience: 'default', locale: 'en', recipients: 2 },
      { audience: 'default', locale: 'de', recipients: 1 },
    ],
    state: 'pending_approval',
    dueAt: '2026-03-01T09:00:00.000Z',
    decisions: [],
    updatedAt: '2026-03-01T08:00:00.000Z',
    ...overrides,
  };
};
