import { DRAFT_PLACEHOLDERS } from '#contracts/emailDraft';
import { singleLine } from '#shared/text';
import { escapeHtml } from '#stages/shared/escapeHtml';

/** One recipient's values for a draft's {@link DRAFT_PLACEHOLDERS}. */
export interface PlaceholderValues {
  /** Display name, or the locale's neutral greeting word. Untrusted (directory data). */
  name: string;
  /** One-click unsubscribe URL. */
  unsubscribeUrl: string;
}

const PLACEHOLDER = new RegExp(
  Object.values(DRAFT_PLACEHOLDERS)
    .map((p) => p.replace(/[{}]/g, '\\$&'))
    .join('|'),
  'g',
);

/**
 * Fills a draft's placeholders for one recipient, in one pass (a name that happens to contain
 * `{{unsubscribe_url}}` is not filled again). In `html` both values are HTML-escaped (the URL
 * sits in an `href`); in `text` the name is kept as written, on one line.
 */
export const fillPlaceholders = (
  template: string,
  values: PlaceholderValues,
  format: 'html' | 'text',
): string => {
  const name = format === 'html' ? escapeHtml(values.name) : singleLine(values.name);
  const url = format === 'html' ? escapeHtml(values.unsubscribeUrl) : values.unsubscribeUrl;
  return template.replace(PLACEHOLDER, (match) => (match === DRAFT_PLACEHOLDERS.name ? name : url));
};
