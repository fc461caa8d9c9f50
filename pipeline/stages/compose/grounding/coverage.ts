import type { LlmEmail } from '#contracts/emailDraft';
import type { Coverage } from './types.ts';

/** Default {@link requiredCoverage} for a scope of at most {@link COVERAGE_DEFAULT_MAX_ISSUES} issues. */
export const DEFAULT_MIN_COVERAGE = 0.8;

/** Largest scope the default minimum applies to; a bigger release may be summarised (no minimum). */
export const COVERAGE_DEFAULT_MAX_ISSUES = 30;

/** Which in-scope issues a draft cites in its items. Pure. */
export const coverageOf = (email: LlmEmail, inScopeKeys: readonly string[]): Coverage => {
  const inScope = new Set(inScopeKeys);
  const mentioned = new Set<string>();
  for (const section of email.sections) {
    for (const item of section.items) {
      for (const key of item.issueKeys) if (inScope.has(key)) mentioned.add(key);
    }
  }
  return {
    inScope: inScope.size,
    mentioned: [...mentioned],
    missing: [...inScope].filter((key) => !mentioned.has(key)),
  };
};

/** Mentioned ÷ in scope, 0..1 (1 for an empty scope). */
export const coverageRatio = (coverage: Coverage): number =>
  coverage.inScope === 0 ? 1 : coverage.mentioned.length / coverage.inScope;

/** `14/16`. */
export const formatCoverage = (coverage: Coverage): string =>
  `${coverage.mentioned.length}/${coverage.inScope}`;

/**
 * The coverage a draft needs: the policy's `minCoverage` when set; otherwise
 * {@link DEFAULT_MIN_COVERAGE} for a scope of up to {@link COVERAGE_DEFAULT_MAX_ISSUES} issues and
 * none (0) above.
 */
export const requiredCoverage = (policyMin: number | undefined, inScope: number): number =>
  policyMin ?? (inScope <= COVERAGE_DEFAULT_MAX_ISSUES ? DEFAULT_MIN_COVERAGE : 0);
