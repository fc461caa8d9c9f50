import { RetryableError } from '#shared/errors';

/**
 * Another composer holds the claim on a draft (it is asking the model for the same release point,
 * locale and audience) and did not store the draft while this record could wait. Retryable: the
 * record goes back to its queue and, at its next receive, finds the draft in the ledger (or takes
 * the claim over once the holder's lease ran out).
 */
export class DraftInProgressError extends RetryableError {
  override name = 'DraftInProgressError';
  /** Ledger key of the draft. */
  readonly draftKey: string;
  /** When the holder's claim expires, epoch ms. */
  readonly leaseExpiresAt: number;

  constructor(draftKey: string, leaseExpiresAt: number) {
    super(
      `draft ${draftKey} is being written by another composer (claim held until ${new Date(leaseExpiresAt).toISOString()})`,
      { retryAfterSeconds: Math.max(1, Math.ceil((leaseExpiresAt - Date.now()) / 1000)) },
    );
    this.draftKey = draftKey;
    this.leaseExpiresAt = leaseExpiresAt;
  }
}
