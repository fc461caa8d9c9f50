import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '#contracts/approval';
import { OpsError, UsageError } from '#ops/cli/errors';
import { decideAsOperator, describeOperatorDecision } from '#ops/drafts/decideAsOperator';
import { listDrafts, renderDraftsList } from '#ops/drafts/draftsList';
import { parseReviewKey } from '#ops/drafts/reviewKey';
import { readDrafts, renderDrafts, writeDraftHtml } from '#ops/drafts/showDrafts';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeLedger } from '#test/factories/FakeLedger';
import { reviewRecordOf } from '#test/factories/reviewRecord';
import { runCli } from './cliHarness.ts';

const POINT = 'draft:10001:b7d0h0m0900@2026-03-08';
const NOW = new Date('2026-03-06T12:00:00.000Z');

const recordOf = reviewRecordOf;

/** Ana's `decision` on `record`, as `herald drafts approve|hold` sends it. */
const byAna = (record: ApprovalRecord, decision: 'approve' | 'hold') => ({
  approvalKey: record.approvalKey,
  decision,
  by: 'ana',
  now: () => NOW,
});

const ledgerWith = (...records: ApprovalRecord[]): FakeLedger => {
  const ledger = new FakeLedger();
  for (const r of records) ledger.approvals.set(r.approvalKey, r);
  ledger.drafts.set(
    `${POINT}:en`,
    emailDraftOf({
      key: `${POINT}:en`,
      subject: 'Shop 2.0 arrives tomorrow',
      text: 'Hello {{recipient_name}}\nNew: invoices.',
      html: '<p>en</p>',
    }),
  );
  ledger.drafts.set(
    `${POINT}:de:developers`,
    emailDraftOf({
      key: `${POINT}:de:developers`,
      locale: 'de',
      subject: 'Shop 2.0 kommt morgen',
      html: '<p>de</p>',
    }),
  );
  return ledger;
};

describe('Function: parseReviewKey', () => {
  it('takes an approval key as it is, and finds the approval key of a draft key of any revision', () => {
    expect(parseReviewKey('approval:10001:b7d0h0m0900@2026-03-08')).toEqual({
      approvalKey: 'approval:10001:b7d0h0m0900@2026-03-08',
    });
    expect(parseReviewKey(`${POINT}:de:developers#r3`)).toEqual({
      approvalKey: 'approval:10001:b7d0h0m0900@2026-03-08',
      draftKey: `${POINT}:de:developers#r3`,
    });
    expect(parseReviewKey('draft:10001:onrelease@none:en')).toEqual({
      approvalKey: 'approval:10001:onrelease@none',
      draftKey: 'draft:10001:onrelease@none:en',
    });
  });

  it.each(['10001', 'approval:abc:x@none', 'draft:10001:x', 'send:10001:x@none:a@example.com', ''])(
    'refuses %j with a usage error naming both forms',
    (key) => {
      expect(() => parseReviewKey(key)).toThrow(UsageError);
      expect(() => parseReviewKey(key)).toThrow('neither an approval key');
    },
  );
});

describe('Function: listDrafts', () => {
  const pending = recordOf();
  const approved = recordOf({
    approvalKey: 'approval:10002:b7d0h0m0900@2026-03-01',
    versionId: '10002',
    dueAt: '2026-02-28T09:00:00.000Z',
    state: 'approved',
    decisions: [
      {
        decision: 'approve',
        by: 'lead@example.com',
        via: 'link',
        at: '2026-02-27T10:00:00.000Z',
        contentHash: 'a'.repeat(64),
        revision: 1,
      },
    ],
  });
  const settled = recordOf({
    approvalKey: 'approval:10003:b7d0h0m0900@2026-03-02',
    versionId: '10003',
    dueAt: '2026-03-01T09:00:00.000Z',
    settled: { outcome: 'timeout_held', at: '2026-03-01T09:00:00.000Z', revision: 1 },
  });

  it('lists every record soonest first, and only undecided unsettled ones with --pending', async () => {
    // Arrange
    const ledger = ledgerWith(pending, approved, settled);

    // Act
    const all = await listDrafts(ledger);
    const open = await listDrafts(ledger, { pending: true });

    // Assert
    expect(all.map((r) => r.versionId)).toEqual(['10002', '10003', '10001']);
    expect(open.map((r) => r.versionId)).toEqual(['10001']);
  });

  it('renders a table with the state, the settlement and the last decision, the approver masked', async () => {
    // Act
    const text = renderDraftsList(await listDrafts(ledgerWith(pending, approved, settled)), false);

    // Assert
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^KEY\s+PROJECT\s+SEND TIME\s+STATE\s+REV\s+DRAFTS\s+LAST DECISION$/);
    expect(lines[1]).toMatch(
      /^approval:10002:b7d0h0m0900@2026-03-01\s+ABC\s+2026-02-28 09:00 UTC\s+approved\s+1\s+2\s+approve by l\S+ \(link, r1\)$/,
    );
    expect(lines[2]).toContain('settled: timeout_held');
    expect(text).not.toContain('lead@example.com');
    expect(renderDraftsList([], true)).toBe('No draft waits for approval.');
  });
});

