import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { ApprovalLedgerPort, DecideOutcome } from '#adapters/ledger/ApprovalLedgerPort';
import { linkUsed } from '#adapters/ledger/approvalTransitions';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { ApprovalDecision, ApprovalLinkClaims, ApprovalRecord } from '#contracts/approval';
import { openApprovalToken } from '#shared/approvalToken';
import { type Log, maskEmail } from '#shared/logger';
import type { SigningKeys } from '#shared/signingKeys';
import { withSpan } from '#shared/tracing';
import { groupDrafts, isApprover } from './groupDrafts.ts';
import {
  formatUtc,
  type ReviewSubject,
  renderReviewConfirmation,
  renderReviewDecided,
  renderReviewRefusal,
} from './reviewPage.ts';
import type { HttpRequest } from './types.ts';

/** What the review pages need. */
export interface ReviewDeps {
  /** Approval records (the ledger): read on GET, decided on POST. */
  approvals: ApprovalLedgerPort;
  /** The revision's drafts (the ledger), whose subjects the confirmation page lists. */
  drafts: Pick<LedgerPort, 'getDraft'>;
  /** The project's policy: the approver must still be in `approval.approvers`. */
  directory: Pick<DirectoryPort, 'getPolicy'>;
  /** Keys that open Approve/Hold tokens (the review-signing-keys secret). Cached by the caller. */
  reviewSigningKeys: () => Promise<SigningKeys>;
  logger: Log;
  /** Clock: link expiry and the decision's time. */
  now: () => Date;
}

/** Largest form body a review POST may carry, bytes (a token is a few hundred). */
export const MAX_REVIEW_BODY_BYTES = 16 * 1024;

/** Why a review link changes nothing; each has its own page and 4xx status. */
export type ReviewRefusal =
  | { reason: 'missing_token' }
  | { reason: 'body_too_large' }
  | { reason: 'invalid_token' }
  | { reason: 'expired'; expiresAt: number }
  | { reason: 'not_found' }
  | { reason: 'not_approver'; projectKey: string }
  | { reason: 'closed'; record: ApprovalRecord }
  | { reason: 'superseded'; record: ApprovalRecord }
  | { reason: 'already'; decision: ApprovalDecision; record: ApprovalRecord }
  | { reason: 'used'; decision: ApprovalDecision; record: ApprovalRecord };

/** A page of the review link: its status and HTML. */
export interface ReviewPage {
  status: number;
  html: string;
  /** Set on refusals: the fixed snake_case reason logged. */
  refused?: ReviewRefusal['reason'];
}

const NOTHING_CHANGED = 'Nothing was changed.';
const PAST = { approve: 'approved', hold: 'held' } as const satisfies Record<ApprovalDecision, string>;

/** The status, title and sentence of each refusal. */
export const describeRefusal = (r: ReviewRefusal): { status: number; title: string; message: string } => {
  switch (r.reason) {
    case 'missing_token':
      return {
        status: 400,
        title: 'Incomplete link',
        message: `This review link is incomplete: open the Approve or Hold link of the review email as it is. ${NOTHING_CHANGED}`,
      };
    case 'body_too_large':
      return { status: 413, title: 'Request too large', message: NOTHING_CHANGED };
    case 'invalid_token':
      return {
        status: 403,
        title: 'Invalid link',
        message: `This review link is not valid: it was altered, or release-herald did not issue it. Use the links of the latest review email. ${NOTHING_CHANGED}`,
      };
    case 'expired':
      return {
        status: 410,
        title: 'Link expired',
        message: `This review link expired at the send time, ${formatUtc(new Date(r.expiresAt).toISOString())}. ${NOTHING_CHANGED}`,
      };
    case 'not_found':
      return {
        status: 404,
        title: 'Review not found',
        message: `There is no review for this link any more. ${NOTHING_CHANGED}`,
      };
    case 'not_approver':
      return {
        status: 403,
        title: 'Not an approver',
        message: `This link was sent to an approver who is no longer in project ${r.projectKey}'s approval policy. ${NOTHING_CHANGED}`,
      };
    case 'closed':
      return {
        status: 409,
        title: 'Review closed',
        message: `The send time of these emails has come (${r.record.settled?.outcome ?? 'settled'} at ${formatUtc(r.record.settled?.at ?? r.record.dueAt)}): no decision is taken any more. ${NOTHING_CHANGED}`,
      };
    case 'superseded':
      return {
        status: 409,
        title: 'Draft changed',
        message: `This draft has changed, see the new review email (revision ${r.record.revision}). ${NOTHING_CHANGED}`,
      };
    case 'already':
      return {
        status: 409,
        title: `Already ${PAST[r.decision]}`,
        message: `This draft was already ${PAST[r.decision]} (revision ${r.record.revision}). ${NOTHING_CHANGED}`,
      };
    case 'used':
      return {
        status: 409,
        title: 'Link already used',
        message: `This link already ${PAST[r.decision]} this draft (revision ${r.record.revision}), and it was ${r.record.state === 'approved' ? 'approved' : 'held'} after that: a used link does not reverse a later decision. To ${r.decision} it again, ask an operator (herald drafts ${r.decision}). ${NOTHING_CHANGED}`,
      };
  }
};

