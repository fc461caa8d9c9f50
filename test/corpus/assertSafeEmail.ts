import type { OutboxEmail } from '#local/Outbox';
import type { SigningKeys } from '#shared/signingKeys';
import { openUnsubscribeToken } from '#shared/unsubscribeToken';
import { type HtmlToken, tokenizeHtml, visibleText } from './htmlTokens.ts';

/**
 * Tags the email template writes (pipeline/stages/compose/renderEmail.ts) and the attributes
 * each may carry. Anything else in an email is markup that came from Jira or the model.
 */
export const TEMPLATE_TAGS: Readonly<Record<string, readonly string[]>> = {
  html: ['lang'],
  head: [],
  meta: ['charset', 'name', 'content'],
  title: [],
  body: ['style'],
  span: ['style'],
  div: ['style'],
  p: ['style'],
  h1: ['style'],
  h2: ['style'],
  ul: ['style'],
  li: ['style'],
  a: ['href', 'style'],
  br: [],
  hr: ['style'],
};

/** Header names a herald email may carry (lower case), each at most once. */
export const ALLOWED_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'x-herald-release',
  'x-herald-point',
  'x-herald-draft-source',
]);

/** What one email of a release must look like. */
export interface SafeEmailExpectation {
  /** The one address the email may go to. */
  recipient: string;
  /** Jira site base URL (`http://127.0.0.1:PORT`): issue links are `<siteUrl>/browse/<KEY>`. */
  siteUrl: string;
  /** Keys of the release's issues: the only keys an email may link to. */
  releaseKeys: ReadonlySet<string>;
  /** The local webhook's unsubscribe URL (`http://127.0.0.1:PORT/unsubscribe`), without query. */
  unsubscribeUrl: string;
  /** The release's project key (the unsubscribe link's `p`). */
  projectKey: string;
  /** The release's version id (`X-Herald-Release`). */
  versionId: string;
  /**
   * Where issue links must point: `<base><KEY>`. Default `<siteUrl>/browse/` (the staff view);
   * with a client policy's link template, every link to the Jira site is foreign.
   */
  issueLinkBase?: string;
  /** Keys that must open the unsubscribe token to this project and recipient. Default: not opened. */
  signingKeys?: SigningKeys;
  /** Untrusted strings: must not appear as written in the HTML when they hold markup characters. */
  hostile?: readonly string[];
  /** Text that must be visible in the HTML (decoded), proving the input reached the renderer. */
  visible?: readonly string[];
  /** Text that must appear nowhere: HTML text, text part, subject. */
  invisible?: readonly string[];
  /** `X-Herald-Draft-Source` the email must carry. */
  source?: 'llm' | 'template';
}

/** What {@link auditEmail} found besides problems: the issue keys linked, for counting. */
export interface EmailAudit {
  problems: string[];
  /** Issue keys the HTML links to, in order (repeats kept). */
  linkedKeys: string[];
}

