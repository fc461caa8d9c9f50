import { withoutKeyTokens } from './issueKeyTokens.ts';

/**
 * A number as written, with what makes it a claim around it: a currency sign or code before,
 * digit groups joined by `.`, `,`, `:`, `/`, `-`, `'` (versions, decimals, dates, times,
 * thousands), and a percent sign after. Issue keys are blanked first.
 */
const NUMBER =
  /(?:(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF)\b)\s?)?(?<![\p{L}\p{N}])v?\d+(?:[.,:/'’-]\d+)*(?:\s?%)?/giu;

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
}

const digitGroups = (token: string): string[] =>
  // `06` → `6` (a day or month); `000` stays (a thousands group: `10,000` is not `10,0`).
  (token.match(/\d+/g) ?? []).map((group) => (group.length <= 2 ? group.replace(/^0(?=\d)/, '') : group));

/** Every number of a text, issue keys left out. Pure. */
export const findNumbers = (text: string): NumberToken[] =>
  [...withoutKeyTokens(text).matchAll(NUMBER)].map((match) => ({
    text: match[0].trim(),
    groups: digitGroups(match[0]),
  }));

const isDate = (groups: readonly string[]): boolean =>
  groups.length === 3 && groups.some((g) => YEAR.test(g));

const sorted = (groups: readonly string[]): string => [...groups].sort().join('.');

/** The numbers a text backs, in every form a faithful rewording may use. */
export class NumberFacts {
  readonly #sequences = new Set<string>();
  readonly #dates = new Set<string>();
  readonly #dateParts = new Set<string>();

  /** Adds the numbers of a text (issue data, release facts). */
  add(text: string | undefined): this {
    if (!text) return this;
    for (const token of findNumbers(text)) {
      this.#sequences.add(token.groups.join('.'));
      const bare = token.text.replace(/^\D+|\D+$/g, '');
      if (THOUSANDS.test(bare)) this.#sequences.add(bare.replace(/\D/g, ''));
      if (isDate(token.groups)) {
        this.#dates.add(sorted(token.groups));
        for (const group of token.groups) this.#dateParts.add(group);
      }
    }
    return this;
  }

  /**
   * Whether a number of a draft is backed: the same digit groups in the same order (`1,5` backs
   * `1.5`, `10000` backs `10,000`), a date with the same day, month and year in any order
   * (`2025-06-10` backs `10/06/2025`), or one group of a backed date (`June 10, 2025` is read as
   * `10` and `2025`).
   */
  backs(token: NumberToken): boolean {
    const bare = token.text.replace(/^\D+|\D+$/g, '');
    if (this.#sequences.has(token.groups.join('.'))) return true;
    if (THOUSANDS.test(bare) && this.#sequences.has(bare.replace(/\D/g, ''))) return true;
    if (isDate(token.groups)) return this.#dates.has(sorted(token.groups));
    return token.groups.length === 1 && this.#dateParts.has(token.groups[0] ?? '');
  }
}
