import { type ApprovalRecord, approvalKey } from '#contracts/approval';
import type { ComposeJob } from '#contracts/composeJob';
import type { EmailDraft } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { pointOutcomeKey } from '#contracts/pointOutcomeKey';
import { currentTraceparent } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { groupKey, groupRecipients } from '../audiences.ts';
import { notAfterOf } from '../lateness.ts';
import type { ApprovalContext } from './ApprovalContext.ts';
import { revisionDrafts } from './revisionDrafts.ts';
import { SENDING_SETTLEMENTS, sendTimeDecision, waitDeadline } from './sendTimeDecision.ts';
import { writeRevision } from './writeRevision.ts';

/** Default {@link ComposeDeps.approvalRecheckSeconds}. */
export const DEFAULT_APPROVAL_RECHECK_SECONDS = 300;

/** The context of the send-time gate: an approval context and the compose job at its send time. */
export interface SendTimeContext extends ApprovalContext {
  job: ComposeJob;
}

/** The settled revision's drafts by group key (every chunk and zone of the point sends these). */
const settledDrafts = async (
  c: SendTimeContext,
  record: ApprovalRecord,
): Promise<Map<string, EmailDraft>> => {
  const drafts = new Map<string, EmailDraft>();
  const read = (key: string) => c.retry('ledger.get_draft', () => c.deps.ledger.getDraft(key));
  for (const { draft, ...group } of await revisionDrafts(record, read)) {
    drafts.set(groupKey(group.audience, group.locale), draft);
  }
  return drafts;
};

/** Puts the job back on the compose queue to look at the record again in a while (a success). */
const waitForDecision = async (c: SendTimeContext, record: ApprovalRecord, until: string): Promise<void> => {
  const leftSeconds = Math.ceil((Date.parse(until) - c.deps.now().getTime()) / 1000);
  const delaySeconds = Math.max(
    1,
    Math.min(900, c.deps.approvalRecheckSeconds ?? DEFAULT_APPROVAL_RECHECK_SECONDS, leftSeconds),
  );
  const envelope = wrap(
    'compose.job',
    `${record.approvalKey}:wait:${c.job.timeZone}:${c.job.chunk.index}`,
    c.job,
    currentTraceparent() ?? c.traceparent,
  );
  const target = queueName('compose', 'main', c.deps.env ?? '');
  await c.retry('sqs.send', () =>
    c.deps.queue.send(target, [{ body: JSON.stringify(envelope), delaySeconds }]),
  );
  c.logger.info(
    { approvalKey: record.approvalKey, revision: record.revision, until, delaySeconds },
    'approval_waiting',
  );
};

/**
 * The send-time approval gate (policy `approval`) of one compose job. The point's record,
 * settled → followed. Unsettled → brought up to the release as Jira has it now
 * ({@link writeRevision}: a changed release makes a new revision and new review emails, and the
 * send waits for a decision until shortly before the point's deadline), then decided
 * ({@link sendTimeDecision}) and settled once for every chunk and zone. Resolves to the drafts
 * to fan out by group key, or undefined when nothing is sent now: held (the point's outcome is
 * recorded `held` in this zone), or waiting (the job is queued again with a delay).
 */
export const approvedDrafts = async (c: SendTimeContext): Promise<Map<string, EmailDraft> | undefined> => {
  const key = approvalKey(c.job);
  let record = await c.retry('ledger.get_approval', () => c.deps.ledger.getApproval(key));
  if (!record?.settled) {
    const now = c.deps.now();
    // The point's groups as reviewed, plus this chunk's (a group the review did not cover makes a
    // new revision: see writeRevision).
    const mine = groupRecipients(c.job.recipients, c.policy, c.logger).map((g) => ({
      audience: g.audience.name,
      locale: g.locale,
      recipients: g.recipients.length,
    }));
    const known = record?.groups ?? [];
    const groups = [
      ...known,
      ...mine.filter((g) => !known.some((k) => k.audience === g.audience && k.locale === g.locale)),
    ];
    const outcome = await writeRevision(c, {
      groups,
      stored: record,
      dueAt: record?.dueAt ?? c.job.dueAt,
      waitUntil: waitDeadline(notAfterOf(c.job), now).toISOString(),
    });
    if (outcome.kind === 'empty') return new Map();
    record = outcome.record;
    if (!record.settled) {
      const decision = sendTimeDecision(record, now.getTime(), c.approval.onTimeout);
      if (decision.kind === 'wait') {
        await waitForDecision(c, record, decision.until);
        return undefined;
      }
      const settlement = { outcome: decision.outcome, at: now.toISOString(), revision: record.revision };
      record = await c.retry('ledger.settle_approval', () => c.deps.ledger.settleApproval(key, settlement));
      c.logger.info({ approvalKey: key, ...record.settled }, 'approval_settled');
    }
  }
  const settled = record.settled;
  if (settled && SENDING_SETTLEMENTS.has(settled.outcome)) return settledDrafts(c, record);
  await c.retry('ledger.record_point_outcome', () =>
    c.deps.ledger.recordPointOutcome(pointOutcomeKey(c.job), {
      status: 'held',
      reason: settled?.outcome ?? 'held',
      versionId: c.job.versionId,
      pointId: c.job.pointId,
      releaseDate: c.job.releaseDate,
      timeZone: c.job.timeZone,
    }),
  );
  c.logger.info(
    { approvalKey: key, outcome: settled?.outcome, recipients: c.job.recipients.length },
    'point_held',
  );
  return undefined;
};