describe('Function: readDrafts', () => {
  it("reads the current revision's drafts of an approval key, paired with their groups", async () => {
    // Act
    const shown = await readDrafts(
      ledgerWith(recordOf()),
      parseReviewKey('approval:10001:b7d0h0m0900@2026-03-08'),
    );

    // Assert
    expect(shown.drafts.map((d) => [d.audience, d.locale, d.recipients, d.draft?.subject])).toEqual([
      ['all', 'en', 12, 'Shop 2.0 arrives tomorrow'],
      ['developers', 'de', 3, 'Shop 2.0 kommt morgen'],
    ]);
    const text = renderDrafts(shown);
    expect(text).toContain('project        ABC\n');
    expect(text).toContain('version        10001, release date 2026-03-08\n');
    expect(
      renderDrafts({ ...shown, record: { ...shown.record, projectName: 'Shop', versionName: 'Shop 2.0' } }),
    ).toContain('project        Shop (ABC)\nversion        Shop 2.0 (10001), release date 2026-03-08\n');
    expect(text).toContain('send time      2026-03-07 09:00 UTC');
    expect(text).toContain(`--- all / en, 12 recipient(s): ${POINT}:en`);
    expect(text).toContain('subject     Shop 2.0 arrives tomorrow');
    expect(text).toContain('New: invoices.');
  });

  it('reads one draft of a draft key, and flags a draft of an earlier revision', async () => {
    // Arrange
    const ledger = ledgerWith(
      recordOf({ revision: 2, draftKeys: [`${POINT}:en#r2`, `${POINT}:de:developers#r2`] }),
    );
    ledger.drafts.set(`${POINT}:en#r2`, emailDraftOf({ key: `${POINT}:en#r2`, subject: 'Revised' }));

    // Act
    const current = await readDrafts(ledger, parseReviewKey(`${POINT}:en#r2`));
    const old = await readDrafts(ledger, parseReviewKey(`${POINT}:en`));

    // Assert
    expect(current.drafts.map((d) => d.draft?.subject)).toEqual(['Revised']);
    expect(current.supersededBy).toBeUndefined();
    expect(old.drafts.map((d) => d.draft?.subject)).toEqual(['Shop 2.0 arrives tomorrow']);
    expect(old.supersededBy).toBe(2);
    expect(renderDrafts(old)).toContain(
      `note: this draft is not in the current revision (2); approve and hold refuse its key: read ${old.record.approvalKey}, then decide with --revision 2`,
    );
    expect(renderDrafts(old)).toContain(`hash           ${old.record.contentHash.slice(0, 12)}\n`);
    const carried = renderDrafts({
      ...old,
      record: {
        ...old.record,
        state: 'held',
        heldFrom: { revision: 1, by: 'lead@example.com', at: '2026-03-06T10:00:00.000Z' },
      },
    });
    expect(carried).toMatch(
      /held from {6}revision 1 by l\S+ at 2026-03-06 10:00 UTC \(carried: only an approve of this revision sends it\)/,
    );
    expect(carried).not.toContain('lead@example.com');
  });

  it('fails with an operator error for an unknown record or draft', async () => {
    await expect(readDrafts(new FakeLedger(), parseReviewKey('approval:1:x@none'))).rejects.toThrow(
      'no approval record approval:1:x@none',
    );
    await expect(readDrafts(ledgerWith(recordOf()), parseReviewKey(`${POINT}:fr`))).rejects.toThrow(
      `no draft ${POINT}:fr`,
    );
  });

  it('writes the HTML part to the file for one draft, and one file per draft otherwise', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'herald-drafts-'));
    const ledger = ledgerWith(recordOf());

    // Act
    const one = await writeDraftHtml(
      await readDrafts(ledger, parseReviewKey(`${POINT}:en`)),
      join(dir, 'one.html'),
    );
    const both = await writeDraftHtml(
      await readDrafts(ledger, parseReviewKey('approval:10001:b7d0h0m0900@2026-03-08')),
      join(dir, 'all.html'),
    );

    // Assert
    expect(one).toEqual([join(dir, 'one.html')]);
    expect(await readFile(join(dir, 'one.html'), 'utf8')).toBe('<p>en</p>');
    expect(both).toEqual([join(dir, 'all.en.all.html'), join(dir, 'all.de.developers.html')]);
    expect(await readFile(join(dir, 'all.de.developers.html'), 'utf8')).toBe('<p>de</p>');
  });
});

