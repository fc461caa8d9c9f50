import { describe, expect, it } from 'vitest';
import {
  decisionTransition,
  revisionTransition,
  settlementTransition,
} from '#adapters/ledger/approvalTransitions';
import type { ApprovalDecisionRecord } from '#contracts/approval';
import { approvalRecordOf } from '#test/factories/approvalRecord';

const HASH = 'a'.repeat(64);
const decision = (overrides: Partial<ApprovalDecisionRecord> = {}): ApprovalDecisionRecord => ({
  decision: 'approve',
  by: 'lead@example.com',
  via: 'link',
  at: '2026-03-01T08:30:00.000Z',
  contentHash: HASH,
  revision: 1,
  ...overrides,
});
const SETTLED = { outcome: 'held', at: '2026-03-01T09:00:00.000Z', revision: 1 } as const;

describe('Function: approval transitions', () => {
  it('writes a first revision and a higher one, keeps the stored one against equal, lower or settled', () => {
    const first = approvalRecordOf();
    const second = approvalRecordOf({ revision: 2, contentHash: 'c'.repeat(64) });

    expect(revisionTransition(null, first)).toEqual({ kind: 'write', record: first, result: first });
    expect(revisionTransition(first, second)).toMatchObject({ kind: 'write', result: second });
    expect(revisionTransition(second, first)).toEqual({ kind: 'keep', result: second });
    expect(revisionTransition(first, { ...first, contentHash: 'd'.repeat(64) })).toEqual({
      kind: 'keep',
      result: first,
    });
    const settled = { ...first, settled: SETTLED };
    expect(revisionTransition(settled, second)).toEqual({ kind: 'keep', result: settled });
  });

  it('records a decision on the current hash and keeps the history', () => {
    const approved = decisionTransition(approvalRecordOf(), decision());
    expect(approved).toMatchObject({
      kind: 'write',
      result: { status: 'recorded', record: { state: 'approved' } },
    });
    if (approved.kind !== 'write') throw new Error('expected a write');

    const held = decisionTransition(approved.record, decision({ decision: 'hold', by: 'b@example.com' }));
    expect(held).toMatchObject({
      kind: 'write',
      record: { state: 'held', updatedAt: '2026-03-01T08:30:00.000Z' },
    });
    if (held.kind !== 'write') throw new Error('expected a write');
    expect(held.record.decisions.map((d) => [d.decision, d.by])).toEqual([
      ['approve', 'lead@example.com'],
      ['hold', 'b@example.com'],
    ]);
  });

  it('refuses without a write: not found, settled (closed), another hash (superseded), the same state (already)', () => {
    const record = approvalRecordOf({ state: 'approved' });
    expect(decisionTransition(null, decision())).toEqual({ kind: 'keep', result: { status: 'not_found' } });
    expect(decisionTransition({ ...record, settled: SETTLED }, decision({ decision: 'hold' }))).toMatchObject(
      {
        kind: 'keep',
        result: { status: 'closed' },
      },
    );
    expect(decisionTransition(record, decision({ contentHash: 'f'.repeat(64) }))).toMatchObject({
      kind: 'keep',
      result: { status: 'superseded' },
    });
    expect(decisionTransition(record, decision())).toEqual({
      kind: 'keep',
      result: { status: 'already', record },
    });
  });

  it('settles once', () => {
    const record = approvalRecordOf();
    const first = settlementTransition(record, SETTLED);
    expect(first).toMatchObject({ kind: 'write', record: { settled: SETTLED } });
    if (first.kind !== 'write') throw new Error('expected a write');
    expect(settlementTransition(first.record, { ...SETTLED, outcome: 'sent' })).toEqual({
      kind: 'keep',
      result: first.record,
    });
  });
});
