import { withoutKeyTokens } from './issueKeyTokens.ts';

/**
 * A number as written, with what makes it a claim around it: a currency sign or code before,
 * digit groups joined by `.`, `,`, `:`, `/`, `-`, `'` (versions, decimals, dates, times,
 * thousands) or by spaces in threes (`50 000`, French thousands; a no-break space reads as a
 * space), and a percent sign after. Issue keys are blanked first.
 */
const NUMBER =
  /(?:(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF)\b)\s?)?(?<![\p{L}\p{N}])v?(?:\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:[.,:/'’-]\d+)*(?:\s?%)?/giu;

/** Digit groups written with thousands separators (`10,000`, `1.234.567`, `10'000`). */
const THOUSANDS = /^\d{1,3}(?:[.,'’ ]\d{3})+$/;

/** A year, so a three-group token holding one is read as a date. */
const YEAR = /^(?:19|20)\d{2}$/;

/** One number found in a text. */
export interface NumberToken {
  /** As written (`40%`, `$5`, `v2.3.1`, `2025-06-10`). */
  text: string;
  /** Its digit groups, leading zeros dropped (`06` → `6`). */
  groups: string[];
  /** Offset in the text as a reader sees it. */
  index: number;
}

const digitGroups = (token: string): string[] =>
  // `06` → `6` (a day or month); `000` stays (a thousands group: `10,000` is not `10,0`).
  (token.match(/\d+/g) ?? []).map((group) => (group.length <= 2 ? group.replace(/^0(?=\d)/, '') : group));

/** Every number of a text, issue keys left out. Pure. */
export const findNumbers = (text: string): NumberToken[] =>
  [...withoutKeyTokens(text).matchAll(NUMBER)].map((match) => ({
    text: match[0].trim(),
    groups: digitGroups(match[0]),
    index: match.index,
  }));

let months: ReadonlySet<string> | undefined;

/**
 * Month names and abbreviations of the template languages, lower case (from Intl, not typed).
 * Built on first use, not at import: loading four locales' calendar data takes tens of
 * milliseconds, which would lengthen every cold start of compose.
 */
const monthNames = (): ReadonlySet<string> => {
  months ??= new Set(
    ['en', 'de', 'fr', 'es'].flatMap((language) =>
      (['long', 'short'] as const).flatMap((month) => {
        const format = new Intl.DateTimeFormat(language, { month, timeZone: 'UTC' });
        return Array.from({ length: 12 }, (_, m) =>
          format
            .format(new Date(Date.UTC(2000, m, 15)))
            .toLowerCase()
            .replace(/\.$/, ''),
        );
      }),
    ),
  );
  return months;
};

/** Whether a month name is within a word or two of `index..end` (`June 10`, `10. Juni`, `10 de junio`). */
const nearMonth = (text: string, index: number, end: number): boolean => {
  const around = `${text.slice(Math.max(0, index - 16), index)} ${text.slice(end, end + 16)}`;
  const names = monthNames();
  return (around.toLowerCase().match(/\p{L}+/gu) ?? []).some((word) => names.has(word));
};

const isDate = (groups: readonly string[]): boolean =>
  groups.length === 3 && groups.some((g) => YEAR.test(g));

const sorted = (groups: readonly string[]): string => [...groups].sort().join('.');

/** The numbers a text backs, in every form a faithful rewording may use. */
export class NumberFacts {
  readonly #sequences = new Set<string>();
  readonly #dates = new Set<string>();
  readonly #dateParts: Array<ReadonlySet<string>> = [];

  /** Adds the numbers of a text (issue data, release facts). */
  add(text: string | undefined): this {
    if (!text) return this;
    for (const token of findNumbers(text)) {
      this.#sequences.add(token.groups.join('.'));
      const bare = token.text.replace(/^\D+|\D+$/g, '');
      if (THOUSANDS.test(bare)) this.#sequences.add(bare.replace(/\D/g, ''));
      if (isDate(token.groups)) {
        this.#dates.add(sorted(token.groups));
        this.#dateParts.push(new Set(token.groups));
      }
    }
    return this;
  }

  /**
   * The numbers of a draft's text that these facts do not back, as written. A number is backed by
   * the same digit groups in the same order (`1,5` backs `1.5`, `10000` backs `10,000`), a date by
   * the same day, month and year in any order (`2025-06-10` backs `10/06/2025`), and a lone day
   * or year by a backed date when it is written as one (`June 10, 2025`, `10. Juni`: a year, a
   * month name beside it, or another part of the same date in the text), so the `10` of a
   * release date does not back "10 times faster". Pure.
   */
  unbacked(text: string): string[] {
    const tokens = findNumbers(text);
    const reader = withoutKeyTokens(text);
    const groupsInText = new Set(tokens.flatMap((t) => t.groups));
    return tokens
      .filter((token) => {
        const bare = token.text.replace(/^\D+|\D+$/g, '');
        if (this.#sequences.has(token.groups.join('.'))) return false;
        if (THOUSANDS.test(bare) && this.#sequences.has(bare.replace(/\D/g, ''))) return false;
        if (isDate(token.groups)) return !this.#dates.has(sorted(token.groups));
        const [group] = token.groups;
        if (token.groups.length !== 1 || group === undefined) return true;
        const dates = this.#dateParts.filter((parts) => parts.has(group));
        if (dates.length === 0) return true;
        const writtenAsDate =
          YEAR.test(group) ||
          nearMonth(reader, token.index, token.index + token.text.length) ||
          dates.some((parts) => [...parts].some((part) => part !== group && groupsInText.has(part)));
        return !writtenAsDate;
      })
      .map((token) => token.text);
  }
}
