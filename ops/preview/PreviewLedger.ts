import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { DraftClaim, LedgerPort } from '#adapters/ledger/LedgerPort';
import type { EmailDraft } from '#contracts/emailDraft';

/** A ledger that remembers drafts for this process only and refuses every send. */
export class PreviewLedger implements LedgerPort, ApprovalLedgerPort {
  readonly drafts: EmailDraft[] = [];

  async getDraft(): Promise<EmailDraft | null> {
    return null;
  }

  async putDraftIfAbsent(draft: EmailDraft): Promise<EmailDraft> {
    this.drafts.push(draft);
    return draft;
  }

  /** A preview writes its own drafts, in this process only: never shared, always its own. */
  async claimDraft(): Promise<DraftClaim> {
    return { status: 'claimed' };
  }

  claimSend(): never {
    throw new Error('a preview never sends');
  }

  markSent(): never {
    throw new Error('a preview never sends');
  }

  markRejected(): never {
    throw new Error('a preview never sends');
  }

  giveBackSendClaim(): never {
    throw new Error('a preview never sends');
  }

  markAmbiguous(): never {
    throw new Error('a preview never sends');
  }

  getApproval(): never {
    throw new Error('a preview never reviews');
  }

  putApprovalRevision(): never {
    throw new Error('a preview never reviews');
  }

  decide(): never {
    throw new Error('a preview never reviews');
  }

  settleApproval(): never {
    throw new Error('a preview never reviews');
  }

  listApprovals(): never {
    throw new Error('a preview never reviews');
  }

  recordApproverBounce(): never {
    throw new Error('a preview never reviews');
  }

  recordSesEvent(): never {
    throw new Error('a preview never sends');
  }

  getSesEvents(): never {
    throw new Error('a preview never sends');
  }

  claimRelease(): never {
    throw new Error('a preview never schedules');
  }

  getRelease(): never {
    throw new Error('a preview never sends');
  }

  recordPointOutcome(): never {
    throw new Error('a preview never misses a point');
  }

  recordSendOutcome(): never {
    throw new Error('a preview never sends');
  }

  getReleaseWatermark(): never {
    throw new Error('a preview never schedules');
  }
}
