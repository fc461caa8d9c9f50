import type { VersionState } from '#contracts/releaseSnapshot';

/** A Jira project as the pipeline needs it. */
export interface JiraProject {
  id: string;
  key: string;
  name: string;
}

/** An issue of a release, reduced to what the email may mention. All text is untrusted. */
export interface JiraIssue {
  key: string;
  summary: string;
  /** Issue type name, e.g. Bug, Story. */
  issueType?: string | undefined;
  /** Status name, e.g. Done. */
  status?: string | undefined;
  /** Plain text of the description (ADF flattened), truncated. */
  description?: string | undefined;
  /** Text of the project's release-note field, when it has one (plain text, untrusted). */
  releaseNote?: string | undefined;
}

/** Per-call options of every {@link JiraPort} method. */
export interface JiraCallOptions {
  /**
   * Aborts the call's HTTP requests (e.g. `withRetry`'s attempt deadline); an aborted call
   * rejects with a retryable error. Default none: only the adapter's own timeout applies.
   */
  signal?: AbortSignal | undefined;
}

/** Options of {@link JiraPort.listReleaseIssues}. */
export interface ListReleaseIssuesOptions extends JiraCallOptions {
  /** Stop after this many issues (the email cannot mention more). Default 500. */
  maxIssues?: number;
}

/** The issues of a release. */
export interface ReleaseIssues {
  issues: JiraIssue[];
  /** True when more issues exist than were read. */
  truncated: boolean;
}

/** Reads Jira Cloud. Implementations translate HTTP failures into Retryable/Permanent errors. */
export interface JiraPort {
  /** Base URL of the Jira site (`https://acme.atlassian.net`), for issue links. */
  readonly siteUrl: string;
  /** The version as Jira has it now; null when Jira answers 404 (deleted). */
  getVersion(versionId: string, options?: JiraCallOptions): Promise<VersionState | null>;
  /** A project by id or key. */
  getProject(projectIdOrKey: string, options?: JiraCallOptions): Promise<JiraProject>;
  /** Issues whose fixVersion is the version, paged by nextPageToken; `signal` covers every page. */
  listReleaseIssues(versionId: string, options?: ListReleaseIssuesOptions): Promise<ReleaseIssues>;
}
