const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  // Braces too: a draft's only `{{...}}` sequences must be the template's own placeholders,
  // so no Jira or LLM text can smuggle one in for the send stage to fill.
  '{': '&#123;',
  '}': '&#125;',
};

/**
 * Escapes a value for HTML text and for double- or single-quoted attribute values:
 * `& < > " '`, the backtick (old IE attribute quoting) and `{ }` (so escaped text can never
 * contain a draft placeholder).
 */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"'`{}]/g, (c) => HTML_ESCAPES[c] ?? c);
