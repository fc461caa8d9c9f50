import { describe, expect, it } from 'vitest';
import { approvalUrl, openApprovalToken, sealApprovalToken } from '#shared/approvalToken';
import { signUnsubscribeToken } from '#shared/unsubscribeToken';

const NEW_KEY = 'nnnnnnnnnnnn-new-review-key-0123456789';
const OLD_KEY = 'oooooooooooo-old-review-key-0123456789';
const CLAIMS = {
  approvalKey: 'approval:10001:m7d0900@2026-12-20',
  contentHash: 'a'.repeat(64),
  approver: 'reviewer@example.com',
  decision: 'approve',
  expiresAt: Date.UTC(2026, 11, 13, 9),
} as const;

describe('Function: sealApprovalToken / openApprovalToken', () => {
  it('round-trips the claims and shows nothing of them', () => {
    const token = sealApprovalToken({ keys: [NEW_KEY] }, CLAIMS);

    expect(token).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token.slice(3), 'base64url').toString('latin1')).not.toMatch(
      /reviewer|approval|10001/,
    );
    expect(openApprovalToken({ keys: [NEW_KEY] }, token)).toEqual(CLAIMS);
  });

  it('binds the decision, hash and approver: changing any gives another token', () => {
    const token = sealApprovalToken({ keys: [NEW_KEY] }, CLAIMS);
    expect(sealApprovalToken({ keys: [NEW_KEY] }, { ...CLAIMS, decision: 'hold' })).not.toBe(token);
    expect(sealApprovalToken({ keys: [NEW_KEY] }, { ...CLAIMS, contentHash: 'b'.repeat(64) })).not.toBe(
      token,
    );
    expect(sealApprovalToken({ keys: [NEW_KEY] }, { ...CLAIMS, approver: 'other@example.com' })).not.toBe(
      token,
    );
  });

  it('signs with the first key and opens with any key of the list; a dropped key no longer opens', () => {
    const before = sealApprovalToken({ keys: [OLD_KEY] }, CLAIMS);

    expect(openApprovalToken({ keys: [NEW_KEY, OLD_KEY] }, before)).toEqual(CLAIMS);
    expect(openApprovalToken({ keys: [NEW_KEY] }, before)).toBeUndefined();
  });

  it('refuses a tampered token, a token of another purpose and garbage', () => {
    const token = sealApprovalToken({ keys: [NEW_KEY] }, CLAIMS);
    const raw = Buffer.from(token.slice(3), 'base64url');
    raw[20] = (raw[20] ?? 0) ^ 0x01;

    expect(openApprovalToken({ keys: [NEW_KEY] }, `s1.${raw.toString('base64url')}`)).toBeUndefined();
    const unsubscribe = signUnsubscribeToken(
      { keys: [NEW_KEY] },
      { projectKey: 'DEMO', email: 'a@example.com' },
    );
    expect(openApprovalToken({ keys: [NEW_KEY] }, unsubscribe)).toBeUndefined();
    expect(openApprovalToken({ keys: [NEW_KEY] }, 'not-a-token')).toBeUndefined();
  });

  it('puts the token in the t parameter of the link', () => {
    const url = new URL(approvalUrl('https://hooks.example.com/review', { keys: [NEW_KEY] }, CLAIMS));

    expect(url.pathname).toBe('/review');
    expect(openApprovalToken({ keys: [NEW_KEY] }, url.searchParams.get('t') ?? '')).toEqual(CLAIMS);
  });
});
