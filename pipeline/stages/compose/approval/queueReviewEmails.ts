import type { ApprovalRecord } from '#contracts/approval';
import { wrap } from '#contracts/envelope';
import { parseContract } from '#contracts/errors';
import { reviewDraftKey } from '#contracts/reviewKeys';
import { sendJobMessage } from '#contracts/sendJob';
import { approvalUrl } from '#shared/approvalToken';
import { PermanentError } from '#shared/errors';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';
import type { AudienceScope } from '../releaseScope.ts';
import type { ApprovalContext } from './ApprovalContext.ts';
import { type ReviewedDraft, renderReviewEmail } from './reviewEmail.ts';
import { revisionDrafts } from './revisionDrafts.ts';

/** When a revision's links stop working: the later of the point's send time and the revision's wait. */
export const linksExpireAt = (record: Pick<ApprovalRecord, 'dueAt' | 'waitUntil'>): string =>
  record.waitUntil !== undefined && record.waitUntil > record.dueAt ? record.waitUntil : record.dueAt;

/** The revision's drafts with their group, read from the ledger, in the record's group order. */
const reviewedDrafts = async (c: ApprovalContext, record: ApprovalRecord): Promise<ReviewedDraft[]> =>
  revisionDrafts(record, (key) => c.retry('ledger.get_draft', () => c.deps.ledger.getDraft(key)));

/**
 * Renders and queues one review email per approver for the record's revision: stored as a draft
 * row ({@link reviewDraftKey}, first writer wins) and sent by the send stage as a send.job of
 * kind `review` (exactly once per approval key, revision and approver). The Approve and Hold
 * links are sealed with the review signing keys, bound to the revision's content hash and the
 * approver, and expire at the send time.
 * @throws PermanentError `review_not_configured` when compose has no review link settings.
 */
export const queueReviewEmails = async (
  c: ApprovalContext,
  record: ApprovalRecord,
  scopes: ReadonlyMap<string, AudienceScope>,
  projectName: string,
): Promise<void> => {
  if (!c.deps.review) {
    throw new PermanentError(
      'review_not_configured',
      'policy approval needs REVIEW_BASE_URL and the review-signing-keys secret',
    );
  }
  const links = await c.deps.review();
  const drafts = await reviewedDrafts(c, record);
  const expiresAt = linksExpireAt(record);
  const scopeList = [...scopes].map(([audience, s]) => ({
    audience,
    inScope: s.inScope.map((i) => i.key),
    leftOut: s.leftOut,
  }));
  const bodies: { body: string }[] = [];
  for (const approver of c.approval.approvers) {
    const claims = {
      approvalKey: record.approvalKey,
      contentHash: record.contentHash,
      approver: approver.toLowerCase(),
      expiresAt: Date.parse(expiresAt),
    };
    const rendered = renderReviewEmail({
      record,
      projectName,
      versionName: c.version.name,
      drafts,
      scopes: scopeList,
      approveUrl: approvalUrl(links.baseUrl, links.keys, { ...claims, decision: 'approve' }),
      holdUrl: approvalUrl(links.baseUrl, links.keys, { ...claims, decision: 'hold' }),
      expiresAt,
      onTimeout: c.approval.onTimeout,
    });
    const key = reviewDraftKey(record.approvalKey, record.revision, approver);
    const stored = await c.retry('ledger.put_draft', () =>
      c.deps.ledger.putDraftIfAbsent({
        key,
        source: 'template',
        locale: 'en',
        ...rendered,
        issueKeys: record.inScopeKeys ?? [],
        createdAt: c.deps.now().toISOString(),
      }),
    );
    const payload = {
      versionId: record.versionId,
      projectKey: record.projectKey,
      pointId: record.pointId,
      ...(record.releaseDate !== undefined ? { releaseDate: record.releaseDate } : {}),
      draftKey: stored.key,
      recipient: { email: approver, locale: 'en' },
      notAfter: expiresAt,
      kind: 'review' as const,
    };
    const envelope = wrap('send.job', `${key}`, payload, currentTraceparent() ?? c.traceparent);
    bodies.push({ body: JSON.stringify(parseContract('send.job', sendJobMessage, envelope)) });
  }
  const target = queueName('send', 'main', c.deps.env ?? '');
  await c.retry('sqs.send', () => c.deps.queue.send(target, bodies));
  c.logger.info(
    { approvalKey: record.approvalKey, revision: record.revision, reviewEmails: bodies.length, expiresAt },
    'review_emails_queued',
  );
};
