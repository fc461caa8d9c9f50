import type { LlmEmail } from '#contracts/emailDraft';
import { truncate } from '#shared/text';

/**
 * What the LLM's text must never contain: a mail client turns a URL or a bare domain into a link,
 * and an address or a phone number invites the reader to contact someone. Issue text in Jira is
 * untrusted (anyone who can edit an issue can plant "call +1 555 0100" or "log in at
 * evil.example"), so the prompt's "no links" is checked here, not trusted.
 */
export const CONTENT_VIOLATION_KINDS = ['url', 'domain', 'email', 'phone'] as const;

/** One of {@link CONTENT_VIOLATION_KINDS}. */
export type ContentViolationKind = (typeof CONTENT_VIOLATION_KINDS)[number];

/** Something a text must not contain, as found. */
export interface ContactDetail {
  kind: ContentViolationKind;
  /** The offending text (after normalisation, at most {@link MAX_REPORTED_CHARS} characters). */
  text: string;
}

/** A {@link ContactDetail} in one field of the LLM's email. */
export interface ContentViolation extends ContactDetail {
  /** Which field: `subject`, `intro`, `sections[1].heading`, `sections[0].items[2].text`, ... */
  field: string;
}

/** Longest offending text reported (the feedback to the model quotes it), characters. */
export const MAX_REPORTED_CHARS = 80;

/**
 * File extensions that are not delegated top-level domains (checked against the IANA list), so
 * `settings.yaml` or `Node.js` in a release note is not a domain. Extensions that are TLDs
 * (`.md`, `.sh`, `.py`, `.rs`, `.zip`, `.mov`, `.java`, `.map`, `.tf`, `.app`, `.dev`) stay
 * violations: `readme.md` could be a website.
 */
const FILE_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'json yaml yml toml ini cfg conf env lock log txt csv tsv xml html htm css scss sass less ' +
    'js mjs cjs jsx ts tsx vue php rb go kt kts cs cpp hpp swift scala lua sql graphql proto gradle ' +
    'png jpg jpeg gif svg webp ico pdf docx xlsx pptx tar gz tgz jar war exe dll msi dmg apk deb rpm bak tmp'
  ).split(' '),
);

const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const TLD = String.raw`(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})`;

/** `scheme://anything`, and the schemes that need no `//` (mailto:, tel:, javascript:, ...). */
const URL_WITH_SCHEME = [
  /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s<>"]*/giu,
  /\b(?:mailto|tel|sms|callto|javascript|data|file):[^\s<>"]+/giu,
];
/** `www.` and what follows, whatever the rest looks like. */
const WWW = /\bwww\d{0,3}\.[^\s<>"]+/giu;
/** `local@domain.tld`, and `name [at] example` spelled out to dodge a filter. */
const EMAILS = [
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu,
  /[\p{L}\p{N}._%+-]+\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\})\s*[\p{L}\p{N}-]+/giu,
];
/** `label.label.tld`, not inside a longer word, number or address. */
const DOMAIN = new RegExp(String.raw`(?<![\p{L}\p{N}_.@-])(?:${LABEL}\.)+${TLD}(?![\p{L}\p{N}_-])`, 'giu');
/** `example [.] com`, `example (dot) com`, `example dot com`. */
const OBFUSCATED_DOMAINS = [
  /[\p{L}\p{N}-]+\s*(?:\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\})\s*[\p{L}\p{N}-]+/giu,
  /[\p{L}\p{N}-]+\s+dot\s+(?:com|net|org|info|biz|io|co|app|dev|eu|uk|de|fr|ru|cn)\b/giu,
];
/** A dotted IPv4 address (checked further in {@link isIpAddress}). */
const IPV4 = /(?<![\p{N}.])(?:\d{1,3}\.){3}\d{1,3}(?![\p{N}]|\.\d)/gu;
/** Dates, times and year ranges: digits in a row that are not phone numbers. */
const NOT_PHONES = [
  /(?<!\d)(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}(?!\d)/g,
  /(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)/g,
  /(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g,
  /(?<!\d)(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2}(?!\d)/g,
];
/** Digits with the separators phone numbers are written with, optionally `+` or `(0xx)` first. */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}_./+-])(?:\+|\(\+?)?\d[\d ()./-]*\d\)?/gu;

/** Fewest and most digits of a phone number (E.164 allows 15). */
const PHONE_DIGITS = { min: 7, max: 15 } as const;
/** Fewest digits of a phone number written as one run with no separator (shorter runs are ids). */
const MIN_UNSEPARATED_PHONE_DIGITS = 10;
/** Fewest digits of a phone number written in two groups (`(030) 1234567`; `1000-5000` is a range). */
const MIN_SEPARATED_PAIR_DIGITS = 9;

/**
 * The text as a reader would see it: compatibility forms folded (full-width `＠` and `．`),
 * invisible format characters (zero-width spaces, bidi marks) removed, ideographic full stops
 * read as dots. A filter that matched only the raw text could be dodged with any of these.
 */
export const readerText = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\u3002\uff61]/g, '.');

/** `1.0`, `2.3.4`, `2.0.beta`: a version, not a domain. */
const isVersionLike = (token: string): boolean => /^v?\d+(?:\.\d+)+(?:\.\p{L}+)?$/iu.test(token);

/** Four octets of at most 255, at least two of them with two or more digits (so `1.2.3.4` is a version). */
const isIpAddress = (token: string): boolean => {
  const octets = token.split('.');
  return octets.every((o) => Number(o) <= 255) && octets.filter((o) => o.length >= 2).length >= 2;
};

