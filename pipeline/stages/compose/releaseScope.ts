import { type JiraIssue, JiraRequestError, type ReleaseIssues } from '#adapters/jira/JiraPort';
import { type Audience, DEFAULT_AUDIENCE, DEFAULT_ISSUE_SCOPE, EXCLUDED_LABELS } from '#contracts/issueScope';
import type { SendPolicy } from '#contracts/sendPolicy';
import { ScopeRejectedError } from './ScopeRejectedError.ts';

/** Why an issue of the release is not in an audience's emails. */
export const LEFT_OUT_REASONS = {
  /** The issue has a Jira security level (an undisclosed fix). */
  securityLevel: 'security_level',
  /** The issue carries a label the scope leaves out (`internal`, `no-release-notes`). */
  label: 'label',
  /** The project's scope leaves it out for another reason (type, status, component…). */
  projectScope: 'project_scope',
  /** The project scope keeps it, the audience's own scope does not. */
  audienceScope: 'audience_scope',
} as const;

/** A left-out reason. */
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[keyof typeof LEFT_OUT_REASONS];

/** An issue of the release an audience does not hear about, and why. */
export interface LeftOutIssue {
  key: string;
  reason: LeftOutReason;
  /** The security level, the label, or the audience, per `reason`. */
  detail?: string | undefined;
}

/** What one audience may hear about a release. */
export interface AudienceScope {
  audience: Audience;
  /** The issues its emails may mention (and cite), in key order. */
  inScope: JiraIssue[];
  /** Every other issue of the release, with its reason. */
  leftOut: LeftOutIssue[];
  /** True when Jira holds more in-scope issues than were read. */
  truncated: boolean;
}

/**
 * Reads issues of the release: `conditions` are ANDed with the fixVersion (project scope, then
 * audience scope); the caller adds retries, the attempt signal and the release-note field.
 */
export type ReadReleaseIssues = (conditions: readonly string[]) => Promise<ReleaseIssues>;

/** The project scope in force: the policy's, else {@link DEFAULT_ISSUE_SCOPE}. */
export const projectScopeOf = (policy: Pick<SendPolicy, 'scope'>): string =>
  policy.scope ?? DEFAULT_ISSUE_SCOPE;

/** The audience `name` of the policy; `all` is implicit (project scope, no instructions). */
export const audienceOf = (policy: Pick<SendPolicy, 'audiences'>, name: string): Audience | undefined =>
  policy.audiences?.find((a) => a.name === name) ?? (name === DEFAULT_AUDIENCE ? { name } : undefined);

/** Why `issue` is out of the project scope, from what it carries. */
const projectReason = (issue: JiraIssue): Omit<LeftOutIssue, 'key'> => {
  if (issue.securityLevel !== undefined)
    return { reason: LEFT_OUT_REASONS.securityLevel, detail: issue.securityLevel };
  const label = issue.labels?.find((l) => EXCLUDED_LABELS.includes(l.toLowerCase()));
  if (label !== undefined) return { reason: LEFT_OUT_REASONS.label, detail: label };
  return { reason: LEFT_OUT_REASONS.projectScope };
};

/** The left-out issues of an audience: every release issue not in scope, with its reason. */
export const leftOutIssues = (
  release: readonly JiraIssue[],
  projectKeys: ReadonlySet<string>,
  audienceKeys: ReadonlySet<string>,
  audience: string,
): LeftOutIssue[] =>
  release
    .filter((issue) => !audienceKeys.has(issue.key))
    .map((issue) =>
      projectKeys.has(issue.key)
        ? { key: issue.key, reason: LEFT_OUT_REASONS.audienceScope, detail: audience }
        : { key: issue.key, ...projectReason(issue) },
    );

/** Options of {@link ReleaseScope}. */
export interface ReleaseScopeOptions {
  projectKey: string;
  policy: SendPolicy;
  read: ReadReleaseIssues;
}

/**
 * The scope of each audience of one release, read from Jira at most once per search: the whole
 * release (for the left-out list), the project scope, and each audience's scope ANDed with it.
 * Jira evaluates the JQL; the reasons come from the issues' own fields.
 */
export class ReleaseScope {
  readonly #options: ReleaseScopeOptions;
  readonly #reads = new Map<string, Promise<ReleaseIssues>>();

  constructor(options: ReleaseScopeOptions) {
    this.#options = options;
  }

  /**
   * The scope of `audience` (a name the policy defines, or `all`).
   * @throws ScopeRejectedError naming the project and the policy field when Jira answers 400.
   */
  async of(audience: Audience): Promise<AudienceScope> {
    const { policy } = this.#options;
    const project = projectScopeOf(policy);
    // The unscoped read first: a 400 on it can only be the release-note field, so it is blamed
    // before the scoped reads (which ask for the same field) can be.
    const release = await this.#read([], 'releaseNoteField');
    const [inProject, inAudience] = await Promise.all([
      this.#read([project], 'scope'),
      audience.scope ? this.#read([project, audience.scope], `audiences.${audience.name}.scope`) : undefined,
    ]);
    const scoped = inAudience ?? inProject;
    const keysOf = (issues: readonly JiraIssue[]) => new Set(issues.map((i) => i.key));
    return {
      audience,
      inScope: scoped.issues,
      leftOut: leftOutIssues(release.issues, keysOf(inProject.issues), keysOf(scoped.issues), audience.name),
      truncated: scoped.truncated,
    };
  }

  #read(conditions: string[], field: string): Promise<ReleaseIssues> {
    const key = conditions.join('\n');
    let read = this.#reads.get(key);
    if (!read) {
      read = this.#options.read(conditions).catch((err: unknown) => {
        throw this.#rejected(err, field, conditions.at(-1));
      });
      this.#reads.set(key, read);
    }
    return read;
  }

  /** A 400 on a search is the policy's fault: name the project and the field. */
  #rejected(err: unknown, field: string, condition: string | undefined): unknown {
    if (!(err instanceof JiraRequestError) || err.status !== 400) return err;
    const { projectKey, policy } = this.#options;
    // The unscoped search fails only for what it adds to the fields: the release-note field.
    if (field === 'releaseNoteField' && policy.releaseNoteField === undefined) return err;
    const what =
      field === 'releaseNoteField'
        ? `releaseNoteField ${policy.releaseNoteField}`
        : `${field} ${JSON.stringify(condition ?? '')}`;
    return new ScopeRejectedError(
      projectKey,
      field,
      `project ${projectKey}: Jira rejected the policy's ${what}: ${err.message}. Fix it with herald policy set ${projectKey}, then herald dlq redrive compose.`,
      { cause: err },
    );
  }
}
