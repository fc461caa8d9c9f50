import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft, LlmEmail } from '#contracts/emailDraft';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { contentText, DraftEditRejectedError, parseContent } from '#ops/drafts/editChecks';
import { checkEdit, type EditDeps, loadEditable, storeEditedRevision } from '#ops/drafts/editDraft';
import { parseReviewKey } from '#ops/drafts/reviewKey';
import { draftContentHash } from '#stages/compose/approval/index';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { billingJira } from '#test/factories/billingRelease';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { llmEmail } from '#test/factories/FakeLlm';
import { FakeQueue } from '#test/factories/FakeQueue';

const NOW = new Date('2026-03-06T12:00:00.000Z');
const BASE = 'draft:10001:b7d0h0m0900@2026-03-08';
const CONTENT = llmEmail(['BILL-1', 'BILL-2', 'BILL-3']);

const setup = (overrides: Partial<ApprovalRecord> = {}) => {
  const drafts: EmailDraft[] = [
    emailDraftOf({ key: `${BASE}:en`, subject: CONTENT.subject, content: CONTENT }),
    emailDraftOf({ key: `${BASE}:de`, locale: 'de', subject: 'Billing 2.4 kommt morgen', content: CONTENT }),
  ];
  const record = approvalRecordOf({
    projectKey: 'BILL',
    draftKeys: drafts.map((d) => d.key).sort(),
    contentHash: draftContentHash(drafts),
    groups: [
      { audience: 'all', locale: 'en', recipients: 2 },
      { audience: 'all', locale: 'de', recipients: 1 },
    ],
    ...overrides,
  });
  const ledger = new FakeLedger();
  for (const d of drafts) ledger.drafts.set(d.key, d);
  ledger.approvals.set(record.approvalKey, record);
  const directory = new FakeDirectory();
  directory.policies.set('BILL', DEFAULT_SEND_POLICY);
  const queue = new FakeQueue();
  const deps: EditDeps = {
    ledger,
    jira: billingJira('10001'),
    directory,
    queue,
    env: 'test',
    now: () => NOW,
  };
  return { ledger, queue, deps, record };
};

/** Checks `edit` (it must pass) and stores it as the next revision, edited by ana. */
const checkAndStore = async (
  deps: EditDeps,
  editable: Awaited<ReturnType<typeof loadEditable>>,
  edit: LlmEmail,
) => {
  const result = await checkEdit(deps, editable, edit);
  if (!result.checked) throw new Error(`unexpected problems: ${result.problems}`);
  return storeEditedRevision(deps, editable, result.checked, 'ana');
};

describe('Function: parseContent', () => {
  it('round-trips the content through JSON and YAML', () => {
    for (const format of ['json', 'yaml'] as const) {
      expect(parseContent(contentText(CONTENT, format), format)).toEqual({ email: CONTENT });
    }
    expect(contentText(CONTENT, 'yaml')).toContain('subject: Billing 2.4 arrives tomorrow');
  });

  it('names a syntax error and every schema violation with its path', () => {
    expect(parseContent('{ "subject": ', 'json').problems?.[0]).toMatch(/^not valid JSON: /);
    const bad = parseContent(
      JSON.stringify({
        ...CONTENT,
        subject: '',
        sections: [{ heading: 'H', items: [{ text: 'x', issueKeys: [] }] }],
      }),
      'json',
    );
    expect(bad.problems).toEqual([
      expect.stringMatching(/^schema: subject: /),
      expect.stringMatching(/^schema: sections\.0\.items\.0\.issueKeys: /),
    ]);
  });
});

describe('Function: loadEditable', () => {
  it('gives the current draft and its content', async () => {
    const { ledger } = setup();
    const editable = await loadEditable(ledger, parseReviewKey(`${BASE}:de`));
    expect(editable.group).toMatchObject({ audience: 'all', locale: 'de', draftKey: `${BASE}:de` });
    expect(editable.content).toEqual(CONTENT);
  });

  it.each([
    ['an approval key', 'approval:10001:b7d0h0m0900@2026-03-08', {}, 'edit takes a draft key'],
    [
      'a settled point',
      `${BASE}:en`,
      { settled: { outcome: 'sent', at: NOW.toISOString(), revision: 1 } },
      'was settled at its send time (sent)',
    ],
    ['a draft not in the current revision', `${BASE}:fr`, {}, 'is not a draft of the current revision (1)'],
  ] as const)('refuses %s', async (_name, key, overrides, message) => {
    const { ledger } = setup(overrides);
    await expect(loadEditable(ledger, parseReviewKey(key))).rejects.toThrow(message);
  });

  it('refuses a draft stored without its content', async () => {
    const { ledger } = setup();
    ledger.drafts.set(`${BASE}:en`, emailDraftOf({ key: `${BASE}:en` }));
    await expect(loadEditable(ledger, parseReviewKey(`${BASE}:en`))).rejects.toThrow(
      'without its structured content',
    );
  });
});

