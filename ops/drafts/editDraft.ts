import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraPort } from '#adapters/jira/JiraPort';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { ApprovalRecord } from '#contracts/approval';
import type { EmailDraft, LlmEmail } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { parseContract } from '#contracts/errors';
import { reviewJobMessage } from '#contracts/reviewJob';
import { DEFAULT_SEND_POLICY, ON_RELEASE_POINT_ID, type SendPolicy } from '#contracts/sendPolicy';
import { OpsError } from '#ops/cli/errors';
import { carriedHold, draftContentHash, revisionDraftKey } from '#stages/compose/approval/index';
import { checkCitations } from '#stages/compose/citations';
import { emailPresentationOf } from '#stages/compose/emailPresentation';
import { checkDraft, coverageOf, draftHasProblems } from '#stages/compose/grounding/index';
import { audienceOf, ReleaseScope } from '#stages/compose/releaseScope';
import { renderEmail } from '#stages/compose/renderEmail';
import { type GroupDraftKey, groupDraftKeys } from '#stages/webhook/groupDrafts';
import { queueName } from '#topology/topology';
import { describeProblems } from './editChecks.ts';

/** What `herald drafts edit` reads and writes. */
export interface EditDeps {
  ledger: Pick<ApprovalLedgerPort, 'getApproval' | 'putApprovalRevision'> &
    Pick<LedgerPort, 'getDraft' | 'putDraftIfAbsent'>;
  jira: JiraPort;
  directory: Pick<DirectoryPort, 'getPolicy'>;
  /** Where the review.job goes (the compose queue), so the approvers get the new revision. */
  queue: QueuePort;
  /** HERALD_ENV, for the queue name. */
  env: string;
  now: () => Date;
  /** Most issues read from Jira (JIRA_MAX_ISSUES). */
  maxIssues?: number | undefined;
}

/** A draft that may be edited: the current revision's, with its structured content. */
export interface EditableDraft {
  record: ApprovalRecord;
  group: GroupDraftKey & { draftKey: string };
  draft: EmailDraft;
  content: LlmEmail;
}

/**
 * The draft a key names, if it may be edited now: its point's record exists and is not settled,
 * the draft is in the record's current revision, and it kept its structured content.
 * @throws OpsError naming what stands in the way (nothing was changed).
 */
export const loadEditable = async (
  ledger: EditDeps['ledger'],
  key: { approvalKey: string; draftKey?: string | undefined },
): Promise<EditableDraft> => {
  if (key.draftKey === undefined) {
    throw new OpsError(`edit takes a draft key (see herald drafts show ${key.approvalKey})`);
  }
  const record = await ledger.getApproval(key.approvalKey);
  if (record === null) throw new OpsError(`no approval record ${key.approvalKey} (see herald drafts list)`);
  if (record.settled) {
    throw new OpsError(
      `${record.approvalKey} was settled at its send time (${record.settled.outcome}): it cannot be edited`,
    );
  }
  const group = groupDraftKeys(record).find((g) => g.draftKey === key.draftKey);
  if (group?.draftKey === undefined) {
    const current = groupDraftKeys(record)
      .map((g) => g.draftKey)
      .filter(Boolean);
    throw new OpsError(
      `${key.draftKey} is not a draft of the current revision (${record.revision}) of ${record.approvalKey}; its drafts are ${current.join(', ')}`,
    );
  }
  const draft = await ledger.getDraft(group.draftKey);
  if (draft === null) throw new OpsError(`draft ${group.draftKey} is gone from the ledger (expired?)`);
  if (draft.content === undefined) {
    throw new OpsError(
      `draft ${group.draftKey} was stored without its structured content: it cannot be edited`,
    );
  }
  return { record, group: { ...group, draftKey: group.draftKey }, draft, content: draft.content };
};

/** An edited draft that passed every check, rendered and ready to store. */
interface CheckedEdit {
  policy: SendPolicy;
  draft: Omit<EmailDraft, 'key' | 'createdAt'>;
}

/**
 * Checks an edit as the model's answers are checked ({@link checkDraft} over the audience's
 * scope read fresh from Jira: citations and keys, numbers, names and promises backed by the
 * cited issues, the content policy, coverage), then renders it as compose would.
 * @returns the rendered draft, or one line per failed check.
 */
