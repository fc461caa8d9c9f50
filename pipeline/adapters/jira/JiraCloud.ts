import { getProject, getVersion, parseJqlQueries, searchAndReconsileIssuesUsingJqlPost } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import type * as z from 'zod';
import { issueKey } from '#contracts/emailDraft';
import { describeIssues } from '#contracts/errors';
import { type VersionState, versionState } from '#contracts/releaseSnapshot';
import type { Log } from '#shared/logger';
import { singleLine, truncate } from '#shared/text';
import { withSpan } from '#shared/tracing';
import { adfToText } from './adfToText.ts';
import { type JiraErrorContext, JiraRequestError, JiraResponseError } from './errors.ts';
import { issueExtras } from './issueExtras.ts';
import type {
  JiraCallOptions,
  JiraIssue,
  JiraPort,
  JiraProject,
  JqlCheck,
  JqlValidator,
  ListReleaseIssuesOptions,
  ReleaseIssues,
} from './JiraPort.ts';
import {
  jiraJqlParseResponse,
  jiraProjectResponse,
  jiraSearchIssue,
  jiraSearchResponse,
  jiraVersionResponse,
} from './jiraResponses.ts';
import { createJiraTransport, DEFAULT_JIRA_TIMEOUT_MS, withAbortSignal } from './jiraTransport.ts';
import { releaseJql } from './releaseJql.ts';
import { translateJiraError } from './translateJiraError.ts';

/** Text limits applied to what Jira returns (characters). */
export const JIRA_TEXT_LIMITS = {
  /** Issue summary (Jira's own limit is 255). */
  summary: 300,
  /** Flattened issue description. */
  description: 500,
  /** Issue type and status names. */
  name: 100,
  /** Version name (Jira's own limit is 255). */
  versionName: 255,
  /** Version description (Jira allows 16 KiB). */
  versionDescription: 2000,
} as const;

/** Default {@link ListReleaseIssuesOptions.maxIssues}. */
export const DEFAULT_MAX_ISSUES = 500;

/** Default and largest page asked of `search/jql` when fields are requested (Jira Cloud caps it at 100). */
export const DEFAULT_JIRA_PAGE_SIZE = 100;

/** The issue fields read: everything an email may mention, nothing more. */
export const JIRA_ISSUE_FIELDS = [
  'summary',
  'issuetype',
  'status',
  'description',
  'labels',
  'components',
  'security',
  'parent',
] as const;

/** Options of {@link JiraCloud}. */
export interface JiraCloudOptions {
  /** Jira site, `https://acme.atlassian.net`; http is accepted (loopback stand-ins). */
  siteUrl: string;
  /** Account email for basic auth. */
  email: string;
  /** API token for basic auth. Never logged. */
  apiToken: string;
  /**
   * Per-request timeout, milliseconds. Default 20000. A call's `signal` (its attempt deadline)
   * can only shorten it.
   */
  timeoutMs?: number;
  /** Issues asked per search page, 1..100. Default 100. */
  pageSize?: number;
  /**
   * Most search pages read per listing, whatever the server says (guards against a server that
   * never ends). Default `max(10, ceil(maxIssues / 10))`, i.e. pages of 10 issues on average.
   */
  maxPages?: number;
  /**
   * jira.js transport; default {@link createJiraTransport} with the options above. A call's
   * `signal` reaches it as `JiraTransportRequest.signal`.
   */
  client?: Client;
  /** Logger for skipped issues and cut listings; default none. */
  logger?: Pick<Log, 'warn' | 'debug'>;
}

const VERSION_ID = /^\d{1,18}$/;
const PROJECT_ID_OR_KEY = /^(\d{1,18}|[A-Z][A-Z0-9_]{0,254})$/;

/** `name` of a Jira `{ name }` object (issuetype, status), tidied, or undefined. */
const nameOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { name?: unknown }).name;
  if (typeof name !== 'string') return undefined;
  const text = singleLine(name);
  return text ? truncate(text, JIRA_TEXT_LIMITS.name) : undefined;
};

/**
 * {@link JiraPort} on Jira Cloud's REST API v3 through jira.js 6 (`projectVersions.getVersion`,
 * `projects.getProject`, `issueSearch.searchAndReconsileIssuesUsingJqlPost`, imported as
 * tree-shakable functions from `jira.js/cloud`). Every answer is validated with tolerant zod
 * schemas and every text from Jira is tidied and cut to {@link JIRA_TEXT_LIMITS}. Failures are
 * translated in one place ({@link translateJiraError}).
 */
