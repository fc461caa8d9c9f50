import { describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalLinkClaims, ApprovalRecord } from '#contracts/approval';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { approvalUrl, sealApprovalToken } from '#shared/approvalToken';
import { sealToken } from '#shared/sealedToken';
import type { SigningKeys } from '#shared/signingKeys';
import { signUnsubscribeToken } from '#shared/unsubscribeToken';
import { handleRequest, type WebhookDeps } from '#stages/webhook/handleRequest';
import type { HttpRequest } from '#stages/webhook/types';
import { emailDraftOf } from '#test/factories/emailDraft';
import { FakeBus } from '#test/factories/FakeBus';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { memoryLogger } from '#test/factories/memoryLogger';
import { reviewRecordOf as approvalRecordOf } from '#test/factories/reviewRecord';

const REVIEW_KEYS: SigningKeys = {
  keys: ['review-key-new-0123456789abcdefghij', 'review-key-old-0123456789abcdefghij'],
};
const UNSUBSCRIBE_KEYS: SigningKeys = { keys: ['unsubscribe-key-0123456789abcdefghij'] };
const NOW = new Date('2026-03-06T12:00:00.000Z');
const APPROVER = 'lead@example.com';
const BASE = 'https://hooks.example.com/review';

/** The decide() calls the ledger saw. */
const decideCalls = (ledger: FakeLedger): string[] => ledger.calls.filter((c) => c.startsWith('decide:'));

/** The policy of project ABC with one approver (the record's project). */
const policyWithApprovers = (approvers: string[]): SendPolicy => ({
  ...DEFAULT_SEND_POLICY,
  approval: { approvers, lead: '24h', onTimeout: 'hold' },
});

const EN_KEY = 'draft:10001:b7d0h0m0900@2026-03-08:en';
const DE_KEY = 'draft:10001:b7d0h0m0900@2026-03-08:de:developers';

const setup = (record: ApprovalRecord = approvalRecordOf(), approvers = [APPROVER]) => {
  const ledger = new FakeLedger();
  ledger.approvals.set(record.approvalKey, record);
  ledger.drafts.set(EN_KEY, emailDraftOf({ key: EN_KEY, subject: 'Shop 2.0 arrives tomorrow' }));
  ledger.drafts.set(
    DE_KEY,
    emailDraftOf({ key: DE_KEY, locale: 'de', subject: 'Shop 2.0 <kommt> morgen & mehr' }),
  );
  const directory = new FakeDirectory();
  directory.policies.set('ABC', policyWithApprovers(approvers));
  const log = memoryLogger();
  const deps: WebhookDeps = {
    bus: new FakeBus(),
    directory,
    webhookSecret: async () => 'webhook-secret',
    logger: log.logger,
    now: () => NOW,
    signingKeys: async () => UNSUBSCRIBE_KEYS,
    reviewSigningKeys: async () => REVIEW_KEYS,
    approvals: ledger,
    drafts: ledger,
  };
  return { ledger, directory, log, deps, record };
};

const claimsOf = (record: ApprovalRecord, decision: ApprovalDecision = 'approve'): ApprovalLinkClaims => ({
  approvalKey: record.approvalKey,
  contentHash: record.contentHash,
  approver: APPROVER,
  decision,
  expiresAt: Date.parse(record.dueAt),
});

const get = (token: string): HttpRequest => ({
  method: 'GET',
  path: `/review?t=${encodeURIComponent(token)}`,
  headers: {},
  body: Buffer.alloc(0),
});

const post = (token: string): HttpRequest => ({
  method: 'POST',
  path: '/review',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: Buffer.from(new URLSearchParams({ t: token }).toString()),
});

