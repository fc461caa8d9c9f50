/**
 * Content trust: what a draft may say. Every check is pure, over the draft, the in-scope issues
 * and the locale; compose runs them on the model's answer and on the template.
 */

export {
  applyVerdicts,
  type ItemVerdict,
  NO_VERDICT_REASON,
  type RemovedItem,
  type VerdictOutcome,
  verifyItemsOf,
} from './applyVerdicts.ts';
export {
  type CheckDraftOptions,
  checkDraft,
  coverageShort,
  type DraftProblems,
  draftFeedback,
  draftHasProblems,
} from './checkDraft.ts';
export { checkGrounding, issueTexts } from './checkGrounding.ts';
export {
  COVERAGE_DEFAULT_MAX_ISSUES,
  coverageOf,
  coverageRatio,
  DEFAULT_MIN_COVERAGE,
  formatCoverage,
  requiredCoverage,
} from './coverage.ts';
export { coverageFeedback, groundingFeedback } from './groundingFeedback.ts';
export { findKeyTokens, projectOf, withoutKeysOf } from './issueKeyTokens.ts';
export { findNumbers } from './numberClaims.ts';
export { findPromises, PROMISE_CONCEPTS, PROMISE_WORDS } from './promiseWords.ts';
export { findQuotedNames } from './quotedNames.ts';
export {
  type Coverage,
  GROUNDING_PROBLEM_KINDS,
  type GroundingProblem,
  type GroundingProblemKind,
  type GroundingScope,
} from './types.ts';
