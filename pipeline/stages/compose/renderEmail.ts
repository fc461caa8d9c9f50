import { DRAFT_PLACEHOLDERS, issueKey, type LlmEmail } from '#contracts/emailDraft';
import { PermanentError } from '#shared/errors';
import { type EmailReferences, referenceHref } from './emailReferences.ts';
import { escapeHtml } from './escapeHtml.ts';
import { formatReleaseDate, localeStrings } from './localeStrings.ts';
import { cleanText, singleLine, truncate } from './untrustedText.ts';

/** What the renderer needs besides the email content. Every string here is untrusted except `siteUrl`. */
export interface RenderContext {
  /** Jira project name. */
  projectName: string;
  /** Jira version name. */
  versionName: string;
  /** Jira `yyyy-mm-dd` release date, when set. */
  releaseDate?: string | undefined;
  /** Jira site base URL (`https://acme.atlassian.net`); the only host the email links to. */
  siteUrl: string;
  /** Locale of the recipients (template wording, date format, `lang`). */
  locale: string;
  /** What the email shows of the cited issue keys. Default `{ mode: 'none' }` (a client email's default). */
  references?: EmailReferences | undefined;
  /** A last footer line (company name, postal address), from the policy. Default none. */
  footerLine?: string | undefined;
}

/** A rendered draft body: per-recipient parts are still {@link DRAFT_PLACEHOLDERS}. */
export interface RenderedEmail {
  /** One line, no control characters, at most {@link MAX_SUBJECT_LENGTH} characters. */
  subject: string;
  html: string;
  text: string;
}

/** Longest subject rendered, characters (the LLM schema's own limit). */
export const MAX_SUBJECT_LENGTH = 150;

/**
 * The base of issue links, `<site>/browse/`, from a validated Jira site URL: http(s), no
 * credentials, query or fragment, no trailing slash.
 * @throws PermanentError `invalid_site_url` otherwise (a configuration fault no retry fixes).
 */
