import type { EmailState } from '#adapters/ledger/DeliveryRecordsPort';

/** Where one planned email stands. */
export type EmailFate =
  /** SES accepted it (a send row `sent` or SES's Send event); `delivery` says what came back. */
  | { kind: 'sent'; delivery: 'delivered' | 'bounced' | 'complained' | 'delayed' | 'unknown' }
  /** The recipient opted out (everywhere or in the project) before it went out. */
  | { kind: 'opted_out' }
  /** Not sent, for `reason` (`missed`, `release_deleted`, `release_date_moved`, `removed`, `rejected`, `no_issue_in_scope`). */
  | { kind: 'skipped'; reason: string }
  /** Not settled yet: in flight, retried, ambiguous, or dead-lettered. */
  | { kind: 'pending'; status: string };

/** The fate of a planned email from its ledger state; `hasDraft` false: its audience had no issue in scope. */
export const emailFate = (state: EmailState | undefined, hasDraft: boolean): EmailFate => {
  if (!hasDraft) return { kind: 'skipped', reason: 'no_issue_in_scope' };
  const events = state?.events ?? {};
  const status = state?.status;
  if (
    status === 'sent' ||
    events.Send !== undefined ||
    events.Delivery !== undefined ||
    events.Bounce !== undefined
  ) {
    // A complaint comes after a delivery; a bounce instead of one.
    const delivery = events.Complaint
      ? 'complained'
      : events.Bounce
        ? 'bounced'
        : events.Delivery
          ? 'delivered'
          : events.DeliveryDelay
            ? 'delayed'
            : 'unknown';
    return { kind: 'sent', delivery };
  }
  if (status === 'opted_out') return { kind: 'opted_out' };
  if (status === 'rejected' || events.Reject !== undefined) return { kind: 'skipped', reason: 'rejected' };
  if (status === 'skipped_release_changed')
    return { kind: 'skipped', reason: state?.reason ?? 'release_changed' };
  if (status === 'missed' || status === 'removed') return { kind: 'skipped', reason: status };
  return { kind: 'pending', status: status ?? 'not_sent_yet' };
};

/**
 * True when nothing more is expected for the email: never sent (skipped, opted out) or SES said
 * delivered, bounced or complained. A sent email without such an event (or only delayed) and a
 * pending one are not settled.
 */
export const isSettled = (fate: EmailFate): boolean =>
  fate.kind === 'opted_out' ||
  fate.kind === 'skipped' ||
  (fate.kind === 'sent' && fate.delivery !== 'delayed' && fate.delivery !== 'unknown');
