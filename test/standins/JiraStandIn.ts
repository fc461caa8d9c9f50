import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault, describeFault, FaultInjector } from './faults.ts';
import { type CompiledJql, compileJql, JqlError, type JqlValues } from './jql.ts';
import { readBody, sendJson, startLoopbackServer } from './loopbackServer.ts';
import { RequestLog } from './RequestLog.ts';

/** A project as the stand-in holds it. */
export interface StandInProject {
  /** Numeric id as a string, e.g. `10000`. */
  id: string;
  /** Project key, e.g. `ABC`. */
  key: string;
  name: string;
}

/** A version (release) as the stand-in holds it. */
export interface StandInVersion {
  /** Numeric id as a string, e.g. `10001`. */
  id: string;
  /** Id of its project. */
  projectId: string;
  name: string;
  description?: string | undefined;
  /** `yyyy-mm-dd`. */
  releaseDate?: string | undefined;
  /** `yyyy-mm-dd`. */
  startDate?: string | undefined;
  /** Default false. */
  released?: boolean | undefined;
  /** Default false. */
  archived?: boolean | undefined;
}

/** An issue as the stand-in holds it. */
export interface StandInIssue {
  /** Issue key, e.g. `ABC-1`. */
  key: string;
  /** Numeric id as a string; default `10000 + position in the version's list`. */
  id?: string | undefined;
  summary: string;
  /** Issue type name. Default `Story`. */
  issueType?: string | undefined;
  /** Status name. Default `Done`. */
  status?: string | undefined;
  /** Plain text (sent as an ADF document, one paragraph per line), a raw ADF value, or null. */
  description?: string | Record<string, unknown> | null | undefined;
  /**
   * Raw field values that replace the built ones when the field is requested (odd shapes:
   * `{ summary: 42 }`, `{ status: null }`), or add fields (custom fields: `customfield_10123`,
   * which must also be declared with {@link JiraStandIn.putCustomField}).
   */
  fields?: Record<string, unknown> | undefined;
  /** Labels (JQL `labels`). Default none. */
  labels?: string[] | undefined;
  /** Component names (JQL `component`). Default none. */
  components?: string[] | undefined;
  /** Name of the issue security level (JQL `level`, issue field `security`). Default none. */
  securityLevel?: string | undefined;
  /** The parent issue (an epic), served as the `parent` field. Default none. */
  parent?: { key: string; summary: string; issueType?: string | undefined } | undefined;
}

/** Options of {@link startJiraStandIn}. */
export interface JiraStandInOptions {
  /** When set (with `apiToken`), only these basic-auth credentials pass; default any Basic header. */
  email?: string;
  /** See `email`. */
  apiToken?: string;
  /** Largest search page served, issues (Jira Cloud serves at most 100 when fields are asked). Default 100. */
  maxPageSize?: number;
  /** Fault injector to use (share one between stand-ins if you like); default a new one. */
  faults?: FaultInjector;
}

/** Route names, as used in {@link JiraStandIn.requests} and fault matching. */
export const JIRA_ROUTES = ['getVersion', 'getProject', 'searchJql', 'parseJql'] as const;

/** A running Jira Cloud stand-in. */
export interface JiraStandIn {
  /** Site URL, `http://127.0.0.1:<port>`: pass it as JiraCloud's `siteUrl`. */
  url: string;
  /** Stops the server (drops open connections). */
  close(): Promise<void>;
  /** Fault injector consulted before every request. */
  faults: FaultInjector;
  /** Every request received (method, path, route), with per-route counts. */
  requests: RequestLog;
  /** Adds or replaces a project. */
  putProject(project: StandInProject): void;
  /** Adds or replaces a version. */
  putVersion(version: StandInVersion): void;
  /** Deletes a version (GET then answers 404); its issues go with it. */
  deleteVersion(id: string): void;
  /** Sets the issues whose fixVersion is `versionId`, in this order (stored as given, not copied). */
  setIssues(versionId: string, issues: StandInIssue[]): void;
  /** Declares a custom field (`customfield_10123`): searches asking for an undeclared one answer 400. */
  putCustomField(id: string): void;
  /** The version as stored, if any. */
  getVersion(id: string): StandInVersion | undefined;
  /** Clears projects, versions, issues, faults and the request log. */
  reset(): void;
}

/**
 * `count` plain issues `<projectKey>-<start>`…: cheap enough for 10,000 (objects built once, no
 * text work). Types cycle through `types`.
 */
