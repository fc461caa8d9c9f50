import { describe, expect, it } from 'vitest';
import { approvalInputHash, draftContentHash, scopeChanges } from '#stages/compose/approval/approvalHashes';
import { sendTimeDecision, waitDeadline } from '#stages/compose/approval/sendTimeDecision';
import { emailDraftOf } from '#test/factories/emailDraft';

const VERSION = { name: 'Billing 2.4', description: 'Invoices', releaseDate: '2026-12-15' };
const EXPORTS = { key: 'BILL-1', summary: 'Exports', releaseNote: 'CSV exports' };
const TOTALS = { key: 'BILL-2', summary: 'Totals' };
const ISSUES = [EXPORTS, TOTALS];

describe('Function: draftContentHash', () => {
  it('is the same whatever the order of the drafts, and changes with any word a recipient reads', () => {
    const en = emailDraftOf({ key: 'k:en' });
    const de = emailDraftOf({ key: 'k:de', locale: 'de', subject: 'Version 2.0' });
    const hash = draftContentHash([en, de]);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(draftContentHash([de, en])).toBe(hash);
    // Not part of what is read: the time it was written.
    expect(draftContentHash([{ ...en, createdAt: '2027-01-01T00:00:00.000Z' } as typeof en, de])).toBe(hash);
    for (const changed of [{ subject: 'x' }, { html: '<p>x</p>' }, { text: 'x' }, { key: 'k:fr' }]) {
      expect(draftContentHash([{ ...en, ...changed }, de]), JSON.stringify(changed)).not.toBe(hash);
    }
  });
});

describe('Function: approvalInputHash', () => {
  it('ignores the order of audiences and issues, and changes with the release fields, issue texts and scope', () => {
    const hash = approvalInputHash(VERSION, [{ audience: 'all', issues: ISSUES }]);

    expect(approvalInputHash(VERSION, [{ audience: 'all', issues: [...ISSUES].reverse() }])).toBe(hash);
    expect(
      approvalInputHash(VERSION, [
        { audience: 'partners', issues: ISSUES },
        { audience: 'all', issues: ISSUES },
      ]),
    ).toBe(
      approvalInputHash(VERSION, [
        { audience: 'all', issues: ISSUES },
        { audience: 'partners', issues: ISSUES },
      ]),
    );
    const variants = [
      approvalInputHash({ ...VERSION, name: 'Billing 2.5' }, [{ audience: 'all', issues: ISSUES }]),
      approvalInputHash({ ...VERSION, description: undefined }, [{ audience: 'all', issues: ISSUES }]),
      approvalInputHash({ ...VERSION, releaseDate: '2026-12-16' }, [{ audience: 'all', issues: ISSUES }]),
      approvalInputHash(VERSION, [
        { audience: 'all', issues: [{ ...EXPORTS, summary: 'Exports v2' }, TOTALS] },
      ]),
      approvalInputHash(VERSION, [
        { audience: 'all', issues: [{ key: 'BILL-1', summary: 'Exports' }, TOTALS] },
      ]),
      approvalInputHash(VERSION, [{ audience: 'all', issues: ISSUES.slice(0, 1) }]),
      approvalInputHash(VERSION, [{ audience: 'partners', issues: ISSUES }]),
    ];
    expect(new Set([hash, ...variants]).size).toBe(variants.length + 1);
  });
});

describe('Function: scopeChanges', () => {
  it('lists the keys added and removed, sorted', () => {
    expect(scopeChanges(['B-2', 'B-1', 'B-3'], ['B-4', 'B-1', 'B-0'])).toEqual({
      added: ['B-0', 'B-4'],
      removed: ['B-2', 'B-3'],
    });
    expect(scopeChanges(['B-1'], ['B-1'])).toEqual({ added: [], removed: [] });
  });
});

describe('Function: sendTimeDecision', () => {
  const NOW = Date.parse('2026-12-14T08:00:00.000Z');

  it('sends an approved point and holds a held one, whatever onTimeout says', () => {
    expect(sendTimeDecision({ state: 'approved' }, NOW, 'hold')).toEqual({ kind: 'settle', outcome: 'sent' });
    expect(sendTimeDecision({ state: 'held' }, NOW, 'send')).toEqual({ kind: 'settle', outcome: 'held' });
  });

  it('waits for a revision written at the send time until its waitUntil, then applies onTimeout', () => {
    const waiting = { state: 'pending_approval', waitUntil: '2026-12-14T13:55:00.000Z' } as const;
    expect(sendTimeDecision(waiting, NOW, 'hold')).toEqual({ kind: 'wait', until: waiting.waitUntil });
    const after = Date.parse(waiting.waitUntil);
    expect(sendTimeDecision(waiting, after, 'hold')).toEqual({ kind: 'settle', outcome: 'timeout_held' });
    expect(sendTimeDecision(waiting, after, 'send')).toEqual({ kind: 'settle', outcome: 'timeout_sent' });
  });

  it('applies onTimeout at once to a pending revision written before the send time', () => {
    expect(sendTimeDecision({ state: 'pending_approval' }, NOW, 'hold')).toEqual({
      kind: 'settle',
      outcome: 'timeout_held',
    });
  });

  it('waits until 5 minutes before the deadline, never before now', () => {
    const now = new Date(NOW);
    expect(waitDeadline(new Date('2026-12-14T14:00:00.000Z'), now).toISOString()).toBe(
      '2026-12-14T13:55:00.000Z',
    );
    expect(waitDeadline(new Date('2026-12-14T08:02:00.000Z'), now)).toEqual(now);
  });
});
