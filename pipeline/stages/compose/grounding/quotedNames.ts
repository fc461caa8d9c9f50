import { readerText } from '../contentPolicy.ts';

/** Text between double quotes of any common style: "…", “…”, „…“, «…», »…«, ‚…‘, ‘…’. */
const QUOTED = /["“”„«»‚‘]\s*([^"“”„«»‚‘’\n]{1,80}?)\s*["“”«»‘’]/gu;

/** Lower case, one space between words: how quoted names are compared. */
export const comparable = (text: string): string =>
  readerText(text).toLowerCase().replace(/\s+/g, ' ').trim();

/** Every quoted name of a text (the text between the quotes), in order. Pure. */
export const findQuotedNames = (text: string): string[] =>
  [...readerText(text).matchAll(QUOTED)]
    .map((match) => (match[1] ?? '').trim())
    .filter((name) => /[\p{L}\p{N}]/u.test(name));
