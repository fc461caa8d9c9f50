import { createHash } from 'node:crypto';

/** Hex of the approver's address in review draft keys (16 characters of its SHA-256). */
const approverHash = (approver: string): string =>
  createHash('sha256').update(approver.toLowerCase()).digest('hex').slice(0, 16);

/**
 * Ledger key of the review email of one approver for one revision of a point:
 * `review:<approvalKey>#r<revision>:<16 hex of sha256(approver)>`.
 */
export const reviewDraftKey = (approvalKey: string, revision: number, approver: string): string =>
  `review:${approvalKey}#r${revision}:${approverHash(approver)}`;

const REVIEW_DRAFT_KEY = /^review:(.+#r\d+):[0-9a-f]{16}$/;

/**
 * The exactly-once key of a review email: `review:<approvalKey>#r<revision>:<approver>`, from
 * the review draft key it is sent from; undefined when `draftKey` is not a review draft key.
 */
export const reviewSendKey = (draftKey: string, approver: string): string | undefined => {
  const match = REVIEW_DRAFT_KEY.exec(draftKey);
  return match ? `review:${match[1]}:${approver.toLowerCase()}` : undefined;
};
