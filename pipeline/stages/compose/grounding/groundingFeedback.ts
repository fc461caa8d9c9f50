import type { Coverage, GroundingProblem, GroundingProblemKind } from './types.ts';

/** Most keys of a coverage feedback named one by one. */
const MAX_NAMED_MISSING = 50;

const WHAT: Record<GroundingProblemKind, string> = {
  unknown_key: 'issue keys that are not issues of this release',
  uncited_key: 'issue keys the item does not cite',
  unsupported_number: 'numbers, versions, dates or amounts that the cited issues do not contain',
  unsupported_name: 'quoted names that the cited issues do not contain',
  unbacked_promise: 'promises the cited issues do not make',
};

/**
 * The retry feedback for grounding problems: the unknown keys in one sentence, then each other
 * problem with its field and words, then the rule. Empty when there are none. Pure.
 */
export const groundingFeedback = (problems: readonly GroundingProblem[]): string => {
  const unknown = [...new Set(problems.filter((p) => p.kind === 'unknown_key').flatMap((p) => p.words))];
  const others = problems.filter((p) => p.kind !== 'unknown_key');
  const lines = others.map((p) => `${p.field}: ${WHAT[p.kind]} (${p.words.map((w) => `"${w}"`).join(', ')})`);
  return [
    unknown.length > 0
      ? `Your previous answer named issue keys that are not issues of this release: ${unknown.join(', ')}. ` +
        'Cite and name only keys of the issues listed in the input.'
      : '',
    lines.length > 0
      ? `Your previous answer said things the Jira data does not back: ${lines.join('; ')}. ` +
        'Name an issue key only in an item that cites it; take every number, version, date, amount, ' +
        'name and promise from the cited issues, or leave it out.'
      : '',
  ]
    .filter((part) => part.length > 0)
    .join(' ');
};

/** The retry feedback for too low a coverage, naming the issues left out. Pure. */
export const coverageFeedback = (coverage: Coverage, required: number): string => {
  const named = coverage.missing.slice(0, MAX_NAMED_MISSING);
  const more = coverage.missing.length - named.length;
  return (
    `Your previous answer mentioned ${coverage.mentioned.length} of the ${coverage.inScope} issues; ` +
    `at least ${Math.ceil(required * coverage.inScope)} must be mentioned. ` +
    `Also cover these issues: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`
  );
};
