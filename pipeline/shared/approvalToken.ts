import type { ApprovalDecision, ApprovalLinkClaims } from '#contracts/approval';
import { APPROVAL_DECISIONS } from '#contracts/approval';
import { openToken, sealToken } from './sealedToken.ts';
import type { SigningKeys } from './signingKeys.ts';

/** The purpose approval tokens are sealed for (no unsubscribe token opens as one, nor the reverse). */
const PURPOSE = 'approval';

/**
 * The opaque token of an Approve or Hold link: the draft's approval key, its content hash, the
 * approver and the decision, sealed with the first review-signing key (the `review-signing-keys`
 * secret, never the webhook secret nor the unsubscribe keys; see {@link sealToken}). Nothing in
 * the link reads as an address or a key, and no one without a key can make or alter one.
 */
export const sealApprovalToken = (keys: SigningKeys, claims: ApprovalLinkClaims): string =>
  sealToken(keys, PURPOSE, [
    claims.approvalKey,
    claims.contentHash,
    claims.approver,
    claims.decision,
    claims.expiresAt,
  ]);

const isDecision = (value: unknown): value is ApprovalDecision =>
  typeof value === 'string' && (APPROVAL_DECISIONS as readonly string[]).includes(value);

/**
 * The claims of an approval token when one of the accepted keys opens it; undefined for a
 * forged, tampered, malformed or foreign-purpose token. Expiry is NOT checked here: the caller
 * compares `expiresAt` with its clock so it can say "expired" rather than "invalid".
 */
export const openApprovalToken = (keys: SigningKeys, token: string): ApprovalLinkClaims | undefined => {
  const payload = openToken(keys, PURPOSE, token);
  if (!Array.isArray(payload) || payload.length !== 5) return undefined;
  const [approvalKey, contentHash, approver, decision, expiresAt] = payload as unknown[];
  if (typeof approvalKey !== 'string' || !approvalKey) return undefined;
  if (typeof contentHash !== 'string' || !contentHash) return undefined;
  if (typeof approver !== 'string' || !approver) return undefined;
  if (!isDecision(decision) || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  return { approvalKey, contentHash, approver, decision, expiresAt };
};

/** The link of an approval token: `<base>?t=<token>` (the webhook function serves GET and POST on it). */
export const approvalUrl = (baseUrl: string, keys: SigningKeys, claims: ApprovalLinkClaims): string => {
  const url = new URL(baseUrl);
  url.searchParams.set('t', sealApprovalToken(keys, claims));
  return url.toString();
};
