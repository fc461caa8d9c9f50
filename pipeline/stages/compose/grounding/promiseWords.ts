import { readerText } from '../contentPolicy.ts';

/** What a promise word promises; a word is backed by any word of its concept in the data. */
export const PROMISE_CONCEPTS = ['free', 'guaranteed', 'unlimited', 'lifetime', 'always', 'never'] as const;

/** One of {@link PROMISE_CONCEPTS}. */
export type PromiseConcept = (typeof PROMISE_CONCEPTS)[number];

/**
 * The promise words and phrases of each language the templates speak (localeStrings: en, de,
 * fr, es), per concept. Lower case; matched as whole words, longest phrase first (so `für immer`
 * is a lifetime promise, not also `immer`).
 */
export const PROMISE_WORDS: Readonly<Record<string, Readonly<Record<PromiseConcept, readonly string[]>>>> = {
  en: {
    free: ['free', 'free of charge', 'at no cost', 'at no extra cost', 'no charge', 'complimentary'],
    guaranteed: ['guaranteed', 'guarantee', 'guarantees', 'warranty'],
    unlimited: ['unlimited', 'limitless', 'without limits', 'no limits'],
    lifetime: ['lifetime', 'forever', 'for life', 'permanently', 'in perpetuity'],
    always: ['always', 'at all times'],
    never: ['never', 'at no time'],
  },
  de: {
    free: ['kostenlos', 'kostenlose', 'kostenlosen', 'kostenfrei', 'gratis', 'umsonst', 'gebührenfrei'],
    guaranteed: ['garantiert', 'garantierte', 'garantie'],
    unlimited: ['unbegrenzt', 'unbegrenzte', 'unbegrenzten', 'unbeschränkt', 'unbeschränkte', 'unlimitiert'],
    lifetime: ['lebenslang', 'lebenslange', 'lebenslangen', 'für immer', 'auf ewig', 'dauerhaft'],
    always: ['immer', 'stets', 'jederzeit'],
    never: ['nie', 'niemals', 'nie wieder'],
  },
  fr: {
    free: ['gratuit', 'gratuite', 'gratuits', 'gratuites', 'gratuitement', 'sans frais'],
    guaranteed: ['garanti', 'garantie', 'garantis', 'garanties'],
    unlimited: ['illimité', 'illimitée', 'illimités', 'illimitées', 'sans limite', 'sans limites'],
    lifetime: ['à vie', 'pour toujours', 'à jamais', 'définitivement'],
    always: ['toujours'],
    never: ['jamais'],
  },
  es: {
    free: ['gratis', 'gratuito', 'gratuita', 'gratuitos', 'gratuitas', 'sin costo', 'sin coste'],
    guaranteed: ['garantizado', 'garantizada', 'garantizados', 'garantizadas', 'garantía'],
    unlimited: ['ilimitado', 'ilimitada', 'ilimitados', 'ilimitadas', 'sin límite', 'sin límites'],
    lifetime: ['de por vida', 'para siempre', 'vitalicio', 'vitalicia'],
    always: ['siempre'],
    never: ['nunca', 'jamás'],
  },
};

/** A promise word found in a text. */
export interface PromiseWord {
  concept: PromiseConcept;
  /** As written. */
  text: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern per language set, longest phrase first. */
const patternFor = (
  languages: readonly string[],
): { pattern: RegExp; concepts: Map<string, PromiseConcept> } => {
  const concepts = new Map<string, PromiseConcept>();
  for (const language of languages) {
    const words = PROMISE_WORDS[language];
    if (!words) continue;
    for (const concept of PROMISE_CONCEPTS) {
      for (const word of words[concept]) if (!concepts.has(word)) concepts.set(word, concept);
    }
  }
  const alternatives = [...concepts.keys()]
    .sort((a, b) => b.length - a.length)
    .map((word) => escapeRegExp(word).replace(/ /g, '\\s+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return { pattern, concepts };
};

const cache = new Map<string, ReturnType<typeof patternFor>>();

const find = (text: string, languages: readonly string[]): PromiseWord[] => {
  const id = languages.join(',');
  let compiled = cache.get(id);
  if (!compiled) {
    compiled = patternFor(languages);
    cache.set(id, compiled);
  }
  const { pattern, concepts } = compiled;
  return [...readerText(text).matchAll(pattern)].flatMap((match) => {
    const concept = concepts.get(match[0].toLowerCase().replace(/\s+/g, ' '));
    return concept ? [{ concept, text: match[0] }] : [];
  });
};

/** The language subtag of a locale tag (`de-AT` → `de`). */
const languageOf = (locale: string): string => locale.split('-')[0]?.toLowerCase() ?? 'en';

/**
 * The promise words of a draft's text: its locale's words and English ones (a model writing
 * German may still slip an English "free" in). Pure.
 */
export const findPromises = (text: string, locale: string): PromiseWord[] =>
  find(text, [...new Set([languageOf(locale), 'en'])]);

/** The promise concepts data backs, in any supported language (Jira text may be in another one). */
export const backedPromises = (texts: ReadonlyArray<string | undefined>): Set<PromiseConcept> =>
  new Set(
    texts.flatMap((text) => (text ? find(text, Object.keys(PROMISE_WORDS)).map((word) => word.concept) : [])),
  );