/** Whether a run of digits and separators reads as a phone number rather than a count, id or version. */
const isPhoneLike = (candidate: string): boolean => {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < PHONE_DIGITS.min || digits > PHONE_DIGITS.max) return false;
  if (/^\(?\+/.test(candidate) || /^00[1-9]/.test(candidate)) return true;
  if (/^\d+$/.test(candidate)) return digits >= MIN_UNSEPARATED_PHONE_DIGITS;
  // 1000-5000: a range; a local number without an area code is too weak a signal to reject for.
  if (candidate.split(/\D+/).filter(Boolean).length < 3 && digits < MIN_SEPARATED_PAIR_DIGITS) return false;
  // 1.234.567, 1 234 567: a number with thousands separators.
  if (/^[1-9]\d{0,2}(?:[ .]\d{3})+$/.test(candidate)) return false;
  // 10.4.12.1003: a version (a one-digit group is never part of a written phone number).
  if (/^\d+(?:\.\d+)+$/.test(candidate) && candidate.split('.').some((group) => group.length === 1)) {
    return false;
  }
  return true;
};

/** Cuts a reported match to {@link MAX_REPORTED_CHARS}. */
const reported = (text: string): string => truncate(text, MAX_REPORTED_CHARS);

/**
 * Every URL, domain name, email address and phone number in a text, in the order the checks run
 * (URLs, emails, domains, phone numbers). Each found span is blanked before the next check, so
 * `https://example.com` is one `url`, not also a `domain`. Pure.
 *
 * Not violations: issue keys (`ABC-12`), versions and decimals (`1.0`, `v2.3.4`, `99.9`),
 * abbreviations (`e.g.`, `i.e.`), file names whose extension is not a TLD (`settings.yaml`),
 * dates, times, year ranges, and numbers with thousands separators.
 */
export const findContactDetails = (input: string): ContactDetail[] =>
  scanContactDetails(input).found.map(({ kind, text }) => ({ kind, text: reported(text) }));

/**
 * Removes every URL, domain name, email address and phone number {@link findContactDetails}
 * finds from a text, for the template fallback (which prints Jira text): the text comes back as a
 * reader sees it ({@link readerText}) with each span cut out and the spaces around it collapsed;
 * unchanged when nothing is found. Pure.
 */
export const redactContactDetails = (input: string): string => {
  const { text, found } = scanContactDetails(input);
  if (found.length === 0) return input;
  let out = text;
  // Right to left, so earlier offsets stay valid.
  for (const span of [...found].sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, span.start)}${out.slice(span.start + span.text.length)}`;
  }
  return out
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?])/g, '$1')
    .trim();
};

/** A found contact detail with its offset in the reader's text. */
interface FoundSpan {
  kind: ContentViolationKind;
  text: string;
  start: number;
}

/** The reader's text of `input` and every contact detail in it, with offsets. */
const scanContactDetails = (input: string): { text: string; found: FoundSpan[] } => {
  const found: FoundSpan[] = [];
  const original = readerText(input);
  let text = original;
  const take = (
    pattern: RegExp,
    kind: ContentViolationKind,
    accept: (match: string) => boolean = () => true,
  ) => {
    text = text.replace(pattern, (match: string, offset: number) => {
      if (!accept(match)) return match;
      found.push({ kind, text: match, start: offset });
      return ' '.repeat(match.length);
    });
  };

  for (const pattern of URL_WITH_SCHEME) take(pattern, 'url');
  take(WWW, 'url');
  for (const pattern of EMAILS) take(pattern, 'email');
  for (const pattern of OBFUSCATED_DOMAINS) take(pattern, 'domain');
  take(IPV4, 'domain', isIpAddress);
  take(DOMAIN, 'domain', (match) => {
    const tld = match.slice(match.lastIndexOf('.') + 1).toLowerCase();
    return !FILE_EXTENSIONS.has(tld) && !isVersionLike(match);
  });

  let digits = text;
  for (const pattern of NOT_PHONES) digits = digits.replace(pattern, (match) => 'x'.repeat(match.length));
  for (const match of digits.matchAll(PHONE_CANDIDATE)) {
    if (isPhoneLike(match[0])) found.push({ kind: 'phone', text: match[0], start: match.index });
  }
  return { text: original, found };
};

/** Every text field of an LLM email with its name, in reading order. */
const textFields = (email: LlmEmail): Array<[field: string, text: string]> => [
  ['subject', email.subject],
  ['preheader', email.preheader],
  ['intro', email.intro],
  ...email.sections.flatMap(
    (section, s): Array<[string, string]> => [
      [`sections[${s}].heading`, section.heading],
      ...section.items.map((item, i): [string, string] => [`sections[${s}].items[${i}].text`, item.text]),
    ],
  ),
  ['outro', email.outro],
];

/**
 * Checks every text field of the LLM's email (subject, preheader, intro, section headings, item
 * texts, outro) with {@link findContactDetails}. An empty list means the email may be sent;
 * otherwise compose treats it like an unknown citation: one retry with feedback naming the
 * violations ({@link contentPolicyFeedback}), then the template. Pure.
 */
export const checkContentPolicy = (email: LlmEmail): ContentViolation[] =>
  textFields(email).flatMap(([field, text]) =>
    findContactDetails(text).map((found) => ({ field, ...found })),
  );

/** The retry feedback naming each violation: what it is, the text, and where. */
export const contentPolicyFeedback = (violations: readonly ContentViolation[]): string =>
  'Your previous answer contained links or contact details, which the email must never contain: ' +
  `${violations.map((v) => `${v.kind} "${v.text}" in ${v.field}`).join('; ')}. ` +
  'Write no URLs, website or domain names, email addresses or phone numbers; describe the changes in words.';