const refusal = (r: ReviewRefusal): ReviewPage => {
  const { status, title, message } = describeRefusal(r);
  return { status, html: renderReviewRefusal(title, message), refused: r.reason };
};

/** The refusal a record's standing gives the link, or undefined when the link may act on it. */
const standingOf = (record: ApprovalRecord, claims: ApprovalLinkClaims): ReviewRefusal | undefined => {
  if (record.settled !== undefined) return { reason: 'closed', record };
  if (record.contentHash !== claims.contentHash) return { reason: 'superseded', record };
  if (record.state === PAST[claims.decision]) return { reason: 'already', decision: claims.decision, record };
  if (linkUsed(record, { by: claims.approver, ...claims })) {
    return { reason: 'used', decision: claims.decision, record };
  }
  return undefined;
};

const refusalOf = (outcome: Exclude<DecideOutcome, { status: 'recorded' }>, decision: ApprovalDecision) =>
  outcome.status === 'not_found'
    ? refusal({ reason: 'not_found' })
    : outcome.status === 'already' || outcome.status === 'used'
      ? refusal({ reason: outcome.status, decision, record: outcome.record })
      : refusal({ reason: outcome.status, record: outcome.record });

const subjectOf = (record: ApprovalRecord): ReviewSubject => ({
  projectKey: record.projectKey,
  projectName: record.projectName,
  versionId: record.versionId,
  versionName: record.versionName,
  pointId: record.pointId,
  releaseDate: record.releaseDate,
  dueAt: record.dueAt,
  revision: record.revision,
});

/**
 * The token of a request: a GET's query `t`; a POST's form field `t` only (a form-encoded body):
 * a POST to the link URL itself (a scanner replaying it, a foreign form) must not act without
 * the confirmation page.
 */
const tokenOf = (req: HttpRequest, url: URL): string => {
  if (req.method !== 'POST') return url.searchParams.get('t') ?? '';
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return '';
  return new URLSearchParams(req.body.toString('utf8')).get('t') ?? '';
};

/**
 * The Approve/Hold link (`/review?t=<token>`): GET shows what will be approved or held with a
 * form; POST (form field `t`) records the decision through `decide()`. Checked in this order,
 * each refusal changing nothing: no token 400, a token no review key opens (forged, tampered,
 * foreign) 403, past its `expiresAt` 410, no record 404, an approver no longer in the policy 403,
 * a settled point 409, a newer content hash 409 ("this draft has changed"), the same decision
 * already recorded 409, a link used before whose decision was reversed since 409 ("already
 * used"). A POST takes its token from the form body only. Success: 200 (the confirmation page, or the result page).
 */
export const reviewLink = async (req: HttpRequest, url: URL, deps: ReviewDeps): Promise<ReviewPage> => {
  if (req.body.length > MAX_REVIEW_BODY_BYTES) return refusal({ reason: 'body_too_large' });
  const token = tokenOf(req, url);
  if (token === '') return refusal({ reason: 'missing_token' });
  const claims = openApprovalToken(await deps.reviewSigningKeys(), token);
  if (claims === undefined) return refusal({ reason: 'invalid_token' });
  if (deps.now().getTime() > claims.expiresAt)
    return refusal({ reason: 'expired', expiresAt: claims.expiresAt });
  const record = await withSpan('ledger.get_approval', () => deps.approvals.getApproval(claims.approvalKey));
  if (record === null) return refusal({ reason: 'not_found' });
  const policy = await withSpan('directory.get_policy', () => deps.directory.getPolicy(record.projectKey));
  if (!isApprover(policy, claims.approver))
    return refusal({ reason: 'not_approver', projectKey: record.projectKey });
  const standing = standingOf(record, claims);
  if (standing !== undefined) return refusal(standing);

  if (req.method === 'GET') {
    const groups = await groupDrafts(record, (key) =>
      withSpan('ledger.get_draft', () => deps.drafts.getDraft(key)),
    );
    return {
      status: 200,
      html: renderReviewConfirmation({
        ...subjectOf(record),
        decision: claims.decision,
        approver: claims.approver,
        drafts: groups.map((g) => ({ ...g, subject: g.draft?.subject })),
        changes: record.changes,
        action: url.pathname,
        token,
      }),
    };
  }

  const outcome = await withSpan('ledger.decide', () =>
    deps.approvals.decide(claims.approvalKey, {
      decision: claims.decision,
      by: claims.approver,
      via: 'link',
      at: deps.now().toISOString(),
      contentHash: claims.contentHash,
      revision: record.revision,
    }),
  );
  if (outcome.status !== 'recorded') return refusalOf(outcome, claims.decision);
  deps.logger.info(
    {
      approvalKey: claims.approvalKey,
      decision: claims.decision,
      revision: outcome.record.revision,
      approver: maskEmail(claims.approver),
    },
    'review_decided',
  );
  return {
    status: 200,
    html: renderReviewDecided({ ...subjectOf(outcome.record), decision: claims.decision }),
  };
};
