import { escapeHtml, htmlPage } from './htmlPage.ts';

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
  htmlPage(
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
  htmlPage(
    'Unsubscribed',
    `<h1>Unsubscribed</h1>\n<p>${escapeHtml(email)} will receive no more release emails.</p>`,
  );

/** The page for a link whose token does not verify (or that lacks a part). */
export const renderInvalidLink = (): string =>
  htmlPage(
    'Invalid link',
    '<h1>Invalid link</h1>\n<p>This unsubscribe link is not valid. Use the link from the latest email.</p>',
  );