describe('Function: decideAsOperator', () => {
  it("records the operator's decision via cli on the current content hash and revision", async () => {
    // Arrange
    const record = recordOf({ revision: 2, contentHash: 'e'.repeat(64) });
    const ledger = ledgerWith(record);

    // Act
    const result = await decideAsOperator(ledger, byAna(record, 'approve'));

    // Assert
    expect(result.status).toBe('recorded');
    expect(ledger.approvals.get(record.approvalKey)?.state).toBe('approved');
    expect(ledger.approvals.get(record.approvalKey)?.decisions).toEqual([
      {
        decision: 'approve',
        by: 'ana',
        via: 'cli',
        at: NOW.toISOString(),
        contentHash: 'e'.repeat(64),
        revision: 2,
      },
    ]);
    expect(describeOperatorDecision(result)).toBe(
      `${record.approvalKey} (revision 2, hash eeeeeeeeeeee) approved by ana: the emails go out at 2026-03-07 09:00 UTC.`,
    );
  });

  it('changes nothing and says so when the same decision stands', async () => {
    // Arrange
    const record = recordOf({ state: 'held' });
    const ledger = ledgerWith(record);

    // Act
    const result = await decideAsOperator(ledger, byAna(record, 'hold'));

    // Assert
    expect(result.status).toBe('already');
    expect(ledger.approvals.get(record.approvalKey)?.decisions).toEqual([]);
    expect(describeOperatorDecision(result)).toContain('was already held; nothing changed.');
  });

  it('refuses a draft key or --revision of another revision, naming the current one, and decides nothing', async () => {
    // Arrange: the point moved on to revision 3 (a release change) after the operator read r1.
    const record = recordOf({
      revision: 3,
      contentHash: 'c'.repeat(64),
      draftKeys: [`${POINT}:en#r3`],
    });
    const ledger = ledgerWith(record);
    const request = {
      approvalKey: record.approvalKey,
      decision: 'approve' as const,
      by: 'ana',
      now: () => NOW,
    };

    // Act & Assert
    await expect(decideAsOperator(ledger, { ...request, draftKey: `${POINT}:en#r1` })).rejects.toThrow(
      new OpsError(
        `${POINT}:en#r1 is not a draft of the current revision: ${record.approvalKey} is at revision 3 (drafts ${POINT}:en#r3); look at it with herald drafts show ${record.approvalKey}; nothing changed`,
      ),
    );
    await expect(decideAsOperator(ledger, { ...request, draftKey: `${POINT}:en` })).rejects.toThrow(
      'is not a draft of the current revision',
    );
    await expect(decideAsOperator(ledger, { ...request, revision: 2 })).rejects.toThrow(
      new OpsError(
        `revision 2 is not the current one: ${record.approvalKey} is at revision 3; look at it with herald drafts show ${record.approvalKey}; nothing changed`,
      ),
    );
    expect(ledger.approvals.get(record.approvalKey)).toEqual(record);

    // Act: the current revision's draft key and number decide on its hash.
    const result = await decideAsOperator(ledger, { ...request, draftKey: `${POINT}:en#r3`, revision: 3 });

    // Assert
    expect(result.status).toBe('recorded');
    expect(ledger.approvals.get(record.approvalKey)?.decisions).toMatchObject([
      { decision: 'approve', via: 'cli', contentHash: 'c'.repeat(64), revision: 3 },
    ]);
  });

  it('refuses a settled point and an unknown key with an operator error, changing nothing', async () => {
    // Arrange
    const record = recordOf({ settled: { outcome: 'sent', at: '2026-03-07T09:00:00.000Z', revision: 1 } });
    const ledger = ledgerWith(record);

    // Act & Assert
    await expect(
      decideAsOperator(ledger, {
        approvalKey: record.approvalKey,
        decision: 'hold',
        by: 'ana',
        now: () => NOW,
      }),
    ).rejects.toThrow(
      new OpsError(
        `${record.approvalKey} was settled at its send time (sent): no decision is taken any more; nothing changed`,
      ),
    );
    await expect(
      decideAsOperator(ledger, {
        approvalKey: 'approval:1:x@none',
        decision: 'hold',
        by: 'ana',
        now: () => NOW,
      }),
    ).rejects.toThrow('no approval record approval:1:x@none');
    expect(ledger.approvals.get(record.approvalKey)?.decisions).toEqual([]);
  });
});

describe('herald drafts (command line)', () => {
  it('documents every subcommand in --help', async () => {
    // Act
    const help = await runCli(['drafts', '--help']);
    const edit = await runCli(['drafts', 'edit', '--help']);

    // Assert
    expect(help.code).toBe(0);
    for (const sub of ['list', 'show', 'approve', 'hold', 'edit'])
      expect(help.stdout).toMatch(new RegExp(`\\n\\s+${sub}\\b`));
    expect(edit.stdout).toContain('--format <format>');
    expect(edit.stdout).toContain('same checks as the model');
  });

  it('refuses a malformed key or format with exit 2 before touching AWS', async () => {
    // Act
    const key = await runCli(['drafts', 'approve', 'not-a-key', '--endpoint', 'http://127.0.0.1:9']);
    const format = await runCli(['drafts', 'edit', `${POINT}:en`, '--format', 'toml']);

    // Assert
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('"not-a-key" is neither an approval key');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('expected json or yaml.');
  });
});
