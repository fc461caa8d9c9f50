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