export class JiraCloud implements JiraPort, JqlValidator {
  readonly siteUrl: string;
  readonly #client: Client;
  readonly #pageSize: number;
  readonly #maxPages: number | undefined;
  readonly #logger: Pick<Log, 'warn' | 'debug'> | undefined;

  constructor(options: JiraCloudOptions) {
    this.siteUrl = options.siteUrl.replace(/\/+$/, '');
    this.#client =
      options.client ??
      createJiraTransport({
        siteUrl: this.siteUrl,
        email: options.email,
        apiToken: options.apiToken,
        timeoutMs: options.timeoutMs ?? DEFAULT_JIRA_TIMEOUT_MS,
      });
    this.#pageSize = Math.min(
      DEFAULT_JIRA_PAGE_SIZE,
      Math.max(1, Math.floor(options.pageSize ?? DEFAULT_JIRA_PAGE_SIZE)),
    );
    this.#maxPages = options.maxPages;
    this.#logger = options.logger;
  }

  async getVersion(versionId: string, options: JiraCallOptions = {}): Promise<VersionState | null> {
    const context: JiraErrorContext = {
      operation: 'getVersion',
      path: `/rest/api/3/version/${versionId}`,
      versionId,
    };
    this.#checkId(versionId, VERSION_ID, context);
    return withSpan(
      'jira.get_version',
      async () => {
        let raw: unknown;
        try {
          raw = await getVersion(withAbortSignal(this.#client, options.signal), { id: versionId });
        } catch (err) {
          const translated = translateJiraError(err, context);
          // 404 is how Jira says the version was deleted: an answer, not a failure.
          if (translated instanceof JiraRequestError && translated.status === 404) return null;
          throw translated;
        }
        const version = this.#parse(jiraVersionResponse, raw, context);
        return this.#parse(
          versionState,
          {
            id: version.id,
            name: truncate(singleLine(version.name), JIRA_TEXT_LIMITS.versionName),
            description: version.description
              ? truncate(version.description.trim(), JIRA_TEXT_LIMITS.versionDescription) || undefined
              : undefined,
            releaseDate: version.releaseDate,
            released: version.released ?? false,
            archived: version.archived ?? false,
          },
          context,
        );
      },
      { attributes: { 'jira.version_id': versionId } },
    );
  }

  async getProject(projectIdOrKey: string, options: JiraCallOptions = {}): Promise<JiraProject> {
    const context: JiraErrorContext = {
      operation: 'getProject',
      path: `/rest/api/3/project/${projectIdOrKey}`,
      projectIdOrKey,
    };
    this.#checkId(projectIdOrKey, PROJECT_ID_OR_KEY, context);
    return withSpan(
      'jira.get_project',
      async () => {
        const raw = await this.#call(context, () =>
          getProject(withAbortSignal(this.#client, options.signal), { projectIdOrKey }),
        );
        const project = this.#parse(jiraProjectResponse, raw, context);
        return {
          id: project.id,
          key: singleLine(project.key),
          name: truncate(singleLine(project.name), 255),
        };
      },
      { attributes: { 'jira.project': projectIdOrKey } },
    );
  }

  async listReleaseIssues(versionId: string, options: ListReleaseIssuesOptions = {}): Promise<ReleaseIssues> {
    const context: JiraErrorContext = {
      operation: 'listReleaseIssues',
      path: '/rest/api/3/search/jql',
      versionId,
    };
    this.#checkId(versionId, VERSION_ID, context);
    const maxIssues = Math.max(1, Math.floor(options.maxIssues ?? DEFAULT_MAX_ISSUES));
    const maxPages = this.#maxPages ?? Math.max(10, Math.ceil(maxIssues / 10));
    const client = withAbortSignal(this.#client, options.signal);
    const jql = releaseJql(versionId, options.scope);
    const releaseNoteField = options.releaseNoteField;
    const fields = [...JIRA_ISSUE_FIELDS, ...(releaseNoteField ? [releaseNoteField] : [])];
    return withSpan(
      'jira.list_release_issues',
      async (span) => {
        const issues: JiraIssue[] = [];
        const seen = new Set<string>();
        const tokens = new Set<string>();
        let nextPageToken: string | undefined;
        let pages = 0;
        let skipped = 0;
        for (;;) {
          if (pages >= maxPages) {
            this.#logger?.warn({ versionId, pages, issues: issues.length }, 'jira_page_cap_reached');
            return this.#done(span, issues, true, skipped);
          }
          pages++;
          const page = this.#parse(
            jiraSearchResponse,
            await this.#call(context, () =>
              searchAndReconsileIssuesUsingJqlPost(client, {
                jql,
                fields,
                // One more than still needed tells "exactly maxIssues" from "more than maxIssues".
                maxResults: Math.min(this.#pageSize, maxIssues - issues.length + 1),
                nextPageToken,
              }),
            ),
            context,
          );
          for (const raw of page.issues ?? []) {
            const issue = this.#toIssue(raw, releaseNoteField);
            if (!issue) {
              skipped++;
              continue;
            }
            if (seen.has(issue.key)) continue;
            if (issues.length === maxIssues) return this.#done(span, issues, true, skipped);
            seen.add(issue.key);
            issues.push(issue);
          }
          const more = page.nextPageToken !== undefined && page.isLast !== true;
          if (!more) return this.#done(span, issues, false, skipped);
          if (issues.length >= maxIssues) return this.#done(span, issues, true, skipped);
          if (tokens.has(page.nextPageToken as string)) {
            // The server sent a token it sent before: following it would loop forever.
            this.#logger?.warn({ versionId, pages, issues: issues.length }, 'jira_page_token_repeated');
            return this.#done(span, issues, true, skipped);
          }
          nextPageToken = page.nextPageToken as string;
          tokens.add(nextPageToken);
        }
      },
      { attributes: { 'jira.version_id': versionId, 'jira.max_issues': maxIssues } },
    );
  }

  #done(
    span: { setAttribute(key: string, value: number | boolean): unknown },
    issues: JiraIssue[],
    truncated: boolean,
    skipped: number,
  ): ReleaseIssues {
    span.setAttribute('jira.issue_count', issues.length);
    span.setAttribute('jira.truncated', truncated);
    if (skipped > 0) this.#logger?.warn({ skipped }, 'jira_issues_skipped');
    return { issues, truncated };
  }

  async checkJql(queries: readonly string[], options: JiraCallOptions = {}): Promise<JqlCheck[]> {
    const context: JiraErrorContext = { operation: 'checkJql', path: '/rest/api/3/jql/parse' };
    return withSpan('jira.check_jql', async () => {
      const raw = await this.#call(context, () =>
        parseJqlQueries(withAbortSignal(this.#client, options.signal), {
          queries: [...queries],
          validation: 'strict',
        }),
      );
      const parsed = this.#parse(jiraJqlParseResponse, raw, context);
      return queries.map((query, i) => ({ query, errors: parsed.queries[i]?.errors ?? [] }));
    });
  }

  /** One search result as a {@link JiraIssue}, or undefined when it has no usable key. */
  #toIssue(raw: unknown, releaseNoteField: string | undefined): JiraIssue | undefined {
    const parsed = jiraSearchIssue.safeParse(raw);
    if (!parsed.success) return undefined;
    const key = parsed.data.key.trim();
    // Only keys the LLM schema accepts can be cited; anything else is not a real Jira key.
    if (!issueKey.safeParse(key).success) return undefined;
    const fields = parsed.data.fields ?? {};
    const summary = typeof fields.summary === 'string' ? singleLine(fields.summary) : '';
    const description = adfToText(fields.description, JIRA_TEXT_LIMITS.description);
    return {
      key,
      summary: truncate(summary, JIRA_TEXT_LIMITS.summary),
      issueType: nameOf(fields.issuetype),
      status: nameOf(fields.status),
      description: description || undefined,
      ...issueExtras(fields, releaseNoteField),
    };
  }

  async #call<T>(context: JiraErrorContext, fn: () => Promise<T>): Promise<unknown> {
    try {
      return await fn();
    } catch (err) {
      throw translateJiraError(err, context);
    }
  }

  #parse<S extends z.ZodType>(schema: S, raw: unknown, context: JiraErrorContext): z.output<S> {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const problems = describeIssues(result.error);
    throw new JiraResponseError(
      `Jira ${context.operation} ${context.path} answered an unexpected shape: ${problems.join('; ')}`,
      { ...context, status: undefined, problems },
      { cause: result.error },
    );
  }

  /** Ids go into the URL path unescaped by jira.js, so only well-formed ones may pass. */
  #checkId(value: string, pattern: RegExp, context: JiraErrorContext): void {
    if (pattern.test(value)) return;
    throw new JiraRequestError(
      'jira_bad_request',
      `Jira ${context.operation}: ${JSON.stringify(value.slice(0, 40))} is not a valid id`,
      { ...context, path: context.path.replace(value, '{id}'), status: undefined },
    );
  }
}
