import type { VersionState } from '#contracts/releaseSnapshot';

// The errors a JiraPort caller may handle (by class, never by name or message).
export {
  isJiraError,
  JIRA_PERMANENT_REASONS,
  type JiraError,
  JiraRequestError,
  JiraResponseError,
  JiraUnavailableError,
} from './errors.ts';

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
  /** Labels, as Jira spells them. */
  labels?: string[] | undefined;
  /** Component names (the product areas the issue touches). */
  components?: string[] | undefined;
  /** Name of the issue's security level (JQL `level`); set means restricted, never for clients. */
  securityLevel?: string | undefined;
  /** Summary of the parent epic, when the issue has one. */
  epic?: string | undefined;
  /** The customer-facing release note (the policy's `releaseNoteField`), plain text, truncated. */
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
  /**
   * JQL conditions ANDed, each in parentheses, with `fixVersion = "<id>"` (see `releaseJql`):
   * the project scope, then an audience's. Default none: every issue of the release.
   */
  scope?: ReadonlyArray<string | undefined> | undefined;
  /** Custom field read as {@link JiraIssue.releaseNote} (`customfield_10123`). Default none. */
  releaseNoteField?: string | undefined;
}

/** Jira's verdict on one JQL text (`POST /rest/api/3/jql/parse`, strict validation). */
export interface JqlCheck {
  query: string;
  /** Jira's own messages (with the position for syntax errors); empty when the JQL is valid. */
  errors: string[];
}

/** Validates JQL with Jira before a team's scope is stored. */
export interface JqlValidator {
  /** One {@link JqlCheck} per query, in order. */
  checkJql(queries: readonly string[], options?: JiraCallOptions): Promise<JqlCheck[]>;
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