export const issueBrowseBase = (siteUrl: string): string => {
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch (cause) {
    throw new PermanentError('invalid_site_url', 'the Jira site URL is not an absolute URL', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PermanentError('invalid_site_url', 'the Jira site URL must be http or https');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new PermanentError(
      'invalid_site_url',
      'the Jira site URL must not carry credentials, query or fragment',
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/browse/`;
};

const isIssueKey = (key: string): boolean => issueKey.safeParse(key).success;

/** Escaped paragraphs of untrusted multi-line text: blank lines split paragraphs, single breaks become `<br>`. */
const htmlParagraphs = (text: string, style: string): string =>
  text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p style="${style}">${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');

const TEXT_STYLE = 'margin:0 0 16px;';
const MUTED = 'color:#5e6c84;';

/** How often `needle` occurs in `haystack`. */
const occurrences = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

/**
 * Renders a draft from the LLM's structured email (or the template fallback's): one HTML body
 * from a fixed template in which every interpolated value is escaped, and a plain-text part that
 * mirrors it. Pure.
 *
 * References follow `context.references` ({@link EmailReferences}): by default (`none`) neither
 * part shows a key or a link; `keys` shows plain keys; `links` links each key through the
 * policy's https template; `jira` (reviewers only, never a client policy) links to
 * `<siteUrl>/browse/<KEY>`.
 *
 * Safety: the only links are issue keys (matched against the Jira key pattern) as the reference
 * mode says, plus the unsubscribe placeholder; LLM and Jira text is never linkified. `{` is escaped in HTML and `{{` broken apart in text, so untrusted text can never
 * produce a placeholder the send stage would fill.
 * @throws PermanentError `invalid_site_url` when `context.siteUrl` is not a plain http(s) URL.
 */
export const renderEmail = (email: LlmEmail, context: RenderContext): RenderedEmail => {
  const browse = issueBrowseBase(context.siteUrl);
  const strings = localeStrings(context.locale);
  const project = singleLine(context.projectName);
  const version = singleLine(context.versionName);
  const date = context.releaseDate
    ? formatReleaseDate(context.releaseDate, context.locale)
    : strings.noReleaseDate;
  const subject =
    truncate(singleLine(email.subject), MAX_SUBJECT_LENGTH) ||
    truncate(singleLine(`${project} ${version}`), MAX_SUBJECT_LENGTH);
  const preheader = singleLine(email.preheader);
  const intro = cleanText(email.intro);
  const outro = cleanText(email.outro);
  const sections = email.sections
    .map((section) => ({
      heading: singleLine(section.heading),
      items: section.items
        .map((item) => ({ text: cleanText(item.text), keys: item.issueKeys.map(singleLine) }))
        .filter((item) => item.text.length > 0),
    }))
    .filter((section) => section.items.length > 0);
  const metaLine = `${project} · ${version} · ${strings.releaseDateLabel}: ${date}`;
  const footer = strings.footer(project);
  const footerLine = context.footerLine === undefined ? '' : singleLine(context.footerLine);
  const references = context.references ?? { mode: 'none' };
  const hrefOf = (key: string): string | undefined =>
    isIssueKey(key) ? referenceHref(references, key, browse) : undefined;

  const keyHtml = (key: string): string => {
    const href = hrefOf(key);
    return href === undefined
      ? escapeHtml(key)
      : `<a href="${escapeHtml(href)}" style="color:#0052cc;">${escapeHtml(key)}</a>`;
  };
  const keysHtml = (keys: string[]): string =>
    references.mode === 'none' ? '' : ` <span style="${MUTED}">(${keys.map(keyHtml).join(', ')})</span>`;
  const keysText = (keys: string[]): string => (references.mode === 'none' ? '' : ` (${keys.join(', ')})`);

  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(context.locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#f4f5f7;">',
    // Preheader: the inbox preview line, hidden in the opened email.
    '<span style="display:none;visibility:hidden;opacity:0;color:transparent;height:0;width:0;max-height:0;' +
      `max-width:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;">${escapeHtml(preheader)}</span>`,
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;' +
      'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#172b4d;">',
    `<p style="margin:0 0 16px;font-size:12px;${MUTED}">${escapeHtml(metaLine)}</p>`,
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">${escapeHtml(subject)}</h1>`,
    `<p style="${TEXT_STYLE}">${escapeHtml(strings.greeting.before)}${DRAFT_PLACEHOLDERS.name}${escapeHtml(strings.greeting.after)}</p>`,
    htmlParagraphs(intro, TEXT_STYLE),
    ...sections.map((section) =>
      [
        `<h2 style="margin:24px 0 8px;font-size:17px;">${escapeHtml(section.heading)}</h2>`,
        '<ul style="margin:0 0 16px;padding-left:20px;">',
        ...section.items.map(
          (item) =>
            `<li style="margin:0 0 6px;">${item.text.split('\n').map(escapeHtml).join('<br>')}` +
            `${keysHtml(item.keys)}</li>`,
        ),
        '</ul>',
      ].join('\n'),
    ),
    htmlParagraphs(outro, TEXT_STYLE),
    '<hr style="border:none;border-top:1px solid #dfe1e6;margin:24px 0 12px;">',
    `<p style="margin:0;font-size:12px;${MUTED}">${escapeHtml(footer)} ` +
      `<a href="${DRAFT_PLACEHOLDERS.unsubscribeUrl}" style="${MUTED}">${escapeHtml(strings.unsubscribe)}</a></p>`,
    footerLine ? `<p style="margin:8px 0 0;font-size:12px;${MUTED}">${escapeHtml(footerLine)}</p>` : '',
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line.length > 0)
    .join('\n');

  const linkedKeys = [...new Set(sections.flatMap((s) => s.items.flatMap((i) => i.keys)))].filter(
    (key) => hrefOf(key) !== undefined,
  );
  const text = [
    metaLine,
    subject,
    `${strings.greeting.before}${DRAFT_PLACEHOLDERS.name}${strings.greeting.after}`,
    intro,
    ...sections.map((section) =>
      [
        section.heading,
        ...section.items.map((item) => `- ${item.text.replace(/\n/g, '\n  ')}${keysText(item.keys)}`),
      ].join('\n'),
    ),
    outro,
    linkedKeys.length > 0
      ? [`${strings.issueLinksHeading}:`, ...linkedKeys.map((key) => `${key}: ${hrefOf(key)}`)].join('\n')
      : '',
    `--\n${footer}\n${strings.unsubscribe}: ${DRAFT_PLACEHOLDERS.unsubscribeUrl}${footerLine ? `\n${footerLine}` : ''}`,
  ]
    .filter((block) => block.length > 0)
    .join('\n\n')
    .concat('\n');

  // Invariant: each placeholder appears exactly once per part, where the template put it.
  for (const placeholder of Object.values(DRAFT_PLACEHOLDERS)) {
    if (occurrences(html, placeholder) !== 1 || occurrences(text, placeholder) !== 1) {
      throw new Error(`renderEmail produced a draft with a stray ${placeholder}`);
    }
  }
  return { subject, html, text };
};
