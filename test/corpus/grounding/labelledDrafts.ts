import type { LlmEmail } from '#contracts/emailDraft';
import { EVAL_CASES, type EvalCase } from './releases.ts';
import type { GroundingScope } from '#stages/compose/grounding/index';
import { FABRICATION_KINDS, type FabricationKind, type Fabrications, type LabelledDraft } from './types.ts';

type EmailItem = LlmEmail['sections'][number]['items'][number];

/** The items of an email in reading order (the objects themselves, so edits land in the email). */
const itemsOf = (email: LlmEmail): EmailItem[] => email.sections.flatMap((section) => section.items);

const itemAt = (email: LlmEmail, index: number): EmailItem => {
  const item = itemsOf(email)[index];
  if (!item) throw new Error(`the draft has no item ${index}`);
  return item;
};

/** Applies one fabrication of a release to a copy of its first faithful draft. */
const fabricate = (base: LlmEmail, kind: FabricationKind, f: Fabrications): LlmEmail => {
  const email = structuredClone(base);
  switch (kind) {
    case 'invented_key':
      itemAt(email, 0).issueKeys.push(f.inventedKey);
      break;
    case 'intro_key':
      email.intro = `${email.intro} ${f.introKey}`;
      break;
    case 'invented_number':
      itemAt(email, f.number.item).text = f.number.text;
      break;
    case 'invented_promise':
      itemAt(email, f.promise.item).text = f.promise.text;
      break;
    case 'unrelated_claim':
      email.sections.at(-1)?.items.push({ text: f.unrelated.text, issueKeys: [f.unrelated.cites] });
      break;
    case 'wrong_attribution': {
      const [a, b] = [itemAt(email, f.swap[0]), itemAt(email, f.swap[1])];
      [a.issueKeys, b.issueKeys] = [b.issueKeys, a.issueKeys];
      break;
    }
  }
  return email;
};

const draftsOf = (c: EvalCase): LabelledDraft[] => {
  const [first] = c.faithful;
  if (!first) throw new Error(`release ${c.release.id} has no faithful draft`);
  return [
    ...c.faithful.map(({ locale, email }, i) => ({
      locale,
      id: `${c.release.id}/faithful-${i + 1}`,
      release: c.release,
      label: 'faithful' as const,
      email,
    })),
    ...FABRICATION_KINDS.map((label) => ({
      id: `${c.release.id}/${label}`,
      release: c.release,
      label,
      locale: first.locale,
      email: fabricate(first.email, label, c.fabrications),
    })),
  ];
};

/**
 * The labelled evaluation set: per release of {@link EVAL_CASES}, its faithful drafts and one
 * copy of the first with each fabrication injected (80 drafts for 10 releases).
 */
export const labelledDrafts = (): LabelledDraft[] => EVAL_CASES.flatMap(draftsOf);

/** What a labelled draft is checked against: its release's issues and facts, in its locale. */
export const scopeOfDraft = (draft: LabelledDraft): GroundingScope => ({
  issues: draft.release.issues,
  locale: draft.locale,
  release: { versionName: draft.release.versionName, releaseDate: draft.release.releaseDate },
});