describe('Function: handleRequest (review links)', () => {
  it('shows what an Approve link approves on GET, with a form posting the token, and decides nothing', async () => {
    // Arrange
    const { ledger, deps, record } = setup();
    const token = sealApprovalToken(REVIEW_KEYS, claimsOf(record));

    // Act
    const res = await handleRequest(get(token), deps);

    // Assert
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain('<h1>Approve the release emails?</h1>');
    expect(res.body).toContain('<dt>Project</dt><dd>ABC</dd>');
    expect(res.body).toContain('<dt>Version</dt><dd>10001, release date 2026-03-08</dd>');
    expect(res.body).toContain('<dt>Send point</dt><dd>b7d0h0m0900</dd>');
    expect(res.body).toContain('<dt>Send time</dt><dd>2026-03-07 09:00 UTC</dd>');
    expect(res.body).toContain(
      '<tr><td>all</td><td>en</td><td>12</td><td>Shop 2.0 arrives tomorrow</td></tr>',
    );
    // Subjects are untrusted text: escaped.
    expect(res.body).toContain(
      '<tr><td>developers</td><td>de</td><td>3</td><td>Shop 2.0 &lt;kommt&gt; morgen &amp; mehr</td></tr>',
    );
    expect(res.body).toContain('<form method="post" action="/review">');
    expect(res.body).toContain(`<input type="hidden" name="t" value="${token}">`);
    expect(res.body).toContain('<button type="submit">Approve revision 1</button>');
    expect(res.body).not.toContain('<script');
    expect(decideCalls(ledger)).toEqual([]);
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('pending_approval');
  });

  it('names the project and the version when the record carries their names (escaped)', async () => {
    // Arrange
    const record = approvalRecordOf({ projectName: 'Acme <Shop>', versionName: 'Spring & Summer' });
    const { deps } = setup(record);

    // Act
    const res = await handleRequest(get(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toContain('<dt>Project</dt><dd>Acme &lt;Shop&gt; (ABC)</dd>');
    expect(res.body).toContain(
      '<dt>Version</dt><dd>Spring &amp; Summer (10001), release date 2026-03-08</dd>',
    );
  });

  it('says a Hold link sends nothing, and lists a group without a draft as such', async () => {
    // Arrange
    const record = approvalRecordOf({ draftKeys: [EN_KEY] });
    const { deps } = setup(record);

    // Act
    const res = await handleRequest(get(sealApprovalToken(REVIEW_KEYS, claimsOf(record, 'hold'))), deps);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Hold the release emails?</h1>');
    expect(res.body).toContain('Holding sends nothing at the send time');
    expect(res.body).toContain(
      '<td>developers</td><td>de</td><td>3</td><td><em>no draft: nothing in scope, nothing sent</em>',
    );
  });

  it('records the approval on POST with the approver, via link, on the content hash, and answers 200', async () => {
    // Arrange
    const { ledger, log, deps, record } = setup();

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Approved</h1>');
    expect(res.body).toContain('The release emails will be sent at 2026-03-07 09:00 UTC.');
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.state).toBe('approved');
    expect(stored?.decisions).toEqual([
      {
        decision: 'approve',
        by: APPROVER,
        via: 'link',
        at: NOW.toISOString(),
        contentHash: record.contentHash,
        revision: 1,
      },
    ]);
    expect(log.events('review_decided')).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain(APPROVER);
  });

  it('holds on POST of a Hold link signed with an older review key still in the list', async () => {
    // Arrange
    const { ledger, deps, record } = setup();
    const token = sealApprovalToken({ keys: [REVIEW_KEYS.keys[1] ?? ''] }, claimsOf(record, 'hold'));

    // Act
    const res = await handleRequest(post(token), deps);

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Held</h1>');
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('held');
  });

  it('answers a replayed POST with 409 "already approved" and records nothing more', async () => {
    // Arrange
    const { ledger, deps, record } = setup();
    const token = sealApprovalToken(REVIEW_KEYS, claimsOf(record));
    await handleRequest(post(token), deps);

    // Act
    const again = await handleRequest(post(token), deps);
    const reopened = await handleRequest(get(token), deps);

    // Assert
    expect(again.status).toBe(409);
    expect(again.body).toContain('<h1>Already approved</h1>');
    expect(again.body).toContain('Nothing was changed.');
    expect(reopened.status).toBe(409);
    expect(reopened.body).toContain('<h1>Already approved</h1>');
    expect((await ledger.getApproval(record.approvalKey))?.decisions).toHaveLength(1);
  });

  it('lets a Hold link replace an earlier approval of the same hash', async () => {
    // Arrange
    const { ledger, deps, record } = setup();
    await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record, 'hold'))), deps);

    // Assert
    expect(res.status).toBe(200);
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.state).toBe('held');
    expect(stored?.decisions.map((d) => d.decision)).toEqual(['approve', 'hold']);
  });

  it('refuses a used Approve link after a later Hold with 409 "already used", on GET and POST', async () => {
    // Arrange: approve, then hold, by the same approver's links.
    const { ledger, deps, record } = setup();
    const approve = sealApprovalToken(REVIEW_KEYS, claimsOf(record));
    await handleRequest(post(approve), deps);
    await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record, 'hold'))), deps);

    // Act: the old Approve link again (forwarded mail, browser history).
    const reopened = await handleRequest(get(approve), deps);
    const replayed = await handleRequest(post(approve), deps);

    // Assert
    for (const res of [reopened, replayed]) {
      expect(res.status).toBe(409);
      expect(res.body).toContain('<h1>Link already used</h1>');
      expect(res.body).toContain(
        'This link already approved this draft (revision 1), and it was held after that: a used link does not reverse a later decision.',
      );
      expect(res.body).toContain('Nothing was changed.');
    }
    const stored = await ledger.getApproval(record.approvalKey);
    expect(stored?.state).toBe('held');
    expect(stored?.decisions.map((d) => d.decision)).toEqual(['approve', 'hold']);
  });

  it('refuses a used link at the ledger too (decide answers used when the page raced the reversal)', async () => {
    // Arrange: approved then held; the page saw the record before the hold (GET passed).
    const { ledger, deps, record } = setup();
    const approve = sealApprovalToken(REVIEW_KEYS, claimsOf(record));
    await handleRequest(post(approve), deps);
    const page = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record, 'hold'))), deps);
    expect(page.status).toBe(200);

    // Act
    const outcome = await ledger.decide(record.approvalKey, {
      decision: 'approve',
      by: APPROVER,
      via: 'link',
      at: NOW.toISOString(),
      contentHash: record.contentHash,
      revision: 1,
    });

    // Assert
    expect(outcome.status).toBe('used');
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('held');
  });

  it('acts on a POST only with the token in a form body, never the query string', async () => {
    // Arrange
    const { ledger, deps, record } = setup();
    const token = sealApprovalToken(REVIEW_KEYS, claimsOf(record));
    const toLink = (headers: Record<string, string>, body: string): HttpRequest => ({
      method: 'POST',
      path: `/review?t=${encodeURIComponent(token)}`,
      headers,
      body: Buffer.from(body),
    });

    // Act
    const bare = await handleRequest(toLink({}, ''), deps);
    const json = await handleRequest(
      toLink({ 'content-type': 'application/json' }, JSON.stringify({ t: token })),
      deps,
    );
    const text = await handleRequest(toLink({ 'content-type': 'text/plain' }, `t=${token}`), deps);

    // Assert
    for (const res of [bare, json, text]) {
      expect(res.status).toBe(400);
      expect(res.body).toContain('<h1>Incomplete link</h1>');
    }
    expect(decideCalls(ledger)).toEqual([]);
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('pending_approval');
  });

  it('forbids framing the review pages (frame-ancestors none, X-Frame-Options DENY)', async () => {
    // Arrange
    const { deps, record } = setup();

    // Act
    const page = await handleRequest(get(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  const token = sealApprovalToken(REVIEW_KEYS, claimsOf(approvalRecordOf()));
  const tampered = `${token.slice(0, 12)}${token[12] === 'A' ? 'B' : 'A'}${token.slice(13)}`;
  it.each([
    ['no token', '', 400, 'Incomplete link'],
    ['a tampered token', tampered, 403, 'Invalid link'],
    ['a token cut short', token.slice(0, -5), 403, 'Invalid link'],
    [
      'a forged token (a key not in the list)',
      sealApprovalToken({ keys: ['f'.repeat(40)] }, claimsOf(approvalRecordOf())),
      403,
      'Invalid link',
    ],
    [
      'an unsubscribe token under the review key',
      signUnsubscribeToken(REVIEW_KEYS, { projectKey: 'ABC', email: APPROVER }),
      403,
      'Invalid link',
    ],
    [
      'a token sealed over another shape',
      sealToken(REVIEW_KEYS, 'approval', ['only', 'two']),
      403,
      'Invalid link',
    ],
    [
      'a link sealed with the unsubscribe keys',
      sealApprovalToken(UNSUBSCRIBE_KEYS, claimsOf(approvalRecordOf())),
      403,
      'Invalid link',
    ],
    [
      'an expired link (past the send time)',
      sealApprovalToken(REVIEW_KEYS, { ...claimsOf(approvalRecordOf()), expiresAt: NOW.getTime() - 1 }),
      410,
      'Link expired',
    ],
    [
      'a link of a point without an approval record',
      sealApprovalToken(REVIEW_KEYS, { ...claimsOf(approvalRecordOf()), approvalKey: 'approval:1:x@none' }),
      404,
      'Review not found',
    ],
    [
      'a link of an approver no longer in the policy',
      sealApprovalToken(REVIEW_KEYS, { ...claimsOf(approvalRecordOf()), approver: 'gone@example.com' }),
      403,
      'Not an approver',
    ],
    [
      'a link of a superseded content hash',
      sealApprovalToken(REVIEW_KEYS, { ...claimsOf(approvalRecordOf()), contentHash: 'o'.repeat(64) }),
      409,
      'Draft changed',
    ],
  ])('refuses %s on GET and POST with %i and a page, changing nothing', async (_name, t, status, title) => {
    // Arrange
    const { ledger, log, deps, record } = setup();

    // Act
    const onGet = await handleRequest(get(t), deps);
    const onPost = await handleRequest(post(t), deps);

    // Assert
    for (const res of [onGet, onPost]) {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain(`<h1>${title}</h1>`);
      expect(res.body).toContain('Nothing was changed.');
    }
    expect(decideCalls(ledger)).toEqual([]);
    expect(await ledger.getApproval(record.approvalKey)).toEqual(record);
    expect(log.events('review_link_refused').map((l) => l.status)).toEqual([status, status]);
  });

  it('says "this draft has changed, see the new review email" for an old revision\'s link', async () => {
    // Arrange
    const old = approvalRecordOf();
    const { ledger, deps } = setup(approvalRecordOf({ revision: 2, contentHash: 'n'.repeat(64) }));

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(old))), deps);

    // Assert
    expect(res.status).toBe(409);
    expect(res.body).toContain('This draft has changed, see the new review email (revision 2).');
    expect(decideCalls(ledger)).toEqual([]);
  });

  it('refuses with 409 "review closed" once the point was settled at its send time', async () => {
    // Arrange
    const record = approvalRecordOf({
      settled: { outcome: 'timeout_held', at: '2026-03-06T11:00:00.000Z', revision: 1 },
    });
    const { ledger, deps } = setup(record);

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(409);
    expect(res.body).toContain('<h1>Review closed</h1>');
    expect(res.body).toContain('timeout_held at 2026-03-06 11:00 UTC');
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('pending_approval');
  });

  it('refuses when a newer revision lands between the page and the POST (decide says superseded)', async () => {
    // Arrange: the ledger answers as if the hash changed after getApproval.
    const { ledger, deps, record } = setup();
    const newer = approvalRecordOf({ revision: 2, contentHash: 'n'.repeat(64) });
    ledger.decide = async () => ({ status: 'superseded', record: newer });

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(409);
    expect(res.body).toContain('see the new review email (revision 2)');
  });

  it('matches approvers case-insensitively', async () => {
    // Arrange
    const { ledger, deps, record } = setup(approvalRecordOf(), ['Lead@Example.com']);

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(200);
    expect((await ledger.getApproval(record.approvalKey))?.state).toBe('approved');
  });

  it('refuses a link whose project has no approval policy any more (403)', async () => {
    // Arrange
    const { directory, deps, record } = setup();
    directory.policies.set('ABC', DEFAULT_SEND_POLICY);

    // Act
    const res = await handleRequest(post(sealApprovalToken(REVIEW_KEYS, claimsOf(record))), deps);

    // Assert
    expect(res.status).toBe(403);
    expect(res.body).toContain('<h1>Not an approver</h1>');
  });

  it('builds links that carry only the token: no key, address or hash in clear', () => {
    // Act
    const url = new URL(approvalUrl(BASE, REVIEW_KEYS, claimsOf(approvalRecordOf())));

    // Assert
    expect([...url.searchParams.keys()]).toEqual(['t']);
    for (const clear of ['lead', '%40', 'approval', 'ccccc', '10001']) expect(url.href).not.toContain(clear);
  });

  it('answers 405 to other methods on /review', async () => {
    // Arrange
    const { deps } = setup();

    // Act
    const res = await handleRequest(
      { method: 'PUT', path: '/review', headers: {}, body: Buffer.alloc(0) },
      deps,
    );

    // Assert
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
  });
});
