import { setTimeout as sleepMs } from 'node:timers/promises';
import type { LedgerPort, SesEventsOfEmail, SesEventType } from '#adapters/ledger/LedgerPort';

/** How often the ledger is read while waiting for SES's events, ms. */
export const SES_EVENT_POLL_MS = 500;

/**
 * What SES's own events say about an email whose SendEmail outcome is unknown:
 * - `sent`: SES accepted it (a Send, Delivery, DeliveryDelay, Bounce or Complaint event): record
 *   it as sent under SES's message id, never send it again;
 * - `rejected`: SES accepted the request but refused the email itself (a Reject event only: a
 *   virus); sending it again would be refused the same way;
 * - `unknown`: no event within the wait: SES did not take it (see {@link resolveAmbiguous}).
 */
export type AmbiguousResolution =
  | { status: 'sent'; messageId: string; evidence: SesEventType }
  | { status: 'rejected'; messageId: string }
  | { status: 'unknown' };

/** Options of {@link resolveAmbiguous}. */
export interface ResolveAmbiguousOptions {
  /** Longest wait for an event, ms; 0 reads the ledger once. */
  waitMs: number;
  /** Pause between reads, ms. Default {@link SES_EVENT_POLL_MS}. */
  pollMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** Event types that prove SES accepted the email for delivery, strongest first. */
const ACCEPTED: readonly SesEventType[] = ['Delivery', 'Send', 'DeliveryDelay', 'Bounce', 'Complaint'];

const verdictOf = (found: SesEventsOfEmail | null): AmbiguousResolution => {
  if (!found) return { status: 'unknown' };
  const evidence = ACCEPTED.find((type) => found.events[type] !== undefined);
  if (evidence) return { status: 'sent', messageId: found.messageId, evidence };
  if (found.events.Reject !== undefined) return { status: 'rejected', messageId: found.messageId };
  return { status: 'unknown' };
};

/**
 * Looks for SES's events of one email in the ledger (the feedback stage records them under the
 * email's SES tag value), reading again every `pollMs` until one says what happened or `waitMs`
 * has passed. Used before the send stage sends again an email whose earlier SendEmail may have
 * reached SES: an ambiguous error (5xx, timeout, reset after the request left) or a claim taken
 * over after its holder died. SES publishes the Send event of every email it accepts, so an
 * email with no event after the wait was not accepted (the remaining window: an event slower than
 * the wait plus the lease; see README "Guarantees").
 */
export const resolveAmbiguous = async (
  ledger: Pick<LedgerPort, 'getSesEvents'>,
  sesTag: string,
  options: ResolveAmbiguousOptions,
): Promise<AmbiguousResolution> => {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms));
  const pollMs = options.pollMs ?? SES_EVENT_POLL_MS;
  const waitMs = Math.max(0, options.waitMs);
  const until = now() + waitMs;
  // Bounded by reads as well as by the clock: a clock that stands still must not wait forever.
  const maxReads = Math.ceil(waitMs / pollMs) + 1;
  for (let reads = 1; ; reads++) {
    const verdict = verdictOf(await ledger.getSesEvents(sesTag));
    const left = until - now();
    if (verdict.status !== 'unknown' || left <= 0 || reads >= maxReads) return verdict;
    await sleep(Math.min(pollMs, left));
  }
};
