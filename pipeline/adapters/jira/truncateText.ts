/** Marks text that was cut short. */
export const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `maxChars` UTF-16 code units, ending with {@link ELLIPSIS} when it was
 * cut, and never splitting a surrogate pair.
 */
export const truncateText = (text: string, maxChars: number): string => {
  if (text.length <= maxChars) return text;
  if (maxChars <= 0) return '';
  let cut = text.slice(0, maxChars - ELLIPSIS.length);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}${ELLIPSIS}`;
};

// C0/C1 control characters except tab and newline, plus bidi overrides that can disguise text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line: control characters dropped, every whitespace run (newlines too) made one space, trimmed. */
export const singleLine = (text: string): string => text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();

/** Several lines: control characters dropped, spaces collapsed per line, blank lines removed. */
export const tidyLines = (text: string): string =>
  text
    .replace(CONTROL, '')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
