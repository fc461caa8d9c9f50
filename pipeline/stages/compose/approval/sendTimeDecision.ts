import type { APPROVAL_SETTLEMENTS, ApprovalPolicy, ApprovalRecord } from '#contracts/approval';

/** What the send-time gate does with an unsettled approval record. */
export type SendTimeDecision =
  | { kind: 'settle'; outcome: (typeof APPROVAL_SETTLEMENTS)[number] }
  /** A revision written at the send time is still pending: look again later. */
  | { kind: 'wait'; until: string };

/**
 * The send-time decision on an unsettled record, pure: approved → `sent`, held → `held` (a
 * carried hold on a revision written at the send time first waits for an Approve); pending
 * → wait while the revision's `waitUntil` (set when it was written at the send time) is ahead,
 * else the policy's `onTimeout` (`timeout_sent` / `timeout_held`).
 */
export const sendTimeDecision = (
  record: Pick<ApprovalRecord, 'state' | 'waitUntil' | 'heldFrom'>,
  nowMs: number,
  onTimeout: ApprovalPolicy['onTimeout'],
): SendTimeDecision => {
  if (record.state === 'approved') return { kind: 'settle', outcome: 'sent' };
  const waiting = record.waitUntil !== undefined && nowMs < Date.parse(record.waitUntil);
  // A carried hold written at the send time waits for an Approve of the new revision too; it
  // never times out into a send.
  if (record.state === 'held') {
    return record.heldFrom !== undefined && waiting && record.waitUntil !== undefined
      ? { kind: 'wait', until: record.waitUntil }
      : { kind: 'settle', outcome: 'held' };
  }
  if (waiting && record.waitUntil !== undefined) return { kind: 'wait', until: record.waitUntil };
  return { kind: 'settle', outcome: onTimeout === 'send' ? 'timeout_sent' : 'timeout_held' };
};

/** Outcomes that send the settled revision. */
export const SENDING_SETTLEMENTS: ReadonlySet<string> = new Set(['sent', 'timeout_sent']);

/**
 * Kept back before a point's deadline when a send waits for a decision, ms (5 min): the fan-out
 * and the sends must still fit before `notAfter`.
 */
export const APPROVAL_SEND_MARGIN_MS = 5 * 60_000;

/**
 * Until when a send whose revision was written at its send time waits for a decision: the
 * deadline minus {@link APPROVAL_SEND_MARGIN_MS}, never before `now`.
 */
export const waitDeadline = (notAfter: Date, now: Date): Date =>
  new Date(Math.max(now.getTime(), notAfter.getTime() - APPROVAL_SEND_MARGIN_MS));
