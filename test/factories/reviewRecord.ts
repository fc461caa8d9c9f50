import type { ApprovalRecord } from '#contracts/approval';
import { approvalRecordOf } from './approvalRecord.ts';

/**
 * A pending revision-1 approval record whose drafts carry compose's draft keys (`draft:…`, what
 * the review pages and `herald drafts` pair with the groups): English for everyone and German
 * for developers, due 2026-03-07 09:00 UTC. `overrides` win.
 */
export const reviewRecordOf = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => {
  const base = approvalRecordOf();
  const point = `draft:${base.versionId}:${base.pointId}@${base.releaseDate ?? 'none'}`;
  return approvalRecordOf({
    draftKeys: [`${point}:de:developers`, `${point}:en`],
    groups: [
      { audience: 'all', locale: 'en', recipients: 12 },
      { audience: 'developers', locale: 'de', recipients: 3 },
    ],
    dueAt: '2026-03-07T09:00:00.000Z',
    ...overrides,
  });
};
