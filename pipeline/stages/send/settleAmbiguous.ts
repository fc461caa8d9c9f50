import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { Log } from '#shared/logger';
import { resolveAmbiguous } from './resolveAmbiguous.ts';

/** Why an email's outcome is unknown when {@link settleAmbiguous} runs. */
export type AmbiguityCause =
  /** This worker's SendEmail failed with a 5xx, a timeout or a reset after the request left. */
  | 'ses_error'
  /** This worker took over an expired claim: its holder died or timed out, perhaps after SES took the email. */
  | 'claim_taken_over';

/** Reason recorded on a send row when SES's Reject event settles it. */
export const SES_REJECT_EVENT_REASON = 'ses_reject_event';

/** What {@link settleAmbiguous} needs. */
export interface SettleAmbiguousArgs {
  ledger: Pick<LedgerPort, 'getSesEvents' | 'markSent' | 'markRejected'>;
  sendKey: string;
  /** The email's SES tag value (`sendTag(sendKey)`). */
  sesTag: string;
  cause: AmbiguityCause;
  /** Longest wait for an event, ms (0: one read). */
  waitMs: number;
  /** Runs a ledger call with tracing and in-call retries. */
  retry: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  logger: Pick<Log, 'info' | 'warn'>;
  /** Clock, epoch ms. */
  now: () => number;
  /** Waits between ledger reads. Default a timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Settles an email whose SendEmail outcome is unknown from SES's own events (see
 * {@link resolveAmbiguous}): SES accepted it → `markSent` with SES's message id and
 * `email_send_resolved` (`via: 'ses_event'`); only a Reject event → `markRejected`
 * (`ses_reject_event`) and `email_rejected`; nothing within `waitMs` → `email_send_unresolved`
 * and false, so the caller decides (send now, or leave the claim to its lease).
 * @returns true when the email is settled and must not be sent.
 */
export const settleAmbiguous = async (args: SettleAmbiguousArgs): Promise<boolean> => {
  const { ledger, sendKey, retry, logger, cause } = args;
  const started = args.now();
  const verdict = await retry('ledger.get_ses_events', () =>
    resolveAmbiguous(ledger, args.sesTag, {
      waitMs: args.waitMs,
      now: args.now,
      ...(args.sleep ? { sleep: args.sleep } : {}),
    }),
  );
  const waitedMs = args.now() - started;
  switch (verdict.status) {
    case 'sent':
      await retry('ledger.mark_sent', () => ledger.markSent(sendKey, verdict.messageId));
      logger.info(
        { messageId: verdict.messageId, via: 'ses_event', evidence: verdict.evidence, cause, waitedMs },
        'email_send_resolved',
      );
      return true;
    case 'rejected':
      await retry('ledger.mark_rejected', () => ledger.markRejected(sendKey, SES_REJECT_EVENT_REASON));
      logger.warn(
        { messageId: verdict.messageId, reason: SES_REJECT_EVENT_REASON, via: 'ses_event', cause },
        'email_rejected',
      );
      return true;
    case 'unknown':
      logger.warn({ cause, waitedMs }, 'email_send_unresolved');
      return false;
  }
};
