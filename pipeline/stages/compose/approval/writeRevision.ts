import { type ApprovalRecord, approvalKey } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';
import { groupKey, recipientAudience } from '../audiences.ts';
import { draftWriterOf } from '../draftWriterOf.ts';
import type { AudienceScope } from '../releaseScope.ts';
import type { ApprovalContext } from './ApprovalContext.ts';
import { carriedHold } from './carriedHold.ts';
import { approvalInputHash, draftContentHash, scopeChanges } from './approvalHashes.ts';
import { queueReviewEmails } from './queueReviewEmails.ts';
import { revisionDraftKey } from './revisionDraftKey.ts';

/** A draft group of a point: an audience × locale. */
export interface ApprovalGroupLike {
  audience: string;
  locale: string;
}

/** What {@link writeRevision} is asked to do. */
export interface RevisionRequest {
  groups: ApprovalRecord['groups'];
  /** The stored approval record, or null. */
  stored: ApprovalRecord | null;
  /** The point's earliest send time, ISO. */
  dueAt: string;
  /** Set when the revision is written at or after the send time: the send waits until then. */
  waitUntil?: string | undefined;
  /**
   * When the stored revision stands (same input), queue its review emails again (a review.job:
   * after `herald drafts edit` stored a revision, or a crash between storing and queueing). The
   * review send keys make a repeat cost no second email. Default false (the send-time gate).
   */
  requeueReviews?: boolean | undefined;
}

/** What {@link writeRevision} did. */
export type RevisionOutcome =
  /** The stored record stands (same input, or settled). */
  | { kind: 'unchanged'; record: ApprovalRecord }
  /** A new revision is stored (by this call or a concurrent one) and its review emails queued. */
  | { kind: 'written'; record: ApprovalRecord }
  /** No group has an issue in scope: nothing to review or send. */
  | { kind: 'empty' };

/**
 * The groups under the audience names compose sends by: a contact's audience the policy does not
 * define falls back to `all` (as {@link recipientAudience} does), counts merged.
 */
const normaliseGroups = (c: ApprovalContext, groups: ApprovalRecord['groups']): ApprovalRecord['groups'] => {
  const merged = new Map<string, ApprovalRecord['groups'][number]>();
  for (const g of groups) {
    const audience = recipientAudience(c.policy, { audience: g.audience }).audience.name;
    const key = groupKey(audience, g.locale);
    const existing = merged.get(key);
    if (existing) existing.recipients += g.recipients;
    else merged.set(key, { audience, locale: g.locale, recipients: g.recipients });
  }
  return [...merged.values()];
};

/** The Jira project's name (one call; the draft writer caches its own). */
const projectNameOf = async (c: ApprovalContext): Promise<string> =>
  (await c.retry('jira.get_project', ({ signal }) => c.deps.jira.getProject(c.point.projectKey, { signal })))
    .name;

/** The scope of each distinct audience of the groups, read once each. */
const scopesOf = async (c: ApprovalContext, groups: readonly ApprovalGroupLike[]) => {
  const scopes = new Map<string, AudienceScope>();
  for (const group of groups) {
    if (scopes.has(group.audience)) continue;
    const { audience } = recipientAudience(c.policy, { audience: group.audience });
    scopes.set(group.audience, await c.scope.of(audience));
  }
  return scopes;
};

/** The drafts of one revision by group key: one per group with an issue in its audience's scope. */
const writeRevisionDrafts = async (
  c: ApprovalContext,
  groups: ApprovalRecord['groups'],
  scopes: ReadonlyMap<string, AudienceScope>,
  revision: number,
): Promise<Map<string, EmailDraft>> => {
  const write = draftWriterOf(c);
  const drafts = new Map<string, EmailDraft>();
  for (const group of groups) {
    const scoped = scopes.get(group.audience);
    if (!scoped || scoped.inScope.length === 0) continue;
    const key = revisionDraftKey(c.point, group, revision);
    drafts.set(groupKey(group.audience, group.locale), await write(group, key, scoped));
  }
  return drafts;
};

