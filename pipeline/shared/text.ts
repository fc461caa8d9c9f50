// C0 and C1 controls except tab and line feed, plus DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidirectional overrides and isolates (text spoofing) and the BOM.
const INVISIBLE_FORMATTING = /[\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const UNICODE_LINE_BREAKS = /[\u2028\u2029]/g;

/**
 * Cleans untrusted multi-line text (Jira or LLM) for a draft: normalises line breaks to `\n`,
 * turns tabs into spaces, drops control and bidi-override characters, and breaks every `{{`
 * apart (`{ {`) so the text can never contain a draft placeholder in the plain-text part.
 */
export const cleanText = (value: string): string =>
  value
    .replace(/\r\n?/g, '\n')
    .replace(UNICODE_LINE_BREAKS, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE_FORMATTING, '')
    // Lookahead, so `{{{` becomes `{ { {` rather than `{ {{`.
    .replace(/\{(?=\{)/g, '{ ')
    .trim();

/**
 * Tidies untrusted multi-line text for a prompt (a Jira description): control and bidi-override
 * characters dropped, spaces collapsed per line, blank lines removed.
 */
export const tidyLines = (value: string): string =>
  value
    .replace(UNICODE_LINE_BREAKS, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE_FORMATTING, '')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');

/**
 * Cleans untrusted text that must stay on one line (a subject, a heading, a header value):
 * like {@link cleanText}, then every line break becomes a space and runs of spaces collapse.
 */
export const singleLine = (value: string): string =>
  cleanText(value).replace(/\n+/g, ' ').replace(/ {2,}/g, ' ').trim();

/** Marks text that was cut short. */
export const ELLIPSIS = '…';

/**
 * The one truncator: cuts `value` to at most `max` characters (UTF-16 units), ending with
 * {@link ELLIPSIS} when it was cut, never splitting a surrogate pair; `''` when `max` is 0 or less.
 */
export const truncate = (value: string, max: number): string => {
  if (value.length <= max) return value;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  // Never cut a surrogate pair in half.
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end).trimEnd()}${ELLIPSIS}`;
};
