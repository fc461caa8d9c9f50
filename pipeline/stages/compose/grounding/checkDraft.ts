import type { LlmEmail } from '#contracts/emailDraft';
import { type ContentViolation, checkContentPolicy, contentPolicyFeedback } from '../contentPolicy.ts';
import { checkGrounding } from './checkGrounding.ts';
import { coverageOf, coverageRatio, requiredCoverage } from './coverage.ts';
import { coverageFeedback, groundingFeedback } from './groundingFeedback.ts';
import type { Coverage, GroundingProblem, GroundingScope } from './types.ts';

/** Options of {@link checkDraft}. */
export interface CheckDraftOptions {
  /** The policy's `minCoverage`, 0..1; default {@link requiredCoverage}'s. */
  minCoverage?: number | undefined;
}

/** Everything wrong with a draft; {@link draftHasProblems} says whether it may go out. */
export interface DraftProblems {
  grounding: GroundingProblem[];
  /** URLs, domains, email addresses, phone numbers (the content policy). */
  violations: ContentViolation[];
  coverage: Coverage;
  /** The coverage required; `coverage` is short of it when its ratio is lower. */
  requiredCoverage: number;
}

/**
 * Every check a draft passes before it may be sent, LLM-written or not: grounding
 * ({@link checkGrounding}), the content policy (no links or contact details) and coverage
 * (issues mentioned ÷ in scope, at least the required minimum). Pure.
 */
export const checkDraft = (
  email: LlmEmail,
  scope: GroundingScope,
  options: CheckDraftOptions = {},
): DraftProblems => {
  const coverage = coverageOf(
    email,
    scope.issues.map((issue) => issue.key),
  );
  return {
    grounding: checkGrounding(email, scope),
    violations: checkContentPolicy(email),
    coverage,
    requiredCoverage: requiredCoverage(options.minCoverage, coverage.inScope),
  };
};

/** Whether the draft's coverage is below the required minimum. */
export const coverageShort = (problems: DraftProblems): boolean =>
  coverageRatio(problems.coverage) < problems.requiredCoverage;

/** Whether anything stops the draft. */
export const draftHasProblems = (problems: DraftProblems): boolean =>
  problems.grounding.length > 0 || problems.violations.length > 0 || coverageShort(problems);

/** The feedback of the one retry, naming every problem. Pure. */
export const draftFeedback = (problems: DraftProblems): string =>
  [
    groundingFeedback(problems.grounding),
    problems.violations.length > 0 ? contentPolicyFeedback(problems.violations) : '',
    coverageShort(problems) ? coverageFeedback(problems.coverage, problems.requiredCoverage) : '',
  ]
    .filter((part) => part.length > 0)
    .join(' ');
