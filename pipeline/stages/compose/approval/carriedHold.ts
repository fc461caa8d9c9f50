import type { ApprovalRecord } from '#contracts/approval';

/** The state a new revision starts in, and the hold it carries when it starts `held`. */
export type StartingState =
  | { state: 'pending_approval' }
  | { state: 'held'; heldFrom: NonNullable<ApprovalRecord['heldFrom']> };

/**
 * The state the revision after `previous` starts in. A hold survives a new revision (a changed
 * release, an edit): when `previous` is `held` the next one starts `held`, carrying the hold
 * (the latest Hold of `previous` itself, else the hold `previous` carried), so only an explicit
 * Approve of the new revision sends it. Any other state starts `pending_approval` (an approval
 * applies to the content it was given on only).
 */
export const carriedHold = (previous: ApprovalRecord | null): StartingState => {
  if (previous?.state !== 'held') return { state: 'pending_approval' };
  const own = [...previous.decisions]
    .reverse()
    .find((d) => d.decision === 'hold' && d.contentHash === previous.contentHash);
  const heldFrom = own ? { revision: own.revision, by: own.by, at: own.at } : previous.heldFrom;
  // A held record always has its hold (a decision or a carried one); the fallback keeps it held.
  return {
    state: 'held',
    heldFrom: heldFrom ?? { revision: previous.revision, by: 'unknown', at: previous.updatedAt },
  };
};
