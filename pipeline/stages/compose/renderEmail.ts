import { DRAFT_PLACEHOLDERS, issueKey, type LlmEmail } from '#contracts/emailDraft';
import { PermanentError } from '#shared/errors';
import { cleanText, singleLine, truncate } from '#shared/text';
import { escapeHtml } from '#stages/shared/escapeHtml';
import { formatReleaseDate, type LocaleStrings, localeStrings } from '#stages/shared/localeStrings';
import { type EmailReferences, referenceHref } from './emailReferences.ts';
import { projectOf, withoutKeysOf } from './grounding/index.ts';

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

/** The cleaned, one-line or multi-line values both parts are built from. */
interface Prepared {
  locale: string;
  strings: LocaleStrings;
  subject: string;
  preheader: string;
  intro: string;
  outro: string;
  sections: Array<{ heading: string; items: Array<{ text: string; keys: string[] }> }>;
  metaLine: string;
  footer: string;
  /** `''` when the policy has none. */
  footerLine: string;
  mode: EmailReferences['mode'];
  /** The link of a key, undefined when the mode links nothing or the key is not a Jira key. */
  hrefOf: (key: string) => string | undefined;
}

/** Cleans every untrusted value once and resolves the reference mode. */
const prepare = (email: LlmEmail, context: RenderContext): Prepared => {
  const browse = issueBrowseBase(context.siteUrl);
  const strings = localeStrings(context.locale);
  const project = singleLine(context.projectName);
  const version = singleLine(context.versionName);
  const date = context.releaseDate
    ? formatReleaseDate(context.releaseDate, context.locale)
    : strings.noReleaseDate;
  const references = context.references ?? { mode: 'none' };
  // With references off no key may reach the client, not even one the writer put in a sentence.
  const projects = new Set(
    references.mode === 'none'
      ? email.sections.flatMap((s) => s.items.flatMap((i) => i.issueKeys.map(projectOf)))
      : [],
  );
  const hide = (text: string): string => withoutKeysOf(text, projects);
  return {
    locale: context.locale,
    strings,
    subject:
      truncate(hide(singleLine(email.subject)), MAX_SUBJECT_LENGTH) ||
      truncate(singleLine(`${project} ${version}`), MAX_SUBJECT_LENGTH),
    preheader: hide(singleLine(email.preheader)),
    intro: hide(cleanText(email.intro)),
    outro: hide(cleanText(email.outro)),
    sections: email.sections
      .map((section) => ({
        heading: hide(singleLine(section.heading)),
        items: section.items
          .map((item) => ({ text: hide(cleanText(item.text)), keys: item.issueKeys.map(singleLine) }))
          .filter((item) => item.text.length > 0),
      }))
      .filter((section) => section.items.length > 0),
    metaLine: `${project} · ${version} · ${strings.releaseDateLabel}: ${date}`,
    footer: strings.footer(project),
    footerLine: context.footerLine === undefined ? '' : singleLine(context.footerLine),
    mode: references.mode,
    hrefOf: (key) => (isIssueKey(key) ? referenceHref(references, key, browse) : undefined),
  };
};

/** The HTML body: a fixed template, every interpolated value escaped. */
const htmlPart = (p: Prepared): string => {
  const keyHtml = (key: string): string => {
    const href = p.hrefOf(key);
    return href === undefined
      ? escapeHtml(key)
      : `<a href="${escapeHtml(href)}" style="color:#0052cc;">${escapeHtml(key)}</a>`;
  };
  const keysHtml = (keys: string[]): string =>
    p.mode === 'none' ? '' : ` <span style="${MUTED}">(${keys.map(keyHtml).join(', ')})</span>`;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(p.locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(p.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#f4f5f7;">',
    // Preheader: the inbox preview line, hidden in the opened email.
    '<span style="display:none;visibility:hidden;opacity:0;color:transparent;height:0;width:0;max-height:0;' +
      `max-width:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;">${escapeHtml(p.preheader)}</span>`,
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;' +
      'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#172b4d;">',
    `<p style="margin:0 0 16px;font-size:12px;${MUTED}">${escapeHtml(p.metaLine)}</p>`,
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">${escapeHtml(p.subject)}</h1>`,
    `<p style="${TEXT_STYLE}">${escapeHtml(p.strings.greeting.before)}${DRAFT_PLACEHOLDERS.name}${escapeHtml(p.strings.greeting.after)}</p>`,
    htmlParagraphs(p.intro, TEXT_STYLE),
    ...p.sections.map((section) =>
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
    htmlParagraphs(p.outro, TEXT_STYLE),
    '<hr style="border:none;border-top:1px solid #dfe1e6;margin:24px 0 12px;">',
    `<p style="margin:0;font-size:12px;${MUTED}">${escapeHtml(p.footer)} ` +
      `<a href="${DRAFT_PLACEHOLDERS.unsubscribeUrl}" style="${MUTED}">${escapeHtml(p.strings.unsubscribe)}</a></p>`,
    p.footerLine ? `<p style="margin:8px 0 0;font-size:12px;${MUTED}">${escapeHtml(p.footerLine)}</p>` : '',
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line.length > 0)
    .join('\n');
};

/** The plain-text part, mirroring the HTML; linked keys listed with their URLs at the end. */
const textPart = (p: Prepared): string => {
  const keysText = (keys: string[]): string => (p.mode === 'none' ? '' : ` (${keys.join(', ')})`);
  const linkedKeys = [...new Set(p.sections.flatMap((s) => s.items.flatMap((i) => i.keys)))].filter(
    (key) => p.hrefOf(key) !== undefined,
  );
  return [
    p.metaLine,
    p.subject,
    `${p.strings.greeting.before}${DRAFT_PLACEHOLDERS.name}${p.strings.greeting.after}`,
    p.intro,
    ...p.sections.map((section) =>
      [
        section.heading,
        ...section.items.map((item) => `- ${item.text.replace(/\n/g, '\n  ')}${keysText(item.keys)}`),
      ].join('\n'),
    ),
    p.outro,
    linkedKeys.length > 0
      ? [`${p.strings.issueLinksHeading}:`, ...linkedKeys.map((key) => `${key}: ${p.hrefOf(key)}`)].join('\n')
      : '',
    `--\n${p.footer}\n${p.strings.unsubscribe}: ${DRAFT_PLACEHOLDERS.unsubscribeUrl}${p.footerLine ? `\n${p.footerLine}` : ''}`,
  ]
    .filter((block) => block.length > 0)
    .join('\n\n')
    .concat('\n');
};

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
 * mode says, plus the unsubscribe placeholder; LLM and Jira text is never linkified. `{` is
 * escaped in HTML and `{{` broken apart in text, so untrusted text can never produce a
 * placeholder the send stage would fill.
 * @throws PermanentError `invalid_site_url` when `context.siteUrl` is not a plain http(s) URL.
 */
export const renderEmail = (email: LlmEmail, context: RenderContext): RenderedEmail => {
  const prepared = prepare(email, context);
  const html = htmlPart(prepared);
  const text = textPart(prepared);
  // Invariant: each placeholder appears exactly once per part, where the template put it.
  for (const placeholder of Object.values(DRAFT_PLACEHOLDERS)) {
    if (occurrences(html, placeholder) !== 1 || occurrences(text, placeholder) !== 1) {
      throw new Error(`renderEmail produced a draft with a stray ${placeholder}`);
    }
  }
  return { subject: prepared.subject, html, text };
};
