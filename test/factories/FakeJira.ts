import type {
  JiraIssue,
  JiraPort,
  JiraProject,
  ListReleaseIssuesOptions,
  ReleaseIssues,
} from '#adapters/jira/JiraPort';
import type { VersionState } from '#contracts/releaseSnapshot';
import type { VersionRecord } from '#ops/jira/readVersionRecord';
import { PermanentError } from '#shared/errors';
import { filterByJql } from '#test/standins/jql';

/** Options of {@link FakeJira}. */
export interface FakeJiraOptions {
  /** The site the issue links point at. Default `https://jira.example.com`. */
  siteUrl?: string;
}

/**
 * The one in-memory Jira of the stage and ops tests: versions by id (absent = 404), projects by id
 * (found by key too; one `SHOP` project to start with), issues per version.
 */
export class FakeJira implements JiraPort {
  readonly siteUrl: string;
  /** Versions by id; a `projectId` is kept for {@link FakeJira.readVersion} only. */
  readonly versions = new Map<string, VersionState | VersionRecord>();
  readonly projects = new Map<string, JiraProject>([
    ['10000', { id: '10000', key: 'SHOP', name: 'Example Shop' }],
  ]);
  /** Issues of each version. */
  readonly issues = new Map<string, JiraIssue[]>();
  /** Versions whose issue list Jira cut at the maximum (`truncated: true`). */
  readonly truncated = new Set<string>();
  /** Every call, `getVersion:<id>`, `getProject:<idOrKey>` or `listReleaseIssues:<id>`. */
  readonly calls: string[] = [];
  /** The options of each `listReleaseIssues` call. */
  readonly listOptions: Array<ListReleaseIssuesOptions | undefined> = [];

  constructor(options: FakeJiraOptions = {}) {
    this.siteUrl = options.siteUrl ?? 'https://jira.example.com';
  }

  async getVersion(versionId: string): Promise<VersionState | null> {
    this.calls.push(`getVersion:${versionId}`);
    const record = this.versions.get(versionId);
    if (!record) return null;
    const { projectId: _, ...version } = record as VersionRecord;
    return version;
  }

  async getProject(projectIdOrKey: string): Promise<JiraProject> {
    this.calls.push(`getProject:${projectIdOrKey}`);
    const project =
      this.projects.get(projectIdOrKey) ?? [...this.projects.values()].find((p) => p.key === projectIdOrKey);
    if (!project) throw new PermanentError('jira_not_found', `project ${projectIdOrKey} not found`);
    return project;
  }

  /** The version's issues matching every `scope` condition (the stand-in's JQL engine). */
  async listReleaseIssues(versionId: string, options?: ListReleaseIssuesOptions): Promise<ReleaseIssues> {
    this.calls.push(`listReleaseIssues:${versionId}`);
    this.listOptions.push(options);
    return {
      issues: filterByJql(this.issues.get(versionId) ?? [], versionId, options?.scope),
      truncated: this.truncated.has(versionId),
    };
  }

  /** A `ReadVersion` (ops) over the same versions, `projectId` included. */
  readonly readVersion = async (versionId: string): Promise<VersionRecord | null> =>
    (this.versions.get(versionId) as VersionRecord | undefined) ?? null;
}
