import type { ApprovalRecord } from '#contracts/approval';
import { DRAFT_PLACEHOLDERS, type EmailDraft } from '#contracts/emailDraft';
import { escapeHtml } from '#stages/shared/escapeHtml';
import type { LeftOutIssue } from '../releaseScope.ts';

/** One audience × locale draft of the revision under review. */
export interface ReviewedDraft {
  audience: string;
  locale: string;
  /** Contacts who would receive it. */
  recipients: number;
  draft: EmailDraft;
}

/** What an audience hears about and what it does not, for the reviewer. */
export interface ReviewedScope {
  audience: string;
  inScope: string[];
  leftOut: LeftOutIssue[];
}

/** What {@link renderReviewEmail} renders. */
export interface ReviewEmailInput {
  record: ApprovalRecord;
  projectName: string;
  versionName: string;
  drafts: readonly ReviewedDraft[];
  scopes: readonly ReviewedScope[];
  approveUrl: string;
  holdUrl: string;
  /**
   * When the links stop working, ISO 8601 UTC: the send time (`record.dueAt`), or later for a
   * revision written at the send time (its `waitUntil`), shown then as the wait's end.
   */
  expiresAt: string;
  /** What happens with no decision (the policy's `onTimeout`). */
  onTimeout: 'send' | 'hold';
  /** Drafts shown in full; the rest are summarised (subject and text). Default 1. */
  fullDrafts?: number;
}

/** A rendered review email. */
export interface RenderedReview {
  subject: string;
  html: string;
  text: string;
}

const MUTED = 'color:#5e6c84;';
const BUTTON =
  'display:inline-block;padding:10px 18px;border-radius:4px;color:#ffffff;text-decoration:none;font-weight:bold;';

/** `2026-03-08 09:00 UTC`. */
const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The inner content of a rendered client draft (the part inside `<body>`), placeholders filled for review. */
const draftBody = (html: string): string => {
  const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return inner
    .replaceAll(DRAFT_PLACEHOLDERS.name, '[recipient name]')
    .replaceAll(DRAFT_PLACEHOLDERS.unsubscribeUrl, '#unsubscribe');
};

const draftText = (text: string): string =>
  text
    .replaceAll(DRAFT_PLACEHOLDERS.name, '[recipient name]')
    .replaceAll(DRAFT_PLACEHOLDERS.unsubscribeUrl, '<unsubscribe link>');