export const checkEdit = async (
  deps: EditDeps,
  editable: EditableDraft,
  email: LlmEmail,
): Promise<{ checked: CheckedEdit; problems?: undefined } | { checked?: undefined; problems: string[] }> => {
  const { record, group } = editable;
  const version = await deps.jira.getVersion(record.versionId);
  if (version === null)
    throw new OpsError(`version ${record.versionId} no longer exists in Jira: nothing to edit`);
  const policy = (await deps.directory.getPolicy(record.projectKey)) ?? DEFAULT_SEND_POLICY;
  const scope = new ReleaseScope({
    projectKey: record.projectKey,
    policy,
    read: (conditions) =>
      deps.jira.listReleaseIssues(record.versionId, {
        scope: conditions,
        releaseNoteField: policy.releaseNoteField,
        ...(deps.maxIssues !== undefined ? { maxIssues: deps.maxIssues } : {}),
      }),
  });
  const scoped = await scope.of(audienceOf(policy, group.audience) ?? { name: group.audience });
  const problems = checkDraft(
    email,
    {
      issues: scoped.inScope,
      locale: group.locale,
      release: {
        versionName: version.name,
        description: version.description,
        releaseDate: version.releaseDate,
      },
    },
    { minCoverage: policy.minCoverage },
  );
  if (draftHasProblems(problems)) return { problems: describeProblems(problems) };
  const project = await deps.jira.getProject(record.projectKey);
  const presentation = emailPresentationOf(policy, project.name);
  const rendered = renderEmail(email, {
    projectName: project.name,
    versionName: version.name,
    releaseDate: version.releaseDate,
    siteUrl: deps.jira.siteUrl,
    locale: group.locale,
    references: presentation.references,
    footerLine: presentation.footerLine,
  });
  const inScopeKeys = scoped.inScope.map((i) => i.key);
  return {
    checked: {
      policy,
      draft: {
        source: 'edited',
        locale: group.locale,
        ...rendered,
        issueKeys: checkCitations(email, inScopeKeys).cited,
        coverage: coverageOf(email, inScopeKeys),
        fromName: presentation.fromName,
        ...(presentation.replyTo !== undefined ? { replyTo: presentation.replyTo } : {}),
        content: email,
      },
    },
  };
};

/**
 * Stores a checked edit as the point's next revision: every draft of the current revision is
 * carried over under its `#r<n+1>` key, the edited one replaced; the record gets the new content
 * hash, `pending_approval` (`held` when it was held: a hold survives an edit), no decision, and
 * `changes.editedBy`. Then one review.job on the
 * compose queue, whose handling emails the approvers the new revision.
 * @throws OpsError when another revision was stored first (the edit applies to nothing).
 */
export const storeEditedRevision = async (
  deps: EditDeps,
  editable: EditableDraft,
  checked: CheckedEdit,
  by: string,
): Promise<ApprovalRecord> => {
  const { record } = editable;
  const revision = record.revision + 1;
  const createdAt = deps.now().toISOString();
  const drafts: EmailDraft[] = [];
  for (const group of groupDraftKeys(record)) {
    if (group.draftKey === undefined) continue;
    const key = revisionDraftKey(record, group, revision);
    const previous =
      group.draftKey === editable.group.draftKey ? undefined : await deps.ledger.getDraft(group.draftKey);
    if (group.draftKey !== editable.group.draftKey && previous === null) {
      throw new OpsError(`draft ${group.draftKey} is gone from the ledger (expired?): nothing stored`);
    }
    const draft: EmailDraft = previous
      ? { ...previous, key, createdAt }
      : { ...checked.draft, key, createdAt };
    drafts.push(await deps.ledger.putDraftIfAbsent(draft));
  }
  // A hold survives the edit: the edited revision starts held until someone approves it.
  const { heldFrom: _previousHold, ...kept } = record;
  const start = carriedHold(record);
  const next: ApprovalRecord = {
    ...kept,
    revision,
    contentHash: draftContentHash(drafts),
    draftKeys: drafts.map((d) => d.key).sort(),
    state: start.state,
    changes: { added: [], removed: [], editedBy: by },
    decisions: [],
    updatedAt: createdAt,
    ...(start.state === 'held' ? { heldFrom: start.heldFrom } : {}),
  };
  const stored = await deps.ledger.putApprovalRevision(next);
  if (stored.revision !== next.revision || stored.contentHash !== next.contentHash) {
    throw new OpsError(
      `${record.approvalKey} got revision ${stored.revision} from elsewhere first: your edit was not applied; edit that revision`,
    );
  }
  await requestReview(deps, stored, checked.policy);
  return stored;
};

/** One review.job for the point, so compose emails the approvers the stored revision. */
const requestReview = async (deps: EditDeps, record: ApprovalRecord, policy: SendPolicy): Promise<void> => {
  const envelope = parseContract(
    'review.job',
    reviewJobMessage,
    wrap('review.job', `${record.approvalKey}#r${record.revision}:edited`, {
      versionId: record.versionId,
      projectKey: record.projectKey,
      pointId: record.pointId,
      pointKind: record.pointId === ON_RELEASE_POINT_ID ? 'on_release' : 'before',
      ...(record.releaseDate !== undefined ? { releaseDate: record.releaseDate } : {}),
      timeZone: policy.timeZone,
      dueAt: record.dueAt,
      groups: record.groups,
    }),
  );
  await deps.queue.send(queueName('compose', 'main', deps.env), [{ body: JSON.stringify(envelope) }]);
};
