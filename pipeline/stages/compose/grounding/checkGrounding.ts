import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { LlmEmail } from '#contracts/emailDraft';
import { findKeyTokens, projectOf } from './issueKeyTokens.ts';
import { NumberFacts } from './numberClaims.ts';
import { backedPromises, findPromises } from './promiseWords.ts';
import { comparable, findQuotedNames } from './quotedNames.ts';
import type { GroundingProblem, GroundingProblemKind, GroundingScope } from './types.ts';

/** The texts of an issue a draft may draw on: summary, release note, description. */
export const issueTexts = (issue: JiraIssue): string[] =>
  [issue.summary, issue.releaseNote, issue.description].filter((t): t is string => typeof t === 'string');

/** What the checks of one field compare against. */
interface Grounds {
  /** Keys the field may name: an item's cited keys, or every in-scope key. */
  allowedKeys: ReadonlySet<string>;
  inScope: ReadonlySet<string>;
  projects: ReadonlySet<string>;
  /** The data the field's claims must come from. */
  texts: string[];
}

const unique = (words: string[]): string[] => [...new Set(words)];

/**
 * Key-shaped tokens of a text that the grounds do not allow. A token whose project is a project
 * of the scope must be an allowed key (`SHOP-999` in a SHOP release never passes); a token of
 * another shape (`UTF-8`, `SHA-256`) passes only when the data itself spells it.
 */
const keyProblems = (field: string, text: string, grounds: Grounds): GroundingProblem[] => {
  const unknown: string[] = [];
  const uncited: string[] = [];
  const data = grounds.texts.join('\n');
  for (const token of findKeyTokens(text)) {
    if (grounds.allowedKeys.has(token)) continue;
    if (grounds.inScope.has(token)) uncited.push(token);
    else if (grounds.projects.has(projectOf(token)) || !findKeyTokens(data).includes(token))
      unknown.push(token);
  }
  return [
    ...(unknown.length > 0 ? [problem('unknown_key', field, unknown)] : []),
    ...(uncited.length > 0 ? [problem('uncited_key', field, uncited)] : []),
  ];
};

const problem = (kind: GroundingProblemKind, field: string, words: string[]): GroundingProblem => ({
  kind,
  field,
  words: unique(words),
});

/** Promise words of a text its data does not back. */
const promiseProblems = (
  field: string,
  text: string,
  texts: string[],
  locale: string,
): GroundingProblem[] => {
  const promises = findPromises(text, locale);
  if (promises.length === 0) return [];
  const backed = backedPromises(texts);
  const unbacked = promises.filter((word) => !backed.has(word.concept)).map((word) => word.text);
  return unbacked.length > 0 ? [problem('unbacked_promise', field, unbacked)] : [];
};

/** Numbers and quoted names of an item that its cited data does not hold. */
const claimProblems = (
  field: string,
  text: string,
  grounds: Grounds,
  facts: NumberFacts,
): GroundingProblem[] => {
  const numbers = facts.unbacked(text);
  const data = comparable(grounds.texts.join('\n'));
  const names = findQuotedNames(text).filter((name) => !data.includes(comparable(name)));
  return [
    ...(numbers.length > 0 ? [problem('unsupported_number', field, numbers)] : []),
    ...(names.length > 0 ? [problem('unsupported_name', field, names)] : []),
  ];
};

/** The release facts every item may repeat. */
const releaseTexts = (scope: GroundingScope): string[] =>
  [scope.release?.versionName, scope.release?.description, scope.release?.releaseDate].filter(
    (t): t is string => typeof t === 'string' && t.length > 0,
  );

/**
 * Checks that a draft says only what its data backs, deterministically:
 * - keys anywhere: every issue-key-shaped token of every field (subject, preheader, intro,
 *   headings, item texts, outro) is an in-scope key, and inside an item one the item cites; every
 *   cited key is in scope;
 * - per item: numbers, versions, percentages, dates, money amounts and quoted names appear in
 *   the cited issues' data (summary, release note, description) or the release's own facts
 *   (version name, description, date); promise words ("free", "lifetime", "immer", "gratuit", ...)
 *   are backed by a word of the same promise there;
 * - outside items: promise words are backed by the data of the whole scope.
 * An empty list means the draft may go out. Numbers spelled as words are not checked. Pure.
 */
export const checkGrounding = (email: LlmEmail, scope: GroundingScope): GroundingProblem[] => {
  const byKey = new Map(scope.issues.map((issue) => [issue.key, issue]));
  const inScope = new Set(byKey.keys());
  const projects = new Set([...inScope].map(projectOf));
  const release = releaseTexts(scope);
  const allTexts = [...scope.issues.flatMap(issueTexts), ...release];
  const whole: Grounds = { allowedKeys: inScope, inScope, projects, texts: allTexts };
  const problems: GroundingProblem[] = [];

  const general = (field: string, text: string) => {
    problems.push(...keyProblems(field, text, whole));
    problems.push(...promiseProblems(field, text, allTexts, scope.locale));
  };
  general('subject', email.subject);
  general('preheader', email.preheader);
  general('intro', email.intro);
  email.sections.forEach((section, s) => {
    general(`sections[${s}].heading`, section.heading);
    section.items.forEach((item, i) => {
      const field = `sections[${s}].items[${i}]`;
      const unknownCited = item.issueKeys.filter((key) => !inScope.has(key));
      if (unknownCited.length > 0) problems.push(problem('unknown_key', field, unknownCited));
      const cited = item.issueKeys.flatMap((key) => byKey.get(key) ?? []);
      const texts = [...cited.flatMap(issueTexts), ...release];
      const grounds: Grounds = { allowedKeys: new Set(item.issueKeys), inScope, projects, texts };
      const facts = new NumberFacts();
      for (const text of texts) facts.add(text);
      problems.push(...keyProblems(field, item.text, grounds));
      problems.push(...claimProblems(field, item.text, grounds, facts));
      problems.push(...promiseProblems(field, item.text, texts, scope.locale));
    });
  });
  general('outro', email.outro);
  return problems;
};
