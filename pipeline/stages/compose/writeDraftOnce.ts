import { setTimeout as sleep } from 'node:timers/promises';
import type { DraftClaim } from '#adapters/ledger/LedgerPort';
import type { EmailDraft } from '#contracts/emailDraft';
import type { Log } from '#shared/logger';
import { topology } from '#topology/topology';
import { DraftInProgressError } from './DraftInProgressError.ts';

/**
 * How long a draft claim is held, seconds: the compose function's timeout plus 30 s, so a
 * writer that is still running never loses its claim, and one that crashed frees it soon after.
 */
export const DRAFT_LEASE_SECONDS = topology.stages.compose.fn.timeoutSeconds + 30;

/** How often a waiting composer looks for the claim holder's draft, ms. */
export const DRAFT_POLL_MS = 1000;

/**
 * Time a waiting record keeps for what follows the draft (queueing the send jobs), ms: it stops
 * waiting this long before its invocation would time out.
 */
export const DRAFT_WAIT_MARGIN_MS = 15_000;

/** What {@link writeDraftOnce} needs. */
export interface WriteDraftOnceOptions {
  /** Ledger key of the draft. */
  key: string;
  /** Claims the right to write it (`LedgerPort.claimDraft` with {@link DRAFT_LEASE_SECONDS}). */
  claim: (key: string) => Promise<DraftClaim>;
  /** The stored draft, or null (`LedgerPort.getDraft`). */
  cached: (key: string) => Promise<EmailDraft | null>;
  /** Writes (asks the model), renders and stores the draft; resolves to the stored one. */
  write: () => Promise<EmailDraft>;
  /** Milliseconds left in the invocation. */
  remainingTimeMs: () => number;
  /** Clock, epoch ms. */
  now: () => number;
  logger: Pick<Log, 'info'>;
  /** Waits `ms`; default a timer. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * The draft of one release point × locale × audience, written by one composer only: the chunks of
 * a zone fire together and compose runs several at once, so each would otherwise ask the model
 * for the same email. The claim holder writes; the others wait for its draft while their
 * invocation and its lease allow (`draft_waited`), then give up with a retryable
 * {@link DraftInProgressError} (the redelivery finds the draft, or takes over a crashed holder's
 * claim once its lease ran out).
 */
export const writeDraftOnce = async (options: WriteDraftOnceOptions): Promise<EmailDraft> => {
  const claim = await options.claim(options.key);
  if (claim.status === 'claimed') return options.write();
  const wait = options.sleep ?? sleep;
  const startedAt = options.now();
  const deadline = Math.min(
    claim.leaseExpiresAt,
    startedAt + options.remainingTimeMs() - DRAFT_WAIT_MARGIN_MS,
  );
  while (options.now() + DRAFT_POLL_MS <= deadline) {
    await wait(DRAFT_POLL_MS);
    const draft = await options.cached(options.key);
    if (draft) {
      options.logger.info(
        { draftKey: options.key, waitedMs: options.now() - startedAt, llmCalls: 0 },
        'draft_waited',
      );
      return draft;
    }
  }
  throw new DraftInProgressError(options.key, claim.leaseExpiresAt);
};
