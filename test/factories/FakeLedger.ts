import type { ApprovalLedgerPort, ApproverBounce, DecideOutcome } from '#adapters/ledger/ApprovalLedgerPort';
import {
  type ApprovalSettlement,
  type ApprovalTransition,
  decisionTransition,
  revisionTransition,
  settlementTransition,
} from '#adapters/ledger/approvalTransitions';
import { ApprovalNotFoundError } from '#adapters/ledger/errors';
import type {
  ClaimOptions,
  ClaimOutcome,
  DraftClaim,
  DraftClaimOptions,
  LedgerPort,
  OutcomeRecord,
  ReleaseClaim,
  ReleaseRecord,
  SendOutcomeResult,
  SesEventRecord,
  SesEventsOfEmail,
} from '#adapters/ledger/LedgerPort';
import type { ApprovalDecisionRecord, ApprovalRecord } from '#contracts/approval';
import type { EmailDraft } from '#contracts/emailDraft';

type SendRow =
  /** A claim; `ambiguous` once markAmbiguous ran (the SES call's outcome is unknown). */
  | { status: 'in_progress'; leaseExpiresAt: number; ambiguous?: boolean; sesTag?: string | undefined }
  | { status: 'sent'; messageId: string }
  | { status: 'rejected'; reason: string };

/** An in-memory ledger with real claim semantics (leases, first writer wins). */
export class FakeLedger implements LedgerPort, ApprovalLedgerPort {
  readonly drafts = new Map<string, EmailDraft>();
  readonly sends = new Map<string, SendRow>();
  readonly calls: string[] = [];

  async getDraft(key: string): Promise<EmailDraft | null> {
    this.calls.push(`getDraft:${key}`);
    return this.drafts.get(key) ?? null;
  }

  async putDraftIfAbsent(draft: EmailDraft): Promise<EmailDraft> {
    this.calls.push(`putDraftIfAbsent:${draft.key}`);
    const existing = this.drafts.get(draft.key);
    if (existing) return existing;
    this.drafts.set(draft.key, draft);
    return draft;
  }

  /** Draft claims: key → lease expiry, epoch ms. */
  readonly draftClaims = new Map<string, number>();

  async claimDraft(key: string, options: DraftClaimOptions): Promise<DraftClaim> {
    this.calls.push(`claimDraft:${key}`);
    const held = this.draftClaims.get(key);
    if (held !== undefined && held >= options.now) return { status: 'in_progress', leaseExpiresAt: held };
    this.draftClaims.set(key, options.now + options.leaseSeconds * 1000);
    return { status: 'claimed' };
  }

  async claimSend(sendKey: string, options: ClaimOptions): Promise<ClaimOutcome> {
    this.calls.push(`claimSend:${sendKey}`);
    const row = this.sends.get(sendKey);
    if (row?.status === 'sent') return { status: 'sent', messageId: row.messageId };
    if (row?.status === 'rejected') return { status: 'rejected', reason: row.reason };
    if (row?.status === 'in_progress' && row.leaseExpiresAt > options.now) {
      return { status: 'in_progress', leaseExpiresAt: row.leaseExpiresAt };
    }
    this.sends.set(sendKey, {
      status: 'in_progress',
      leaseExpiresAt: options.now + options.leaseSeconds * 1000,
      sesTag: options.sesTag,
    });
    return { status: 'claimed', takenOver: row?.status === 'in_progress' };
  }

  async markAmbiguous(sendKey: string): Promise<void> {
    this.calls.push(`markAmbiguous:${sendKey}`);
    const row = this.sends.get(sendKey);
    if (row?.status === 'in_progress') this.sends.set(sendKey, { ...row, ambiguous: true });
  }

  /** SES events per SES tag value, as the feedback stage records them. */
  readonly sesEvents = new Map<string, SesEventsOfEmail>();

  async recordSesEvent(sesTag: string, event: SesEventRecord): Promise<void> {
    this.calls.push(`recordSesEvent:${sesTag}:${event.type}`);
    const stored = this.sesEvents.get(sesTag) ?? { messageId: event.messageId, events: {} };
    stored.events[event.type] ??= event.at;
    this.sesEvents.set(sesTag, stored);
  }

  async getSesEvents(sesTag: string): Promise<SesEventsOfEmail | null> {
    this.calls.push(`getSesEvents:${sesTag}`);
    const stored = this.sesEvents.get(sesTag);
    return stored ? structuredClone(stored) : null;
  }

  async markSent(sendKey: string, messageId: string): Promise<void> {
    this.calls.push(`markSent:${sendKey}`);
    this.sends.set(sendKey, { status: 'sent', messageId });
  }

  async markRejected(sendKey: string, reason: string): Promise<void> {
    this.calls.push(`markRejected:${sendKey}`);
    this.sends.set(sendKey, { status: 'rejected', reason });
  }

