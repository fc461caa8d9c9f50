import { describe, expect, it } from 'vitest';
import type { LlmEmail } from '#contracts/emailDraft';
import { checkCitations } from '#stages/compose/citations';

const email = (...itemKeys: string[][]): LlmEmail => ({
  subject: 's',
  preheader: '',
  intro: '',
  sections: [
    { heading: 'A', items: itemKeys.slice(0, 1).map((issueKeys) => ({ text: 't', issueKeys })) },
    { heading: 'B', items: itemKeys.slice(1).map((issueKeys) => ({ text: 't', issueKeys })) },
  ],
  outro: '',
});

describe('Function: checkCitations', () => {
  it('reports no unknown keys when every cited key is an issue of the release', () => {
    // Act
    const result = checkCitations(email(['BILL-1'], ['BILL-2', 'BILL-1']), ['BILL-1', 'BILL-2', 'BILL-3']);

    // Assert
    expect(result).toEqual({ cited: ['BILL-1', 'BILL-2'], unknown: [] });
  });

  it('returns each unknown key once, in order of first citation, across sections', () => {
    // Act
    const result = checkCitations(email(['BILL-9', 'BILL-1'], ['OPS-4'], ['BILL-9']), new Set(['BILL-1']));

    // Assert
    expect(result.unknown).toEqual(['BILL-9', 'OPS-4']);
    expect(result.cited).toEqual(['BILL-9', 'BILL-1', 'OPS-4']);
  });

  it('treats every key as unknown when the release has no issues', () => {
    // Act
    const result = checkCitations(email(['BILL-1']), []);

    // Assert
    expect(result.unknown).toEqual(['BILL-1']);
  });

  it('is case-sensitive, as Jira keys are upper case', () => {
    // Act
    const result = checkCitations(email(['BILL-1']), ['bill-1']);

    // Assert
    expect(result.unknown).toEqual(['BILL-1']);
  });
});
