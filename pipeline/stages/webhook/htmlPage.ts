const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** Options of {@link htmlPage}. */
export interface HtmlPageOptions {
  /** Page width, rem. Default 32 (a short form); the review page uses 44 for its table. */
  widthRem?: number;
}

const STYLE = [
  'body{font-family:system-ui,sans-serif;margin:3rem auto;padding:0 1rem;line-height:1.5}',
  'button{font:inherit;padding:.5rem 1rem}',
  'table{border-collapse:collapse;width:100%}',
  'th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #ddd}',
  'dt{font-weight:600}dd{margin:0 0 .5rem}',
].join('');

/**
 * A whole page of the webhook function: plain HTML, no script, an inline style only (the
 * responses' CSP allows nothing else). `title` is escaped; `body` must already be escaped HTML.
 */
export const htmlPage = (title: string, body: string, options: HtmlPageOptions = {}): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}body{max-width:${options.widthRem ?? 32}rem}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
