import { describe, expect, it } from 'vitest';
import type { LlmEmail } from '#contracts/emailDraft';
import {
  checkDraft,
  coverageFeedback,
  coverageOf,
  coverageShort,
  draftFeedback,
  draftHasProblems,
  formatCoverage,
  requiredCoverage,
} from '#stages/compose/grounding/index';

const email = (keys: string[][]): LlmEmail => ({
  subject: 'Release',
  preheader: '',
  intro: '',
  sections: [{ heading: 'Changes', items: keys.map((issueKeys) => ({ text: 'A change.', issueKeys })) }],
  outro: '',
});

const scopeOf = (count: number) => ({
  issues: Array.from({ length: count }, (_, i) => ({ key: `ABC-${i + 1}`, summary: 'A change' })),
  locale: 'en',
});

describe('Function: coverageOf', () => {
  it('lists the in-scope keys mentioned, in citation order, and the ones missing, in scope order', () => {
    // Act
    const coverage = coverageOf(email([['ABC-3'], ['ABC-1', 'ABC-3', 'XYZ-1']]), [
      'ABC-1',
      'ABC-2',
      'ABC-3',
      'ABC-4',
    ]);

    // Assert
    expect(coverage).toEqual({ inScope: 4, mentioned: ['ABC-3', 'ABC-1'], missing: ['ABC-2', 'ABC-4'] });
    expect(formatCoverage(coverage)).toBe('2/4');
  });
});

describe('Function: requiredCoverage', () => {
  it('is 0.8 up to 30 issues and none above by default, the policy value when set', () => {
    // Act / Assert
    expect(requiredCoverage(undefined, 30)).toBe(0.8);
    expect(requiredCoverage(undefined, 31)).toBe(0);
    expect(requiredCoverage(0.5, 100)).toBe(0.5);
    expect(requiredCoverage(0, 3)).toBe(0);
  });
});

describe('Function: checkDraft', () => {
  it('passes 14 of 16 issues (0.875) and fails 12 of 16 (0.75) under the default minimum', () => {
    // Arrange
    const keys = (n: number) => Array.from({ length: n }, (_, i) => [`ABC-${i + 1}`]);

    // Act
    const enough = checkDraft(email(keys(14)), scopeOf(16));
    const short = checkDraft(email(keys(12)), scopeOf(16));

    // Assert
    expect(draftHasProblems(enough)).toBe(false);
    expect(coverageShort(short)).toBe(true);
    expect(draftHasProblems(short)).toBe(true);
    expect(draftFeedback(short)).toBe(
      'Your previous answer mentioned 12 of the 16 issues; at least 13 must be mentioned. ' +
        'Also cover these issues: ABC-13, ABC-14, ABC-15, ABC-16.',
    );
  });

  it('applies the policy minimum instead of the default', () => {
    // Act
    const problems = checkDraft(email([['ABC-1']]), scopeOf(4), { minCoverage: 0.25 });

    // Assert
    expect(draftHasProblems(problems)).toBe(false);
    expect(problems.requiredCoverage).toBe(0.25);
  });

  it('names grounding problems, content violations and coverage together', () => {
    // Arrange
    const draft = email([['ABC-9']]);
    draft.intro = 'See www.evil.example for details.';

    // Act
    const feedback = draftFeedback(checkDraft(draft, scopeOf(2)));

    // Assert
    expect(feedback).toContain('not issues of this release: ABC-9');
    expect(feedback).toContain('url "www.evil.example"');
    expect(feedback).toContain('Also cover these issues: ABC-1, ABC-2.');
  });
});

describe('Function: coverageFeedback', () => {
  it('names at most 50 missing keys and counts the rest', () => {
    // Arrange
    const missing = Array.from({ length: 60 }, (_, i) => `ABC-${i + 1}`);

    // Act
    const feedback = coverageFeedback({ inScope: 60, mentioned: [], missing }, 0.5);

    // Assert
    expect(feedback).toContain('ABC-50 and 10 more.');
    expect(feedback).not.toContain('ABC-51');
  });
});
