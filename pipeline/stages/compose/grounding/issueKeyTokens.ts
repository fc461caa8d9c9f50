import { readerText } from '../contentPolicy.ts';

/**
 * Issue-key-shaped tokens (`ABC-12`): an upper-case project key, a hyphen and digits, not inside a
 * longer word or number. Case-sensitive, as Jira keys are upper case.
 */
const KEY_TOKEN = /(?<![\p{L}\p{N}_-])[A-Z][A-Z0-9_]{0,19}-\d{1,9}(?![\p{L}\p{N}_])/gu;

/**
 * Every issue-key-shaped token of a text, in order, as a reader sees it ({@link readerText}: a
 * zero-width space inside `SHOP-999` does not hide it). Pure.
 */
export const findKeyTokens = (text: string): string[] => readerText(text).match(KEY_TOKEN) ?? [];

/** The text with every issue-key-shaped token blanked, so its digits are not read as numbers. */
export const withoutKeyTokens = (text: string): string =>
  readerText(text).replace(KEY_TOKEN, (token) => ' '.repeat(token.length));

/** The project part of a key (`SHOP` of `SHOP-12`). */
export const projectOf = (key: string): string => key.slice(0, key.lastIndexOf('-'));

/** Marks a cut key while the sentence is tidied: a private-use character, never in Jira's words. */
const CUT = '\uE000';

/**
 * The text as a client may read it when issue references are off: every key-shaped token of one
 * of `projects` cut out, with the blank before it, brackets left empty and a separator left
 * leading a line (`SHOP-12: Export fixed (SHOP-12, SHOP-13).` → `Export fixed.`); other tokens
 * such as `UTF-8` kept. Unchanged when there is nothing to cut. Pure.
 */
export const withoutKeysOf = (text: string, projects: ReadonlySet<string>): string => {
  if (projects.size === 0) return text;
  const reader = readerText(text);
  const cut = reader.replace(KEY_TOKEN, (token) => (projects.has(projectOf(token)) ? CUT : token));
  if (!cut.includes(CUT)) return text;
  return cut
    .replace(/[ \t]*\uE000/g, CUT)
    .replace(/[([][\s,;/&\uE000]*[)\]]/g, '')
    .replace(/\uE000(?:[ \t]*(?:,|;|\/|&|and|und|et|y)[ \t]*\uE000)+/g, '')
    .replaceAll(CUT, '')
    .replace(/^[ \t]*[:,;\u2013\u2014-][ \t]*/gm, '')
    .replace(/[ \t]+([,.;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
};
