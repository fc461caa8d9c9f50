import type { ApprovalDecision } from '#contracts/approval';
import { escapeHtml, htmlPage } from './htmlPage.ts';

/** One audience × locale of the point, as the confirmation page lists it. */
export interface ReviewDraftLine {
  audience: string;
  locale: string;
  /** Contacts of the group. */
  recipients: number;
  /** The draft's subject; undefined when the group has no draft (nothing in its scope: nothing is sent to it). */
  subject?: string | undefined;
}

/** What a review page says about the release point. */
export interface ReviewSubject {
  projectKey: string;
  /** Jira project name, when the record carries it. */
  projectName?: string | undefined;
  versionId: string;
  /** Jira version name, when the record carries it. */
  versionName?: string | undefined;
  pointId: string;
  releaseDate?: string | undefined;
  /** The point's send time, ISO 8601 UTC. */
  dueAt: string;
  revision: number;
}

/** What the confirmation page shows and what its form posts. */
export interface ReviewConfirmation extends ReviewSubject {
  decision: ApprovalDecision;
  /** The approver the link was made for. */
  approver: string;
  drafts: ReviewDraftLine[];
  /** Issue keys added and removed since the previous revision, or who edited it. */
  changes?: { added: string[]; removed: string[]; editedBy?: string | undefined } | undefined;
  /** The form's action (`/review`) and the token it posts back as field `t`. */
  action: string;
  token: string;
}

/** `2026-03-07 09:00 UTC` from an ISO instant. */
export const formatUtc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const VERB = { approve: 'Approve', hold: 'Hold' } as const satisfies Record<ApprovalDecision, string>;

const described = (name: string | undefined, id: string): string =>
  name ? `${escapeHtml(name)} (${escapeHtml(id)})` : escapeHtml(id);

/** The release point as a definition list (every value escaped). */
const pointFacts = (s: ReviewSubject): string =>
  [
    '<dl>',
    `<dt>Project</dt><dd>${described(s.projectName, s.projectKey)}</dd>`,
    `<dt>Version</dt><dd>${described(s.versionName, s.versionId)}${s.releaseDate ? `, release date ${escapeHtml(s.releaseDate)}` : ''}</dd>`,
    `<dt>Send point</dt><dd>${escapeHtml(s.pointId)}</dd>`,
    `<dt>Send time</dt><dd>${escapeHtml(formatUtc(s.dueAt))}</dd>`,
    `<dt>Draft revision</dt><dd>${s.revision}</dd>`,
    '</dl>',
  ].join('\n');

const draftTable = (drafts: readonly ReviewDraftLine[]): string =>
  [
    '<table>',
    '<thead><tr><th>Audience</th><th>Locale</th><th>Recipients</th><th>Subject</th></tr></thead>',
    '<tbody>',
    ...drafts.map(
      (d) =>
        `<tr><td>${escapeHtml(d.audience)}</td><td>${escapeHtml(d.locale)}</td><td>${d.recipients}</td><td>${
          d.subject === undefined
            ? '<em>no draft: nothing in scope, nothing sent</em>'
            : escapeHtml(d.subject)
        }</td></tr>`,
    ),
    '</tbody>',
    '</table>',
  ].join('\n');

const changeLine = (changes: ReviewConfirmation['changes']): string => {
  if (changes === undefined) return '';
  const parts = [
    changes.added.length > 0 ? `added ${changes.added.map(escapeHtml).join(', ')}` : '',
    changes.removed.length > 0 ? `removed ${changes.removed.map(escapeHtml).join(', ')}` : '',
    changes.editedBy ? `edited by ${escapeHtml(changes.editedBy)}` : '',
  ].filter((p) => p.length > 0);
  return parts.length > 0 ? `<p>Changed since the previous revision: ${parts.join('; ')}.</p>` : '';
};

/**
 * The page a GET of an Approve or Hold link shows. Mail scanners follow GETs, so a GET never
 * decides: it says exactly what will be approved or held (the point, its send time, every
 * audience × locale draft's subject) and shows a form that POSTs the token back. No script.
 */
export const renderReviewConfirmation = (c: ReviewConfirmation): string => {
  const verb = VERB[c.decision];
  const outcome =
    c.decision === 'approve'
      ? `Approving sends these emails at ${escapeHtml(formatUtc(c.dueAt))}.`
      : 'Holding sends nothing at the send time, unless someone approves this draft before then.';
  return htmlPage(
    `${verb} release emails`,
    [
      `<h1>${verb} the release emails?</h1>`,
      `<p>You (<strong>${escapeHtml(c.approver)}</strong>) are about to <strong>${c.decision}</strong> revision ${c.revision} of these drafts. ${outcome}</p>`,
      pointFacts(c),
      changeLine(c.changes),
      draftTable(c.drafts),
      `<form method="post" action="${escapeHtml(c.action)}">`,
      `<input type="hidden" name="t" value="${escapeHtml(c.token)}">`,
      `<p><button type="submit">${verb} revision ${c.revision}</button></p>`,
      '</form>',
    ].join('\n'),
    { widthRem: 44 },
  );
};

/** The page after a decision was recorded. */
export const renderReviewDecided = (s: ReviewSubject & { decision: ApprovalDecision }): string => {
  const [title, text] =
    s.decision === 'approve'
      ? ['Approved', `The release emails will be sent at ${escapeHtml(formatUtc(s.dueAt))}.`]
      : ['Held', 'Nothing will be sent at the send time unless someone approves this draft before then.'];
  return htmlPage(
    title,
    [
      `<h1>${title}</h1>`,
      `<p>Revision ${s.revision} is ${title.toLowerCase()}. ${text}</p>`,
      pointFacts(s),
    ].join('\n'),
    { widthRem: 44 },
  );
};

/** A page that refuses a review link: a title and one sentence (escaped here). */
export const renderReviewRefusal = (title: string, message: string): string =>
  htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
