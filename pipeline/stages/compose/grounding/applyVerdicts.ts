import type { VerifyItem } from '#adapters/llm/LlmPort';
import type { LlmEmail } from '#contracts/emailDraft';
import { type CheckDraftOptions, checkDraft, draftHasProblems } from './checkDraft.ts';
import type { GroundingScope } from './types.ts';

/** An item the verifier found unsupported, as the draft record lists it. */
export interface RemovedItem {
  text: string;
  issueKeys: string[];
  reason: string;
}

/** A verdict on one item, by {@link VerifyItem.id}. */
export interface ItemVerdict {
  id: string;
  supported: boolean;
  reason: string;
}

/** Outcome of {@link applyVerdicts}. */
export type VerdictOutcome =
  /** Every item supported: the email as it was. */
  | { kind: 'supported'; email: LlmEmail; removed: [] }
  /** Unsupported items removed; the rest still passes every check. */
  | { kind: 'items_removed'; email: LlmEmail; removed: RemovedItem[] }
  /** Removing the unsupported items would leave no item, or too low a coverage. */
  | { kind: 'rejected'; removed: RemovedItem[]; feedback: string };

/** Reason given for an item the verifier returned no verdict for. */
export const NO_VERDICT_REASON = 'the verifier gave no verdict for this item';

/** The items of an email with the ids the verifier sees (`s0i2`: section 0, item 2). */
export const verifyItemsOf = (email: LlmEmail): VerifyItem[] =>
  email.sections.flatMap((section, s) =>
    section.items.map((item, i) => ({ id: `s${s}i${i}`, text: item.text, issueKeys: [...item.issueKeys] })),
  );

/**
 * Applies the verifier's verdicts: items judged unsupported (or given no verdict) are removed, and
 * sections left empty dropped. The rest is kept when at least one item remains and it still passes
 * {@link checkDraft} (coverage included); otherwise the draft is rejected with feedback naming the
 * unsupported items and why. Pure.
 */
export const applyVerdicts = (
  email: LlmEmail,
  verdicts: readonly ItemVerdict[],
  scope: GroundingScope,
  options: CheckDraftOptions = {},
): VerdictOutcome => {
  const byId = new Map(verdicts.map((v) => [v.id, v]));
  const removed: RemovedItem[] = [];
  const sections = email.sections
    .map((section, s) => ({
      heading: section.heading,
      items: section.items.filter((item, i) => {
        const verdict = byId.get(`s${s}i${i}`);
        if (verdict?.supported) return true;
        removed.push({
          text: item.text,
          issueKeys: [...item.issueKeys],
          reason: verdict?.reason ?? NO_VERDICT_REASON,
        });
        return false;
      }),
    }))
    .filter((section) => section.items.length > 0);
  if (removed.length === 0) return { kind: 'supported', email, removed: [] };
  const kept: LlmEmail = { ...email, sections };
  if (sections.length > 0 && !draftHasProblems(checkDraft(kept, scope, options))) {
    return { kind: 'items_removed', email: kept, removed };
  }
  const feedback =
    'A check against the Jira data found these items not backed by the issues they cite: ' +
    `${removed.map((r) => `"${r.text.slice(0, 200)}" citing ${r.issueKeys.join(', ')} (${r.reason})`).join('; ')}. ` +
    'Describe each change only as its cited issues state it, and cite the issue each change belongs to.';
  return { kind: 'rejected', removed, feedback };
};