export const generateIssues = (
  projectKey: string,
  count: number,
  options: { start?: number; types?: string[]; summary?: (n: number) => string } = {},
): StandInIssue[] => {
  const start = options.start ?? 1;
  const types = options.types ?? ['Story', 'Bug', 'Improvement'];
  const summary = options.summary ?? ((n: number) => `Change number ${n}`);
  return Array.from({ length: count }, (_, i) => ({
    key: `${projectKey}-${start + i}`,
    summary: summary(start + i),
    issueType: types[i % types.length] ?? 'Story',
    status: 'Done',
  }));
};

/** Jira's error body: `{ errorMessages, errors }`. */
export const jiraErrorBody = (
  message: string,
): { errorMessages: string[]; errors: Record<string, string> } => ({
  errorMessages: [message],
  errors: {},
});

const defaultErrorBody = (status: number): unknown => {
  if (status === 429) return jiraErrorBody('Rate limit exceeded.');
  if (status >= 500) return jiraErrorBody('Service unavailable, please try again later.');
  return jiraErrorBody(`Request failed with status ${status}.`);
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Jira's `userReleaseDate` style: `14/Mar/25`. */
const userDate = (date: string): string => {
  const [year, month, day] = date.split('-');
  return `${Number(day)}/${MONTHS[Number(month) - 1] ?? month}/${year?.slice(2)}`;
};

/** A plain text as Jira v3 returns rich text: an ADF document, one paragraph per line. */
const toAdf = (text: string): Record<string, unknown> => ({
  type: 'doc',
  version: 1,
  content: text.split('\n').map((line) => ({
    type: 'paragraph',
    content: line ? [{ type: 'text', text: line }] : [],
  })),
});

const keyOrder = (a: StandInIssue, b: StandInIssue): number => {
  const [pa = '', na = '0'] = a.key.split('-');
  const [pb = '', nb = '0'] = b.key.split('-');
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
};

/** Short stable id of a JQL text, bound into page tokens. */
const queryId = (jql: string): string => createHash('sha256').update(jql).digest('base64url').slice(0, 16);

const encodeToken = (versionId: string, offset: number): string =>
  Buffer.from(JSON.stringify({ v: versionId, o: offset })).toString('base64url');

const decodeToken = (token: string, versionId: string): number | undefined => {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      o?: unknown;
    };
    return value.v === versionId && typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0
      ? value.o
      : undefined;
  } catch {
    return undefined;
  }
};

interface SearchParams {
  jql: unknown;
  fields: string[] | undefined;
  maxResults: unknown;
  nextPageToken: unknown;
}

/**
 * Starts a Jira Cloud stand-in on 127.0.0.1 (port 0) for jira.js to talk to. It serves, with
 * Jira Cloud's shapes:
 * - `GET /rest/api/3/version/{id}` (404 with Jira's error JSON when missing);
 * - `GET /rest/api/3/project/{idOrKey}`;
 * - `GET|POST /rest/api/3/search/jql` evaluating the JQL subset of `./jql.ts` (issuetype, labels,
 *   level, component, status, fixVersion, key; `=`, `!=`, `IN`, `NOT IN`, `IS [NOT] EMPTY`, `AND`,
 *   `OR`, `NOT`, parentheses, `ORDER BY key`; anything else is a 400 naming it), `fields` (none →
 *   ids only, like Jira; an undeclared custom field → 400), `maxResults` (default 50, capped at
 *   `maxPageSize`) and an opaque `nextPageToken`; the last page has no token and `isLast: true`;
 * - `POST /rest/api/3/jql/parse` with `{ queries }`: per query its `structure`, or `errors` with
 *   Jira-like messages naming the position.
 * Every request needs a Basic `Authorization` header (401 without). Faults are applied first.
 */