describe('Function: checkEdit + storeEditedRevision', () => {
  it('refuses an edit citing a key outside the scope, with a link and too little coverage, naming each check', async () => {
    // Arrange
    const { ledger, deps } = setup();
    const editable = await loadEditable(ledger, parseReviewKey(`${BASE}:en`));
    const edit = llmEmail(['BILL-9'], { intro: 'Details at https://evil.example/x' });

    // Act
    const result = await checkEdit(deps, editable, edit);

    // Assert
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^grounding: sections\[0\]\.items\[0\]\S* cites or names issue keys outside the audience's scope: BILL-9$/,
      ),
      'content policy: intro contains a url (https://evil.example/x)',
      expect.stringMatching(
        /^coverage: 0 of 3 issues mentioned \(0%\), at least \d+% required; not mentioned: BILL-1, BILL-2, BILL-3$/,
      ),
    ]);
    expect(new DraftEditRejectedError(`${BASE}:en`, result.problems ?? []).message).toContain(
      `the edit of ${BASE}:en fails 3 check(s); nothing was stored:\n  - grounding:`,
    );
  });

  it('stores a passing edit as the next revision: the edited draft, the other carried over, a new hash, a review.job', async () => {
    // Arrange
    const { ledger, queue, deps, record } = setup({
      state: 'approved',
      decisions: [
        {
          decision: 'approve',
          by: 'lead@example.com',
          via: 'link',
          at: NOW.toISOString(),
          contentHash: 'a'.repeat(64),
          revision: 1,
        },
      ],
    });
    const editable = await loadEditable(ledger, parseReviewKey(`${BASE}:en`));
    const edit = { ...CONTENT, subject: 'Billing 2.4: what changes tomorrow' };

    // Act
    const stored = await checkAndStore(deps, editable, edit);

    // Assert
    expect(stored).toMatchObject({
      revision: 2,
      state: 'pending_approval',
      decisions: [],
      changes: { added: [], removed: [], editedBy: 'ana' },
      draftKeys: [`${BASE}:de#r2`, `${BASE}:en#r2`],
    });
    expect(stored.contentHash).not.toBe(record.contentHash);
    const edited = ledger.drafts.get(`${BASE}:en#r2`);
    expect(edited).toMatchObject({
      source: 'edited',
      subject: 'Billing 2.4: what changes tomorrow',
      content: edit,
    });
    expect(edited?.html).toContain('Billing 2.4: what changes tomorrow');
    expect(edited?.issueKeys).toEqual(['BILL-1', 'BILL-2', 'BILL-3']);
    expect(ledger.drafts.get(`${BASE}:de#r2`)?.subject).toBe('Billing 2.4 kommt morgen');
    expect(stored.contentHash).toBe(
      draftContentHash([ledger.drafts.get(`${BASE}:de#r2`), edited].filter((d) => d !== undefined)),
    );
    expect(queue.bodies('herald-test-compose')).toEqual([
      expect.objectContaining({
        kind: 'review.job',
        payload: expect.objectContaining({
          versionId: '10001',
          pointId: 'b7d0h0m0900',
          pointKind: 'before',
          groups: record.groups,
        }),
      }),
    ]);
  });

  it('keeps a held point held through an edit (only an Approve of the edited revision sends it)', async () => {
    // Arrange
    const { ledger, deps, record } = setup({
      state: 'held',
      decisions: [
        {
          decision: 'hold',
          by: 'pm@example.org',
          via: 'link',
          at: NOW.toISOString(),
          contentHash: '',
          revision: 1,
        },
      ],
    });
    ledger.approvals.set(record.approvalKey, {
      ...record,
      decisions: record.decisions.map((d) => ({ ...d, contentHash: record.contentHash })),
    });
    const editable = await loadEditable(ledger, parseReviewKey(`${BASE}:en`));

    // Act
    const stored = await checkAndStore(deps, editable, { ...CONTENT, subject: 'Billing 2.4: fixed' });

    // Assert
    expect(stored).toMatchObject({
      revision: 2,
      state: 'held',
      decisions: [],
      heldFrom: { revision: 1, by: 'pm@example.org', at: NOW.toISOString() },
    });
  });

  it('applies nothing when another revision was stored first', async () => {
    // Arrange
    const { ledger, queue, deps, record } = setup();
    const editable = await loadEditable(ledger, parseReviewKey(`${BASE}:en`));
    const result = await checkEdit(deps, editable, { ...CONTENT, subject: 'Mine' });
    ledger.approvals.set(record.approvalKey, { ...record, revision: 2, contentHash: 'z'.repeat(64) });

    // Act & Assert
    if (!result.checked) throw new Error('unexpected problems');
    await expect(storeEditedRevision(deps, editable, result.checked, 'ana')).rejects.toThrow(
      'got revision 2 from elsewhere first: your edit was not applied',
    );
    expect(queue.sent).toEqual([]);
  });
});