const MARKUP = /[<>"'&]/;
const DANGEROUS_STYLE = /url\s*\(|expression\s*\(|javascript:|@import|behavio(?:u)?r\s*:/i;

/** The header block of a raw MIME message, unfolded: one `[name, value]` per header field. */
export const rawHeaders = (raw: string): Array<[string, string]> => {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end < 0 ? raw : raw.slice(0, end);
  const fields: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    fields.push(colon < 0 ? [line, ''] : [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
};

/** The address in a `To`/`From` value such as `Name <a@b>` or `a@b`. */
const addressOf = (value: string): string => (/<([^>]*)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();

const auditTags = (tokens: readonly HtmlToken[], problems: string[]) => {
  for (const token of tokens) {
    if (token.type === 'comment') problems.push(`html: a comment ${JSON.stringify(token.raw.slice(0, 80))}`);
    if (token.type === 'doctype' && token.raw.toLowerCase() !== '<!doctype html>') {
      problems.push(`html: unexpected declaration ${JSON.stringify(token.raw.slice(0, 80))}`);
    }
    if (token.type === 'text' && /[<>]/.test(token.raw)) {
      problems.push(`html: raw < or > in text ${JSON.stringify(token.raw.slice(0, 80))}`);
    }
    if (token.type !== 'tag') continue;
    const allowed = TEMPLATE_TAGS[token.name];
    if (token.unterminated) problems.push(`html: unterminated tag ${JSON.stringify(token.raw.slice(0, 80))}`);
    if (!allowed) {
      problems.push(`html: tag <${token.name}> is not in the template's allowlist`);
      continue;
    }
    const seen = new Set<string>();
    for (const attribute of token.attributes) {
      if (seen.has(attribute.name)) problems.push(`html: <${token.name}> repeats ${attribute.name}`);
      seen.add(attribute.name);
      if (attribute.name.startsWith('on'))
        problems.push(`html: event handler ${attribute.name} on <${token.name}>`);
      else if (token.closing || !allowed.includes(attribute.name)) {
        problems.push(`html: attribute ${attribute.name} on <${token.closing ? '/' : ''}${token.name}>`);
      }
      if (attribute.name === 'style' && DANGEROUS_STYLE.test(attribute.value ?? '')) {
        problems.push(`html: style that loads or runs something on <${token.name}>`);
      }
      if (/^\s*(?:javascript|vbscript|data):/i.test(attribute.value ?? '')) {
        problems.push(`html: ${attribute.name}=${JSON.stringify(attribute.value?.slice(0, 60))}`);
      }
    }
  }
};

/**
 * Audits one email the pipeline sent against what its release allows, without trusting any of
 * the pipeline's own helpers. Checks:
 * - headers: only {@link ALLOWED_HEADERS}, each once; To is exactly the recipient; no CR/LF in
 *   the subject; X-Herald-Release is the version; List-Unsubscribe is the unsubscribe link;
 * - HTML: every tag and attribute in {@link TEMPLATE_TAGS}; no comments, no `on*` attributes, no
 *   `javascript:`/`data:` values, no raw `<`/`>` in text; every `<a href>` is
 *   `<siteUrl>/browse/<KEY>` for a key of the release or the recipient's unsubscribe link
 *   (exactly one); hostile strings never written as is, `visible` ones shown as text;
 * - neither part keeps a `{{` placeholder.
 */
export const auditEmail = (email: OutboxEmail, expected: SafeEmailExpectation): EmailAudit => {
  const problems: string[] = [];
  const linkedKeys: string[] = [];
  const browse = expected.issueLinkBase ?? `${expected.siteUrl.replace(/\/+$/, '')}/browse/`;

  const headers = rawHeaders(email.raw);
  const counts = new Map<string, number>();
  for (const [name] of headers) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (!ALLOWED_HEADERS.has(name))
      problems.push(`headers: unexpected header ${JSON.stringify(name.slice(0, 60))}`);
    else if (count > 1) problems.push(`headers: ${name} appears ${count} times`);
  }
  const header = (name: string) => headers.find(([n]) => n === name)?.[1];
  const to = header('to') ?? '';
  if (to.includes(',') || addressOf(to) !== expected.recipient.toLowerCase()) {
    problems.push(`headers: To is ${JSON.stringify(to)}, expected only ${expected.recipient}`);
  }
  if (email.to.length !== 1 || email.to[0]?.toLowerCase() !== expected.recipient.toLowerCase()) {
    problems.push(`headers: parsed recipients ${JSON.stringify(email.to)}`);
  }
  if (/[\r\n]/.test(email.subject)) problems.push('headers: CR/LF in the subject');
  if (email.subject.trim() === '') problems.push('headers: empty subject');
  if (header('x-herald-release') !== expected.versionId) {
    problems.push(`headers: X-Herald-Release is ${JSON.stringify(header('x-herald-release'))}`);
  }
  if (expected.source && header('x-herald-draft-source') !== expected.source) {
    problems.push(
      `headers: draft source ${JSON.stringify(header('x-herald-draft-source'))}, expected ${expected.source}`,
    );
  }

  const html = email.html ?? '';
  const text = email.text ?? '';
  if (!html) problems.push('html: no HTML part');
  if (!text.trim()) problems.push('text: no text part');
  const tokens = tokenizeHtml(html);
  auditTags(tokens, problems);

  let unsubscribeLink: string | undefined;
  let unsubscribeLinks = 0;
  for (const token of tokens) {
    if (token.type !== 'tag' || token.name !== 'a' || token.closing) continue;
    const href = token.attributes.find((a) => a.name === 'href')?.value;
    if (href === undefined) {
      problems.push('html: <a> without href');
      continue;
    }
    if (href.startsWith(browse)) {
      const key = href.slice(browse.length);
      if (!expected.releaseKeys.has(key))
        problems.push(`html: link to ${JSON.stringify(key)}, not an issue of the release`);
      linkedKeys.push(key);
      continue;
    }
    if (href.startsWith(`${expected.unsubscribeUrl}?`)) {
      const params = new URL(href).searchParams;
      // Opaque: the token only, never the address in clear; it opens to this project and recipient.
      const token = params.get('t') ?? '';
      if ([...params.keys()].join() !== 't' || !token) {
        problems.push(`html: unsubscribe link with parameters ${[...params.keys()].join(', ')}`);
      }
      if (href.toLowerCase().includes(expected.recipient.toLowerCase().split('@')[0] ?? '')) {
        problems.push('html: unsubscribe link shows the address');
      }
      const subject = expected.signingKeys ? openUnsubscribeToken(expected.signingKeys, token) : undefined;
      if (
        expected.signingKeys &&
        (subject?.projectKey !== expected.projectKey || subject.email !== expected.recipient.toLowerCase())
      ) {
        problems.push(
          `html: unsubscribe token does not open to project ${expected.projectKey} and the recipient`,
        );
      }
      unsubscribeLink = href;
      unsubscribeLinks++;
      continue;
    }
    problems.push(`html: foreign link ${JSON.stringify(href.slice(0, 100))}`);
  }
  if (unsubscribeLinks !== 1) problems.push(`html: ${unsubscribeLinks} unsubscribe links`);
  if (unsubscribeLink && header('list-unsubscribe') !== `<${unsubscribeLink}>`) {
    problems.push('headers: List-Unsubscribe is not the unsubscribe link of the body');
  }
  if (header('list-unsubscribe-post') !== 'List-Unsubscribe=One-Click') {
    problems.push('headers: List-Unsubscribe-Post missing');
  }

  const shown = visibleText(tokens);
  if (html.includes('{{')) problems.push('html: placeholder residue {{');
  if (text.includes('{{')) problems.push('text: placeholder residue {{');
  for (const hostile of expected.hostile ?? []) {
    if (MARKUP.test(hostile) && html.includes(hostile)) {
      problems.push(`html: hostile ${JSON.stringify(hostile.slice(0, 60))} written as is`);
    }
  }
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  for (const wanted of expected.visible ?? []) {
    if (!flat(shown).includes(flat(wanted)))
      problems.push(`html: ${JSON.stringify(wanted.slice(0, 60))} not shown as text`);
  }
  for (const unwanted of expected.invisible ?? []) {
    for (const [part, content] of [
      ['html', html],
      ['shown html', shown],
      ['text', text],
      ['subject', email.subject],
    ] as const) {
      if (content.includes(unwanted))
        problems.push(`${part}: contains ${JSON.stringify(unwanted.slice(0, 60))}`);
    }
  }
  return { problems, linkedKeys };
};

/**
 * Throws an Error listing every problem {@link auditEmail} finds; returns the audit when none.
 */
export const assertSafeEmail = (email: OutboxEmail, expected: SafeEmailExpectation): EmailAudit => {
  const audit = auditEmail(email, expected);
  if (audit.problems.length > 0) {
    throw new Error(
      `unsafe email ${JSON.stringify(email.subject.slice(0, 80))} to ${expected.recipient}:\n- ${audit.problems.join('\n- ')}`,
    );
  }
  return audit;
};