export const startJiraStandIn = async (options: JiraStandInOptions = {}): Promise<JiraStandIn> => {
  const faults = options.faults ?? new FaultInjector();
  const requests = new RequestLog();
  const maxPageSize = options.maxPageSize ?? 100;
  const projects = new Map<string, StandInProject>();
  const versions = new Map<string, StandInVersion>();
  const issues = new Map<string, StandInIssue[]>();
  const sorted = new Map<string, StandInIssue[]>();
  // Default issue ids come from the position in the list given to setIssues, whatever the order served.
  const positions = new WeakMap<StandInIssue, number>();
  // The version a served issue was found under (for its fixVersions field).
  const versionOf = new WeakMap<StandInIssue, string>();
  const customFields = new Set<string>();
  const expectedAuth =
    options.email !== undefined && options.apiToken !== undefined
      ? `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`
      : undefined;
  let url = '';

  const projectByIdOrKey = (idOrKey: string): StandInProject | undefined =>
    projects.get(idOrKey) ?? [...projects.values()].find((p) => p.key === idOrKey);

  const versionJson = (v: StandInVersion) => {
    const today = new Date().toISOString().slice(0, 10);
    return {
      self: `${url}/rest/api/3/version/${v.id}`,
      id: v.id,
      ...(v.description !== undefined ? { description: v.description } : {}),
      name: v.name,
      archived: v.archived ?? false,
      released: v.released ?? false,
      ...(v.startDate !== undefined ? { startDate: v.startDate } : {}),
      ...(v.releaseDate !== undefined
        ? {
            releaseDate: v.releaseDate,
            overdue: !(v.released ?? false) && v.releaseDate < today,
            userReleaseDate: userDate(v.releaseDate),
          }
        : {}),
      projectId: Number(v.projectId),
    };
  };

  const projectJson = (p: StandInProject) => ({
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${url}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    description: '',
    name: p.name,
    avatarUrls: { '48x48': `${url}/rest/api/3/universal_avatar/view/type/project/avatar/10400` },
    projectTypeKey: 'software',
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
  });

  const fieldValue = (issue: StandInIssue, field: string, versionId: string): unknown => {
    switch (field) {
      case 'summary':
        return issue.summary;
      case 'issuetype': {
        const name = issue.issueType ?? 'Story';
        return {
          self: `${url}/rest/api/3/issuetype/10001`,
          id: '10001',
          description: '',
          iconUrl: `${url}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10315?size=medium`,
          name,
          subtask: false,
          avatarId: 10315,
          hierarchyLevel: 0,
        };
      }
      case 'status':
        return {
          self: `${url}/rest/api/3/status/10002`,
          description: '',
          iconUrl: `${url}/`,
          name: issue.status ?? 'Done',
          id: '10002',
          statusCategory: {
            self: `${url}/rest/api/3/statuscategory/3`,
            id: 3,
            key: 'done',
            colorName: 'green',
            name: 'Done',
          },
        };
      case 'description':
        return typeof issue.description === 'string' ? toAdf(issue.description) : (issue.description ?? null);
      case 'labels':
        return [...(issue.labels ?? [])];
      case 'components':
        return (issue.components ?? []).map((name, i) => ({
          self: `${url}/rest/api/3/component/${10100 + i}`,
          id: String(10100 + i),
          name,
        }));
      case 'security':
        return issue.securityLevel === undefined
          ? null
          : {
              self: `${url}/rest/api/3/securitylevel/10200`,
              id: '10200',
              description: '',
              name: issue.securityLevel,
            };
      case 'parent':
        return issue.parent === undefined
          ? undefined
          : {
              id: '10900',
              key: issue.parent.key,
              self: `${url}/rest/api/3/issue/10900`,
              fields: {
                summary: issue.parent.summary,
                status: { name: 'In Progress' },
                issuetype: { name: issue.parent.issueType ?? 'Epic', subtask: false, hierarchyLevel: 1 },
              },
            };
      case 'fixVersions': {
        const v = versions.get(versionId);
        return v ? [{ ...versionJson(v), self: `${url}/rest/api/3/version/${v.id}` }] : [];
      }
      default:
        return undefined;
    }
  };

  const issueJson = (issue: StandInIssue, fields: string[] | undefined, versionId: string) => {
    const id = issue.id ?? String(10000 + (positions.get(issue) ?? 0));
    if (!fields || fields.length === 0 || (fields.length === 1 && fields[0] === 'id')) return { id };
    const all = fields.includes('*all') || fields.includes('*navigable');
    const names = all
      ? [
          'summary',
          'issuetype',
          'status',
          'description',
          'fixVersions',
          'labels',
          'components',
          'security',
          'parent',
          ...Object.keys(issue.fields ?? {}),
        ]
      : fields.filter((f) => f !== 'id' && f !== 'key' && !f.startsWith('-'));
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const value =
        issue.fields && Object.hasOwn(issue.fields, name)
          ? issue.fields[name]
          : fieldValue(issue, name, versionId);
      if (value !== undefined) out[name] = value;
    }
    return { expand: '', id, self: `${url}/rest/api/3/issue/${id}`, key: issue.key, fields: out };
  };

  const jqlValues = (issue: StandInIssue, versionId: string): JqlValues => {
    const version = versions.get(versionId);
    return {
      issuetype: [issue.issueType ?? 'Story'],
      labels: issue.labels ?? [],
      level: issue.securityLevel !== undefined ? [issue.securityLevel] : [],
      component: issue.components ?? [],
      status: [issue.status ?? 'Done'],
      fixversion: version ? [versionId, version.name] : [versionId],
      key: [issue.key],
    };
  };

  /** Every issue matching `query`, each key once (its first version wins), in the order asked. */
  const matching = (query: CompiledJql): StandInIssue[] => {
    const out: StandInIssue[] = [];
    const seen = new Set<string>();
    for (const [versionId, list] of issues) {
      for (const issue of list) {
        if (seen.has(issue.key) || !query.matches(jqlValues(issue, versionId))) continue;
        seen.add(issue.key);
        versionOf.set(issue, versionId);
        out.push(issue);
      }
    }
    if (query.order) {
      out.sort(keyOrder);
      if (query.order === 'DESC') out.reverse();
    }
    return out;
  };

  /** A fixVersion value that names no version: Jira refuses the query. */
  const unknownVersion = (query: CompiledJql): string | undefined =>
    query
      .valuesOf('fixversion')
      .find(
        (value) =>
          !versions.has(value) &&
          !issues.has(value) &&
          ![...versions.values()].some((v) => v.name.toLowerCase() === value),
      );

  /** One `jql/parse` answer: the structure, or Jira-like errors (strict validation). */
  const parseOne = (jql: string): Record<string, unknown> => {
    try {
      const query = compileJql(jql);
      const missing = unknownVersion(query);
      if (missing !== undefined)
        return { query: jql, errors: [`The value '${missing}' does not exist for the field 'fixVersion'.`] };
      return { query: jql, structure: query.structure };
    } catch (err) {
      if (!(err instanceof JqlError)) throw err;
      return { query: jql, errors: [err.message] };
    }
  };

  const search = (res: ServerResponse, params: SearchParams): void => {
    if (typeof params.jql !== 'string') {
      sendJson(res, 400, jiraErrorBody('The JQL query is missing: the stand-in needs one.'));
      return;
    }
    let query: CompiledJql;
    try {
      query = compileJql(params.jql);
    } catch (err) {
      if (!(err instanceof JqlError)) throw err;
      sendJson(res, 400, jiraErrorBody(err.message));
      return;
    }
    const missingVersion = unknownVersion(query);
    if (missingVersion !== undefined) {
      sendJson(res, 400, {
        ...jiraErrorBody(`The value '${missingVersion}' does not exist for the field 'fixVersion'.`),
        warningMessages: [],
      });
      return;
    }
    const undeclared = params.fields?.find((f) => /^customfield_\d+$/.test(f) && !customFields.has(f));
    if (undeclared !== undefined) {
      sendJson(
        res,
        400,
        jiraErrorBody(`Field '${undeclared}' does not exist or you do not have permission to view it.`),
      );
      return;
    }
    const versionId = queryId(params.jql);
    const continuing =
      params.nextPageToken !== undefined && params.nextPageToken !== null && params.nextPageToken !== '';
    // A continuation reads the listing its first page made (a page token is a cursor into it).
    let ordered = continuing ? sorted.get(versionId) : undefined;
    if (!ordered) {
      ordered = matching(query);
      sorted.set(versionId, ordered);
    }
    const requested = Number(params.maxResults ?? 50);
    if (!Number.isFinite(requested) || requested < 0) {
      sendJson(res, 400, jiraErrorBody('maxResults must be a non-negative number.'));
      return;
    }
    const size = Math.min(maxPageSize, Math.max(1, Math.floor(requested)));
    let offset = 0;
    if (params.nextPageToken !== undefined && params.nextPageToken !== null && params.nextPageToken !== '') {
      const decoded =
        typeof params.nextPageToken === 'string' ? decodeToken(params.nextPageToken, versionId) : undefined;
      if (decoded === undefined) {
        sendJson(res, 400, jiraErrorBody('Invalid nextPageToken.'));
        return;
      }
      offset = decoded;
    }
    const page = ordered.slice(offset, offset + size);
    const end = offset + page.length;
    const isLast = end >= ordered.length;
    sendJson(res, 200, {
      issues: page.map((issue) => issueJson(issue, params.fields, versionOf.get(issue) ?? '')),
      ...(isLast ? {} : { nextPageToken: encodeToken(versionId, end) }),
      isLast,
    });
  };

  /** The request's JSON body, or undefined after answering 400 as Jira does for a bad payload. */
  const jsonBody = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<Record<string, unknown> | undefined> => {
    try {
      return JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      sendJson(
        res,
        400,
        jiraErrorBody('Invalid request payload. Refer to the REST API documentation and try again.'),
      );
      return undefined;
    }
  };

  const routeOf = (method: string, path: string): { route: string; param?: string } => {
    let m = /^\/rest\/api\/3\/version\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return { route: 'getVersion', param: decodeURIComponent(m[1] as string) };
    m = /^\/rest\/api\/3\/project\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return { route: 'getProject', param: decodeURIComponent(m[1] as string) };
    if (path === '/rest/api/3/search/jql' && (method === 'GET' || method === 'POST'))
      return { route: 'searchJql' };
    if (path === '/rest/api/3/jql/parse' && method === 'POST') return { route: 'parseJql' };
    return { route: 'unknown' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = parsed.pathname;
    const { route, param } = routeOf(method, path);
    const fault = faults.take({ method, path, route });
    requests.add({ method, path, route, at: Date.now(), fault: fault ? describeFault(fault) : undefined });
    if (fault && (await applyFault(fault, req, res, defaultErrorBody, signal))) return;

    const auth = req.headers.authorization;
    if (!auth?.startsWith('Basic ') || (expectedAuth !== undefined && auth !== expectedAuth)) {
      res.writeHead(401, {
        'content-type': 'text/plain;charset=UTF-8',
        'www-authenticate': 'Basic realm="protected-area"',
      });
      res.end('Client must be authenticated to access this resource.');
      return;
    }

    switch (route) {
      case 'getVersion': {
        const version = versions.get(param as string);
        if (!version) sendJson(res, 404, jiraErrorBody(`Could not find version for id '${param}'`));
        else sendJson(res, 200, versionJson(version));
        return;
      }
      case 'getProject': {
        const project = projectByIdOrKey(param as string);
        if (!project) sendJson(res, 404, jiraErrorBody(`No project could be found with key '${param}'.`));
        else sendJson(res, 200, projectJson(project));
        return;
      }
      case 'parseJql': {
        const body = await jsonBody(req, res);
        if (!body) return;
        if (!Array.isArray(body.queries) || !body.queries.every((q) => typeof q === 'string')) {
          sendJson(res, 400, {
            errorMessages: [],
            errors: { queries: 'The queries must be a list of strings.' },
          });
          return;
        }
        sendJson(res, 200, { queries: (body.queries as string[]).map(parseOne) });
        return;
      }
      case 'searchJql': {
        if (method === 'GET') {
          const fields = parsed.searchParams.getAll('fields').flatMap((f) => f.split(','));
          search(res, {
            jql: parsed.searchParams.get('jql') ?? undefined,
            fields: fields.length > 0 ? fields : undefined,
            maxResults: parsed.searchParams.get('maxResults') ?? undefined,
            nextPageToken: parsed.searchParams.get('nextPageToken') ?? undefined,
          });
          return;
        }
        const body = await jsonBody(req, res);
        if (!body) return;
        const fields = Array.isArray(body.fields)
          ? body.fields.filter((f): f is string => typeof f === 'string').flatMap((f) => f.split(','))
          : undefined;
        search(res, {
          jql: body.jql,
          fields,
          maxResults: body.maxResults,
          nextPageToken: body.nextPageToken,
        });
        return;
      }
      default:
        sendJson(res, 404, jiraErrorBody(`null for uri: ${url}${path}`));
    }
  };

  const server = await startLoopbackServer((req, res) => handle(req, res, server.signal));
  url = server.url;

  return {
    url,
    close: () => server.close(),
    faults,
    requests,
    putProject: (project) => {
      projects.set(project.id, { ...project });
    },
    putVersion: (version) => {
      versions.set(version.id, { ...version });
    },
    deleteVersion: (id) => {
      versions.delete(id);
      issues.delete(id);
      sorted.clear();
    },
    setIssues: (versionId, list) => {
      for (const [i, issue] of list.entries()) positions.set(issue, i);
      issues.set(versionId, list);
      sorted.clear();
    },
    putCustomField: (id) => {
      customFields.add(id);
    },
    getVersion: (id) => {
      const version = versions.get(id);
      return version ? { ...version } : undefined;
    },
    reset: () => {
      projects.clear();
      versions.clear();
      issues.clear();
      sorted.clear();
      customFields.clear();
      faults.reset();
      requests.clear();
    },
  };
};