/** The "what changed" line of a revision after the first. */
export const changeLine = (record: Pick<ApprovalRecord, 'revision' | 'changes'>): string | undefined => {
  if (record.revision === 1 || record.changes === undefined) return undefined;
  const { added, removed, editedBy } = record.changes;
  if (editedBy !== undefined) return `Edited by ${editedBy}.`;
  const parts = [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length > 0
    ? `The release changed since the previous review: ${parts.join('; ')}.`
    : 'The release changed since the previous review (its details or issue texts), not its issues.';
};

const leftOutText = (l: LeftOutIssue): string => `${l.key} (${l.reason}${l.detail ? `: ${l.detail}` : ''})`;

/** The facts block: project, version, point, send time, revision, change, outcome without decision. */
const factLines = (input: ReviewEmailInput): Array<[string, string]> => {
  const { record } = input;
  const change = changeLine(record);
  const held = record.state === 'held' ? record.heldFrom : undefined;
  return [
    ['Project', `${input.projectName} (${record.projectKey})`],
    ['Version', input.versionName],
    ['Send point', `${record.pointId}${record.releaseDate ? ` (release ${record.releaseDate})` : ''}`],
    ['Sends at', utc(record.dueAt)],
    // A revision written at or after the send time goes out once approved, waiting until then.
    ...(input.expiresAt !== record.dueAt
      ? ([
          ['Waiting for a decision until', `${utc(input.expiresAt)} (sent as soon as it is approved)`],
        ] as Array<[string, string]>)
      : []),
    ['Revision', String(record.revision)],
    ...(change ? ([['What changed', change]] as Array<[string, string]>) : []),
    ...(held
      ? ([
          [
            'Held',
            `held on revision ${held.revision} by ${held.by}: nothing is sent unless you approve this revision`,
          ],
        ] as Array<[string, string]>)
      : []),
    [
      'No decision by then',
      held
        ? 'it stays held (nothing sent)'
        : input.onTimeout === 'send'
          ? 'it is sent as it is'
          : 'it is held (nothing sent)',
    ],
  ];
};

/**
 * The review email an approver receives for one revision of a point: the facts (send time in
 * UTC, what changed since the previous revision), Approve and Hold links, every draft (the first
 * `fullDrafts` rendered in full, the others by subject and text), and per audience the issues in
 * scope and those left out with the reason. Every value from Jira or the model is escaped.
 */
export const renderReviewEmail = (input: ReviewEmailInput): RenderedReview => {
  const full = input.fullDrafts ?? 1;
  const subject = `Review: ${input.versionName} (${input.record.projectKey}) sends ${utc(input.record.dueAt)}${
    input.record.revision > 1 ? ` [revision ${input.record.revision}]` : ''
  }`;
  const facts = factLines(input);
  const label = (d: ReviewedDraft) => `${d.audience} · ${d.locale} · ${d.recipients} recipient(s)`;
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="margin:0;padding:0;background:#f4f5f7;">',
    '<div style="max-width:680px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#172b4d;">',
    `<h1 style="margin:0 0 16px;font-size:20px;">${escapeHtml(`Review before send: ${input.versionName}`)}</h1>`,
    '<table style="border-collapse:collapse;margin:0 0 16px;">',
    ...facts.map(
      ([k, v]) =>
        `<tr><th style="text-align:left;padding:2px 12px 2px 0;${MUTED}">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    ),
    '</table>',
    '<p style="margin:0 0 24px;">',
    `<a href="${escapeHtml(input.approveUrl)}" style="${BUTTON}background:#1f845a;">Approve</a> `,
    `<a href="${escapeHtml(input.holdUrl)}" style="${BUTTON}background:#c9372c;">Hold</a>`,
    '</p>',
    `<p style="margin:0 0 24px;font-size:12px;${MUTED}">Each link opens a confirmation page; nothing changes until you confirm there.</p>`,
    ...input.drafts.map((d, i) =>
      i < full
        ? `<h2 style="font-size:16px;">${escapeHtml(label(d))}: ${escapeHtml(d.draft.subject)}</h2><div style="border:1px solid #dfe1e6;">${draftBody(d.draft.html)}</div>`
        : `<h2 style="font-size:16px;">${escapeHtml(label(d))}: ${escapeHtml(d.draft.subject)}</h2><pre style="white-space:pre-wrap;font-size:13px;">${escapeHtml(draftText(d.draft.text))}</pre>`,
    ),
    '<h2 style="font-size:16px;">Issues</h2>',
    ...input.scopes.map(
      (s) =>
        `<p><strong>${escapeHtml(s.audience)}</strong>: in scope ${escapeHtml(s.inScope.join(', ') || 'none')}; left out ${escapeHtml(
          s.leftOut.map(leftOutText).join(', ') || 'none',
        )}</p>`,
    ),
    '</div></body></html>',
  ].join('\n');
  const text = [
    `Review before send: ${input.versionName}`,
    facts.map(([k, v]) => `${k}: ${v}`).join('\n'),
    `Approve: ${input.approveUrl}\nHold: ${input.holdUrl}\n(each link opens a confirmation page)`,
    ...input.drafts.map((d) => `== ${label(d)}: ${d.draft.subject} ==\n${draftText(d.draft.text)}`),
    [
      'Issues:',
      ...input.scopes.map(
        (s) =>
          `${s.audience}: in scope ${s.inScope.join(', ') || 'none'}; left out ${s.leftOut.map(leftOutText).join(', ') || 'none'}`,
      ),
    ].join('\n'),
  ].join('\n\n');
  return { subject, html, text: `${text}\n` };
};
