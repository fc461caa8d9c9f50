import { describe, expect, it } from 'vitest';
import { checkDraft, draftHasProblems } from '#stages/compose/grounding/index';
import { labelledDrafts, scopeOfDraft } from '#test/corpus/grounding/labelledDrafts';
import { FABRICATION_KINDS, type LabelledDraft } from '#test/corpus/grounding/types';

const DRAFTS = labelledDrafts();

const flagged = (draft: LabelledDraft): boolean =>
  draftHasProblems(checkDraft(draft.email, scopeOfDraft(draft), { minCoverage: 0 }));

describe('Evaluation set: test/corpus/grounding', () => {
  it('holds at least 60 labelled drafts of at least 10 releases, every kind for every release', () => {
    // Act
    const releases = new Set(DRAFTS.map((d) => d.release.id));

    // Assert
    expect(DRAFTS.length).toBeGreaterThanOrEqual(60);
    expect(releases.size).toBeGreaterThanOrEqual(10);
    for (const kind of ['faithful', ...FABRICATION_KINDS]) {
      expect(new Set(DRAFTS.filter((d) => d.label === kind).map((d) => d.release.id)).size).toBe(
        releases.size,
      );
    }
    expect(new Set(DRAFTS.map((d) => d.id)).size).toBe(DRAFTS.length);
  });

  it('fabrications change the draft they were injected into', () => {
    // Act / Assert
    for (const draft of DRAFTS.filter((d) => d.label !== 'faithful')) {
      const faithful = DRAFTS.find((d) => d.id === `${draft.release.id}/faithful-1`);
      expect(JSON.stringify(draft.email), draft.id).not.toBe(JSON.stringify(faithful?.email));
    }
  });

  it.each(DRAFTS.filter((d) => d.label === 'faithful').map((d) => [d.id, d] as const))(
    'passes the faithful draft %s (no false alarm)',
    (_id, draft) => {
      // Act / Assert
      expect(checkDraft(draft.email, scopeOfDraft(draft), { minCoverage: 0 }).grounding).toEqual([]);
      expect(flagged(draft)).toBe(false);
    },
  );

  it.each(
    DRAFTS.filter((d) =>
      ['invented_key', 'intro_key', 'invented_number', 'invented_promise'].includes(d.label),
    ).map((d) => [d.id, d] as const),
  )('catches %s deterministically', (_id, draft) => {
    // Act / Assert
    expect(flagged(draft)).toBe(true);
  });
});
