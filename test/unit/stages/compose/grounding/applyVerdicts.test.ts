import { describe, expect, it } from 'vitest';
import type { LlmEmail } from '#contracts/emailDraft';
import { applyVerdicts, NO_VERDICT_REASON, verifyItemsOf } from '#stages/compose/grounding/index';

const scope = {
  issues: Array.from({ length: 5 }, (_, i) => ({ key: `ABC-${i + 1}`, summary: `Change ${i + 1}` })),
  locale: 'en',
};

const email: LlmEmail = {
  subject: 'Release',
  preheader: '',
  intro: '',
  sections: [
    {
      heading: 'New',
      items: [
        { text: 'One', issueKeys: ['ABC-1'] },
        { text: 'Two', issueKeys: ['ABC-2'] },
      ],
    },
    {
      heading: 'Fixed',
      items: [
        { text: 'Three', issueKeys: ['ABC-3'] },
        { text: 'Four', issueKeys: ['ABC-4'] },
        { text: 'Five', issueKeys: ['ABC-5'] },
      ],
    },
  ],
  outro: '',
};

const verdicts = (unsupported: string[]) =>
  verifyItemsOf(email).map(({ id }) => ({
    id,
    supported: !unsupported.includes(id),
    reason: unsupported.includes(id) ? 'not in the issue' : 'ok',
  }));

describe('Function: verifyItemsOf', () => {
  it('gives each item an id by section and position', () => {
    // Act / Assert
    expect(verifyItemsOf(email).map((item) => item.id)).toEqual(['s0i0', 's0i1', 's1i0', 's1i1', 's1i2']);
  });
});

describe('Function: applyVerdicts', () => {
  it('keeps the email as it is when every item is supported', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts([]), scope, { minCoverage: 0.8 });

    // Assert
    expect(outcome).toEqual({ kind: 'supported', email, removed: [] });
  });

  it('removes an unsupported item and lists it when the rest still passes', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts(['s1i1']), scope, { minCoverage: 0.8 });

    // Assert
    expect(outcome.kind).toBe('items_removed');
    expect(outcome.removed).toEqual([{ text: 'Four', issueKeys: ['ABC-4'], reason: 'not in the issue' }]);
    if (outcome.kind !== 'items_removed') throw new Error('unreachable');
    expect(outcome.email.sections[1]?.items.map((i) => i.text)).toEqual(['Three', 'Five']);
  });

  it('drops a section left empty', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts(['s0i0', 's0i1']), scope, { minCoverage: 0.5 });

    // Assert
    if (outcome.kind !== 'items_removed') throw new Error(`expected items_removed, got ${outcome.kind}`);
    expect(outcome.email.sections.map((s) => s.heading)).toEqual(['Fixed']);
  });

  it('rejects the draft when removing the items would leave too low a coverage, naming them', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts(['s0i0', 's1i2']), scope, { minCoverage: 0.8 });

    // Assert
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') throw new Error('unreachable');
    expect(outcome.feedback).toContain('"One" citing ABC-1 (not in the issue)');
    expect(outcome.feedback).toContain('"Five" citing ABC-5 (not in the issue)');
  });

  it('rejects the draft when no item would remain', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts(['s0i0', 's0i1', 's1i0', 's1i1', 's1i2']), scope, {
      minCoverage: 0,
    });

    // Assert
    expect(outcome.kind).toBe('rejected');
  });

  it('treats an item without a verdict as unsupported', () => {
    // Act
    const outcome = applyVerdicts(email, verdicts([]).slice(1), scope, { minCoverage: 0.8 });

    // Assert
    expect(outcome.removed).toEqual([{ text: 'One', issueKeys: ['ABC-1'], reason: NO_VERDICT_REASON }]);
  });
});
