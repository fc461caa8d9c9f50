import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';
import { FakeJira } from '#test/factories/FakeJira';

// Billing 2.4 (project BILL, version 10042, due 2026-12-15 in Europe/Berlin): the release the
// compose, send and drafts tests share.

/** The point every Billing job is about: one day before the release, 09:00 in Berlin. */
export const billingPoint = {
  versionId: '10042',
  projectKey: 'BILL',
  pointId: 'b1d0h0m0900',
  pointKind: 'before',
  releaseDate: '2026-12-15',
  timeZone: 'Europe/Berlin',
  dueAt: '2026-12-14T08:00:00.000Z',
} as const satisfies Partial<ComposeJob>;

/** A compose.job payload for {@link billingPoint}: one chunk, one English recipient. */
export const composeJob = (overrides: Partial<ComposeJob> = {}): ComposeJob => ({
  ...billingPoint,
  chunk: { index: 0, count: 1 },
  recipients: [{ email: 'ada@example.com', name: 'Ada', locale: 'en' }],
  ...overrides,
});

/** The version `composeJob()` was planned from. */
export const activeVersion = (overrides: Partial<VersionState> = {}): VersionState => ({
  id: '10042',
  name: 'Billing 2.4',
  description: 'Invoices and exports',
  releaseDate: '2026-12-15',
  released: false,
  archived: false,
  ...overrides,
});

/** Issues BILL-1..BILL-n, alternating Bug and Story. */
export const issues = (count: number): JiraIssue[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `BILL-${i + 1}`,
    summary: `Change number ${i + 1}`,
    issueType: i % 2 === 0 ? 'Bug' : 'Story',
    status: 'Done',
  }));

/**
 * The Jira `composeJob()` reads: project BILL (Billing, id 10000) on acme.example.net, with
 * `activeVersion()` as `versionId` (default 10042) and its `issues(3)`.
 */
export const billingJira = (versionId = '10042'): FakeJira => {
  const jira = new FakeJira({ siteUrl: 'https://acme.example.net' });
  jira.projects.set('10000', { id: '10000', key: 'BILL', name: 'Billing' });
  jira.versions.set(versionId, activeVersion({ id: versionId }));
  jira.issues.set(versionId, issues(3));
  return jira;
};
