/**
 * Review before send (policy `approval`), the parts other modules use: the hashes a revision is
 * identified by and the draft keys of a revision (ops: `herald drafts edit` writes revisions too).
 */
export { carriedHold } from './carriedHold.ts';
export { approvalInputHash, draftContentHash, scopeChanges } from './approvalHashes.ts';
export { linksExpireAt } from './queueReviewEmails.ts';
export { type ReviewedDraft, renderReviewEmail } from './reviewEmail.ts';
export { revisionDraftKey } from './revisionDraftKey.ts';
