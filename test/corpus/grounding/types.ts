import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { LlmEmail } from '#contracts/emailDraft';

/** The fabrications a labelled draft may carry, one kind per draft. */
export const FABRICATION_KINDS = [
  /** An item cites a key that is not in the release. */
  'invented_key',
  /** The intro (or another free-text field) names a key-shaped token that is not in the release. */
  'intro_key',
  /** An item states a number, percentage, amount, version or date its cited issues do not hold. */
  'invented_number',
  /** An item promises something ("free", "for life", "immer") its cited issues do not. */
  'invented_promise',
  /** An item claims a change that no issue describes, citing an unrelated real issue. */
  'unrelated_claim',
  /** Real changes attributed to the wrong issues (two items swap their cited keys). */
  'wrong_attribution',
] as const;

/** One of {@link FABRICATION_KINDS}. */
export type FabricationKind = (typeof FABRICATION_KINDS)[number];

/** A draft's label: faithful, or the one fabrication injected into it. */
export type DraftLabel = 'faithful' | FabricationKind;

/** A release of the evaluation set: what a draft may say. */
export interface EvalRelease {
  /** Short id, e.g. `shop-5.2`. */
  id: string;
  locale: string;
  versionName: string;
  releaseDate: string;
  issues: JiraIssue[];
}

/** One labelled draft. */
export interface LabelledDraft {
  /** `<release id>/<label>[-n]`. */
  id: string;
  release: EvalRelease;
  label: DraftLabel;
  /** The locale the draft is written for (the checks' promise words follow it). */
  locale: string;
  email: LlmEmail;
}

/**
 * What a release's fabrications inject, written by hand per release so each reads like a
 * plausible model slip. Item indexes count across sections in reading order.
 */
export interface Fabrications {
  /** A key of the release's project that is not in the release, cited by the first item. */
  inventedKey: string;
  /** An intro sentence naming a key-shaped token that is not in the release. */
  introKey: string;
  /** An item (by index) rewritten with a number its cited issues do not hold. */
  number: { item: number; text: string };
  /** An item (by index) rewritten with a promise its cited issues do not make. */
  promise: { item: number; text: string };
  /** A new item claiming an invented change, citing this real key. */
  unrelated: { text: string; cites: string };
  /** Two items (by index) whose cited keys are swapped. */
  swap: [number, number];
}