/**
 * Brings the point's approval record up to the release as Jira has it now: computes the input
 * hash over the groups' scopes; when it equals the stored (unsettled) record's, nothing is
 * written (idempotent). Otherwise writes the drafts of every group with an issue in scope
 * (revision 1 under today's draft keys, later ones under `#r<n>`), stores the revision as
 * `pending_approval` (`held` when the previous one was held: {@link carriedHold}) with what
 * changed since the previous one, and queues one review email per approver. A settled record is never revised.
 */
export const writeRevision = async (
  c: ApprovalContext,
  request: RevisionRequest,
): Promise<RevisionOutcome> => {
  const { stored } = request;
  if (stored?.settled) return { kind: 'unchanged', record: stored };
  const groups = normaliseGroups(c, request.groups);
  const scopes = await scopesOf(c, groups);
  // An audience with nothing in scope gets no draft: it is no input (a contact of it appearing
  // or leaving changes nothing to review).
  const inputHash = approvalInputHash(
    c.version,
    [...scopes]
      .filter(([, s]) => s.inScope.length > 0)
      .map(([audience, s]) => ({ audience, issues: s.inScope })),
  );
  // A group that needs a draft the stored revision does not have (a contact in a new locale or
  // audience) is a change too: its draft was never reviewed. A draft-less group is covered.
  const covered =
    stored !== null &&
    groups.every(
      (g) =>
        (scopes.get(g.audience)?.inScope.length ?? 0) === 0 ||
        stored.draftKeys.includes(revisionDraftKey(stored, g, stored.revision)),
    );
  if (stored && stored.inputHash === inputHash && covered) {
    if (request.requeueReviews) await queueReviewEmails(c, stored, scopes, await projectNameOf(c));
    return { kind: 'unchanged', record: stored };
  }
  const revision = (stored?.revision ?? 0) + 1;
  const drafts = await writeRevisionDrafts(c, groups, scopes, revision);
  if (drafts.size === 0) {
    c.logger.warn({ reason: 'no_issue_in_scope', revision }, 'approval_nothing_to_review');
    return { kind: 'empty' };
  }
  const projectName = await projectNameOf(c);
  const inScopeKeys = [...new Set([...scopes.values()].flatMap((s) => s.inScope.map((i) => i.key)))].sort();
  const now = c.deps.now().toISOString();
  const start = carriedHold(stored);
  const record: ApprovalRecord = {
    approvalKey: approvalKey(c.point),
    versionId: c.point.versionId,
    projectKey: c.point.projectKey,
    pointId: c.point.pointId,
    ...(c.point.releaseDate !== undefined ? { releaseDate: c.point.releaseDate } : {}),
    revision,
    contentHash: draftContentHash(drafts.values()),
    inputHash,
    draftKeys: [...drafts.values()].map((d) => d.key).sort(),
    // Every group, a draft-less one too (nothing in its scope): a later call finds it covered.
    groups,
    state: start.state,
    dueAt: request.dueAt,
    ...(stored ? { changes: scopeChanges(stored.inScopeKeys ?? [], inScopeKeys) } : {}),
    decisions: [],
    updatedAt: now,
    ...(request.waitUntil !== undefined ? { waitUntil: request.waitUntil } : {}),
    inScopeKeys,
    versionName: c.version.name,
    projectName,
    ...(start.state === 'held' ? { heldFrom: start.heldFrom } : {}),
  };
  const result = await c.retry('ledger.put_approval_revision', () =>
    c.deps.ledger.putApprovalRevision(record),
  );
  c.logger.info(
    {
      approvalKey: result.approvalKey,
      revision: result.revision,
      written: result.contentHash === record.contentHash,
      drafts: result.draftKeys.length,
      changes: result.changes,
    },
    'approval_revision_written',
  );
  await queueReviewEmails(c, result, scopes, projectName);
  return { kind: 'written', record: result };
};