  async giveBackSendClaim(sendKey: string): Promise<void> {
    this.calls.push(`giveBackSendClaim:${sendKey}`);
    const row = this.sends.get(sendKey);
    if (row?.status === 'in_progress' && !row.ambiguous) this.sends.delete(sendKey);
  }

  /** Release watermarks: versionId → readAt (compose and send never use them). */
  readonly watermarks = new Map<string, number>();

  async claimRelease(versionId: string, readAt: number): Promise<ReleaseClaim> {
    this.calls.push(`claimRelease:${versionId}`);
    const watermark = this.watermarks.get(versionId);
    if (watermark !== undefined && watermark > readAt) return { status: 'stale', watermark };
    this.watermarks.set(versionId, readAt);
    return { status: 'claimed', redelivered: watermark === readAt };
  }

  async getReleaseWatermark(versionId: string): Promise<number | null> {
    this.calls.push(`getReleaseWatermark:${versionId}`);
    return this.watermarks.get(versionId) ?? null;
  }

  /** Release watermark rows as send reads them: versionId → record. */
  readonly releases = new Map<string, ReleaseRecord>();

  async getRelease(versionId: string): Promise<ReleaseRecord | null> {
    this.calls.push(`getRelease:${versionId}`);
    return this.releases.get(versionId) ?? null;
  }

  /** Point and email outcomes recorded, by ledger key (`point#…`, `send#…`). */
  readonly outcomes = new Map<string, OutcomeRecord>();

  async recordPointOutcome(key: string, outcome: OutcomeRecord): Promise<boolean> {
    this.calls.push(`recordPointOutcome:${key}`);
    const stored = this.outcomes.get(`point#${key}`);
    if (stored && !(outcome.status === 'missed' && stored.status === 'caught_up')) return false;
    this.outcomes.set(`point#${key}`, outcome);
    return true;
  }

  async recordSendOutcome(sendKey: string, outcome: OutcomeRecord): Promise<SendOutcomeResult> {
    this.calls.push(`recordSendOutcome:${sendKey}`);
    const row = this.sends.get(sendKey);
    if (row) return { recorded: false, status: row.status === 'in_progress' ? 'claimed' : row.status };
    this.sends.set(sendKey, { status: 'rejected', reason: outcome.status });
    this.outcomes.set(`send#${sendKey}`, outcome);
    return { recorded: true };
  }

  /** Approval records by approval key (the same transition rules as DynamoLedger). */
  readonly approvals = new Map<string, ApprovalRecord>();

  #apply<R>(key: string, transition: ApprovalTransition<R>): R {
    if (transition.kind === 'write') this.approvals.set(key, structuredClone(transition.record));
    return structuredClone(transition.result);
  }

  async getApproval(approvalKey: string): Promise<ApprovalRecord | null> {
    this.calls.push(`getApproval:${approvalKey}`);
    const stored = this.approvals.get(approvalKey);
    return stored ? structuredClone(stored) : null;
  }

  async putApprovalRevision(record: ApprovalRecord): Promise<ApprovalRecord> {
    this.calls.push(`putApprovalRevision:${record.approvalKey}#r${record.revision}`);
    const stored = this.approvals.get(record.approvalKey) ?? null;
    return this.#apply(record.approvalKey, revisionTransition(stored, record));
  }

  async decide(approvalKey: string, decision: ApprovalDecisionRecord): Promise<DecideOutcome> {
    this.calls.push(`decide:${approvalKey}:${decision.decision}`);
    const stored = this.approvals.get(approvalKey) ?? null;
    return this.#apply(approvalKey, decisionTransition(stored, decision));
  }

  async settleApproval(approvalKey: string, settlement: ApprovalSettlement): Promise<ApprovalRecord> {
    this.calls.push(`settleApproval:${approvalKey}:${settlement.outcome}`);
    const stored = this.approvals.get(approvalKey);
    if (!stored) throw new ApprovalNotFoundError(approvalKey);
    return this.#apply(approvalKey, settlementTransition(stored, settlement));
  }

  /** Approver bounces by address. */
  readonly approverBounces = new Map<string, ApproverBounce & { count: number }>();

  async recordApproverBounce(approver: string, bounce: ApproverBounce): Promise<void> {
    this.calls.push(`recordApproverBounce:${bounce.type}`);
    const count = (this.approverBounces.get(approver)?.count ?? 0) + 1;
    this.approverBounces.set(approver, { ...bounce, count });
  }

  async listApprovals(versionId?: string): Promise<ApprovalRecord[]> {
    this.calls.push(`listApprovals:${versionId ?? '*'}`);
    return [...this.approvals.values()]
      .filter((r) => versionId === undefined || r.versionId === versionId)
      .map((r) => structuredClone(r));
  }
}
