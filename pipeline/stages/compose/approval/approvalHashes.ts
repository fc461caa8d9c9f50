import { createHash } from 'node:crypto';
import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { EmailDraft } from '#contracts/emailDraft';
import type { VersionState } from '#contracts/releaseSnapshot';

const sha256 = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * The content hash of a revision: SHA-256 (hex) over its drafts sorted by key, each as key,
 * subject, HTML and text. Approve and Hold links are bound to it: any change to what a recipient
 * would read makes a new hash, and links for the old one stop working.
 */
export const draftContentHash = (
  drafts: Iterable<Pick<EmailDraft, 'key' | 'subject' | 'html' | 'text'>>,
): string =>
  sha256(
    [...drafts]
      .map((d) => [d.key, d.subject, d.html, d.text])
      .sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0)),
  );

/** The in-scope issues of one audience, as the drafts are written from them. */
export interface AudienceInput {
  audience: string;
  issues: ReadonlyArray<Pick<JiraIssue, 'key' | 'summary' | 'releaseNote'>>;
}

/**
 * The input hash of a point: SHA-256 (hex) over what its drafts are written from: the version's
 * name, description and release date, and per audience (sorted by name) its in-scope issues'
 * keys, summaries and release notes (sorted by key). Equal hashes mean the drafts need not be
 * written again; a changed one makes a new revision.
 */
export const approvalInputHash = (
  version: Pick<VersionState, 'name' | 'description' | 'releaseDate'>,
  audiences: readonly AudienceInput[],
): string =>
  sha256({
    version: [version.name, version.description ?? null, version.releaseDate ?? null],
    audiences: [...audiences]
      .sort((a, b) => (a.audience < b.audience ? -1 : a.audience > b.audience ? 1 : 0))
      .map((a) => [
        a.audience,
        [...a.issues]
          .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
          .map((i) => [i.key, i.summary, i.releaseNote ?? null]),
      ]),
  });

/** Issue keys added to and removed from the scope since the previous revision, each sorted. */
export const scopeChanges = (
  previous: readonly string[],
  current: readonly string[],
): { added: string[]; removed: string[] } => {
  const before = new Set(previous);
  const after = new Set(current);
  return {
    added: [...after].filter((k) => !before.has(k)).sort(),
    removed: [...before].filter((k) => !after.has(k)).sort(),
  };
};
