const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

const page = (title: string, body: string): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1rem}</style>',
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');

/** What the confirmation page shows and where its form posts. */
export interface UnsubscribeConfirmation {
  projectKey: string;
  email: string;
  /** The form's action: the same unsubscribe URL (path and query), posted to with one click. */
  action: string;
}

/**
 * The page a GET of an unsubscribe link shows. Link scanners follow GETs, so a GET never opts
 * out: it shows a form that POSTs the RFC 8058 body `List-Unsubscribe=One-Click`.
 * Every interpolated value is escaped.
 */
export const renderUnsubscribeConfirmation = (c: UnsubscribeConfirmation): string =>
  page(
    'Unsubscribe',
    [
      '<h1>Unsubscribe</h1>',
      `<p>Stop release emails to <strong>${escapeHtml(c.email)}</strong> (project <strong>${escapeHtml(c.projectKey)}</strong>)?</p>`,
      `<form method="post" action="${escapeHtml(c.action)}">`,
      '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
      '<button type="submit">Unsubscribe</button>',
      '</form>',
    ].join('\n'),
  );

/** The page after a successful unsubscribe. */
export const renderUnsubscribed = (email: string): string =>
  page(
    'Unsubscribed',
    `<h1>Unsubscribed</h1>\n<p>${escapeHtml(email)} will receive no more release emails.</p>`,
  );

/** The page for a link whose token does not verify (or that lacks a part). */
export const renderInvalidLink = (): string =>
  page(
    'Invalid link',
    '<h1>Invalid link</h1>\n<p>This unsubscribe link is not valid. Use the link from the latest email.</p>',
  );
