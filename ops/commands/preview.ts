import { writeFile } from 'node:fs/promises';
import type { SQSRecord } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraPort, JiraProject } from '#adapters/jira/JiraPort';
import type { LlmPort } from '#adapters/llm/LlmPort';
import { type ComposeJob, composeJobMessage } from '#contracts/composeJob';
import type { EmailDraft } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { parseContract } from '#contracts/errors';
import {
  DEFAULT_SEND_POLICY,
  formatPointSpec,
  ON_RELEASE_POINT_ID,
  parsePointSpec,
  type SendPoint,
  type SendPolicy,
} from '#contracts/sendPolicy';
import { locale as localeSchema } from '#contracts/timeZone';
import { OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderPairs } from '#ops/cli/table';
import { directoryOf } from '#ops/directory/directoryOf';
import { opsJira, opsLlm } from '#ops/jira/jiraAccess';
import type { ReadVersion, VersionRecord } from '#ops/jira/readVersionRecord';
import {
  type AudienceScopeView,
  audienceScopes,
  audiencesToPreview,
  renderAudienceScopes,
} from '#ops/preview/audienceScopes';
import { PreviewLedger } from '#ops/preview/PreviewLedger';
import { PreviewQueue } from '#ops/preview/PreviewQueue';
import type { Log } from '#shared/logger';
import { addCalendarDays, addWallClockMinutes, zonedToUtc } from '#shared/zonedTime';
import { type Coverage, formatCoverage } from '#stages/compose/grounding/index';
import { processRecord } from '#stages/compose/processRecord';
import { checkStaleness } from '#stages/compose/staleness';
import { fillPlaceholders } from '#stages/send/fillPlaceholders';
import { localeStrings } from '#stages/shared/localeStrings';

/** What {@link previewEmail} needs. */
export interface PreviewDeps {
  jira: JiraPort;
  readVersion: ReadVersion;
  /** Undefined: the template writes the email (as compose without an OpenAI key). */
  llm: LlmPort | undefined;
  directory: DirectoryPort;
  now: () => Date;
  logger: Log;
  /** Most issues read (JIRA_MAX_ISSUES). */
  maxIssues?: number | undefined;
}

/** What to preview. */
export interface PreviewOptions {
  versionId: string;
  /**
   * The send point: a spec (`-1d@09:00`), a point id of the policy, or `onrelease`. Default the
   * policy's first point.
   */
  point?: string | undefined;
  /** Locale. Default the project policy's. */
  locale?: string | undefined;
  /** Recipient name in the greeting. Default the locale's neutral greeting. */
  name?: string | undefined;
  /** The audience whose email is composed (and whose scope is shown). Default `all` (every audience's scope is shown). */
  audience?: string | undefined;
  /** Show the scopes only: compose nothing (no LLM call). Default false. */
  scopeOnly?: boolean | undefined;
}

/** A composed email, not sent. */
export interface PreviewResult {
  versionId: string;
  versionName: string;
  projectKey: string;
  projectName: string;
  releaseDate: string | undefined;
  /** The point as a spec (`-1d@09:00`, `on release`) and its id. */
  point: string;
  pointId: string;
  pointKind: ComposeJob['pointKind'];
  locale: string;
  timeZone: string;
  /** When the point is due, ISO 8601 UTC. */
  dueAt: string;
  /** How the email was written: `llm` or `template`; absent when nothing was composed. */
  source?: EmailDraft['source'] | undefined;
  model?: string | undefined;
  subject?: string | undefined;
  /** Issue keys the email cites. */
  issueKeys?: string[] | undefined;
  html?: string | undefined;
  text?: string | undefined;
  /** Which in-scope issues the email mentions (cites), and which it does not; absent when nothing was composed. */
  coverage?: Coverage | undefined;
  /** Items the grounding verifier removed, with its reasons (policy `verifyGrounding`). */
  removedItems?: NonNullable<EmailDraft['removedItems']> | undefined;
  /** What the grounding verifier concluded; undefined when it did not run. */
  verifier?: EmailDraft['verifier'];
  /** The audience whose email this is. */
  audience: string;
  /** Per audience, the issues in scope and those left out with the reason. */
  audiences: AudienceScopeView[];
  /** Why no email was composed (`--scope-only`, or no issue in the audience's scope). */
  notComposed?: string | undefined;
  /** From display name the draft carries (the policy's sender identity); undefined when none was composed. */
  fromName?: string | undefined;
  /** Reply-To address the draft carries, if any. */
  replyTo?: string | undefined;
}

/** Address of the preview's only recipient; nothing is ever sent to it. */
const PREVIEW_RECIPIENT = 'preview@example.com';
/** Stands in for the recipient's one-click unsubscribe link. */
const PREVIEW_UNSUBSCRIBE_URL = 'https://example.com/unsubscribe?preview=1';

const ON_RELEASE_WORDS: ReadonlySet<string> = new Set([
  ON_RELEASE_POINT_ID,
  'on-release',
  'on release',
  'on_release',
]);

/** The point asked for, resolved against the project's policy. */
const resolvePoint = (
  asked: string | undefined,
  policy: { points: SendPoint[]; onRelease: boolean },
): SendPoint | 'on_release' => {
  if (asked === undefined) {
    const first = policy.points[0];
    if (first !== undefined) return first;
    if (policy.onRelease) return 'on_release';
    throw new UsageError('the project policy has no send points: give --point, e.g. --point -1d@09:00');
  }
  if (ON_RELEASE_WORDS.has(asked.trim().toLowerCase())) return 'on_release';
  return policy.points.find((p) => p.id === asked.trim()) ?? parsePointSpec(asked);
};

/** When a `before` point is due: the release date moved by the point, in `timeZone` (as the schedule stage plans it). */
const dueAtOf = (point: SendPoint, releaseDate: string, timeZone: string): Date =>
  zonedToUtc(
    addWallClockMinutes(
      `${addCalendarDays(releaseDate, point.days)}T${point.at}:00`,
      point.hours * 60 + point.minutes,
    ),
    timeZone,
  );

/** The release point a preview is of, read from Jira and the project's policy ({@link readTarget}). */
interface PreviewTarget {
  version: VersionRecord;
  project: JiraProject;
  policy: SendPolicy;
  point: SendPoint | 'on_release';
  locale: string;
  /** When the point is due: a `before` point's time on the release date, else now. */
  dueAt: Date;
}

/**
 * Reads the version, its project and the project's policy, and resolves the point and locale asked.
 * @throws OpsError when the version does not exist or names no project; UsageError for a bad point
 *   or locale.
 */
const readTarget = async (deps: PreviewDeps, options: PreviewOptions): Promise<PreviewTarget> => {
  const version = await deps.readVersion(options.versionId);
  if (version === null) throw new OpsError(`version ${options.versionId} not found in Jira`);
  if (version.projectId === undefined)
    throw new OpsError(`Jira did not say which project version ${options.versionId} belongs to`);
  const project = await deps.jira.getProject(version.projectId);
  const policy = (await deps.directory.getPolicy(project.key)) ?? DEFAULT_SEND_POLICY;
  const point = resolvePoint(options.point, policy);
  const locale = options.locale ?? policy.defaultLocale;
  if (!localeSchema.safeParse(locale).success)
    throw new UsageError(`"${locale}" is not a locale such as en or de-DE`);
  const dueAt =
    point !== 'on_release' && version.releaseDate !== undefined
      ? dueAtOf(point, version.releaseDate, policy.timeZone)
      : deps.now();
  return { version, project, policy, point, locale, dueAt };
};

/**
 * The compose job of the preview's one recipient, as the schedule stage would queue it.
 * @throws OpsError when compose would skip the point (stale).
 */
const previewJobOf = (
  { version, project, policy, point, locale, dueAt }: PreviewTarget,
  recipient: { name?: string | undefined; audience: string },
  now: Date,
): ComposeJob => {
  const job: ComposeJob = {
    versionId: version.id,
    projectKey: project.key,
    pointId: point === 'on_release' ? ON_RELEASE_POINT_ID : point.id,
    pointKind: point === 'on_release' ? 'on_release' : 'before',
    ...(version.releaseDate !== undefined ? { releaseDate: version.releaseDate } : {}),
    timeZone: policy.timeZone,
    dueAt: dueAt.toISOString(),
    chunk: { index: 0, count: 1 },
    recipients: [
      {
        email: PREVIEW_RECIPIENT,
        locale,
        ...(recipient.name ? { name: recipient.name } : {}),
        audience: recipient.audience,
      },
    ],
    // A preview shows the email of a point, past or not: never a missed one.
    notAfter: new Date(Math.max(dueAt.getTime(), now.getTime()) + 86_400_000).toISOString(),
  };
  const staleness = checkStaleness(job, version);
  if (staleness.stale) {
    const hint = staleness.reason === 'already_released' ? ' (try --point onrelease)' : '';
    throw new OpsError(`compose would skip this point: ${staleness.reason}${hint}`);
  }
  return job;
};

/**
 * Runs the compose stage's `processRecord` on `job` with in-memory stand-ins for the ledger and
 * the send queue; resolves to the draft it wrote.
 * @throws OpsError when compose wrote no draft.
 */
const composePreviewDraft = async (deps: PreviewDeps, job: ComposeJob): Promise<EmailDraft> => {
  const ledger = new PreviewLedger();
  const queue = new PreviewQueue();
  const body = JSON.stringify(
    parseContract(
      'compose.job',
      composeJobMessage,
      wrap('compose.job', `preview:${job.versionId}:${job.pointId}`, job),
    ),
  );
  const record = { messageId: 'preview', receiptHandle: 'preview', body } as SQSRecord;
  await processRecord(
    record,
    { logger: deps.logger, receiveCount: 1, remainingTimeMs: () => 300_000 },
    {
      jira: deps.jira,
      directory: deps.directory,
      llm: deps.llm,
      ledger,
      queue,
      now: deps.now,
      // What the drafts say, not whether an approver let them out.
      ignoreApproval: true,
      ...(deps.maxIssues !== undefined ? { maxIssues: deps.maxIssues } : {}),
    },
  );
  const draft = ledger.drafts[0];
  if (draft === undefined) throw new OpsError('compose wrote no draft (see --verbose for why)');
  return draft;
};

/** The fields of a {@link PreviewResult} a composed draft fills. */
type DraftView = Pick<
  PreviewResult,
  | 'locale'
  | 'source'
  | 'model'
  | 'subject'
  | 'issueKeys'
  | 'html'
  | 'text'
  | 'coverage'
  | 'removedItems'
  | 'verifier'
  | 'fromName'
  | 'replyTo'
>;

/** What a preview shows of a draft, its recipient placeholders filled as the send stage would. */
const draftView = (draft: EmailDraft, name: string | undefined): DraftView => {
  const values = {
    name: name?.trim() || localeStrings(draft.locale).neutralName,
    unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL,
  };
  return {
    locale: draft.locale,
    source: draft.source,
    model: draft.model,
    subject: draft.subject,
    issueKeys: draft.issueKeys,
    html: fillPlaceholders(draft.html, values, 'html'),
    text: fillPlaceholders(draft.text, values, 'text'),
    coverage: draft.coverage ?? { inScope: 0, mentioned: [], missing: [] },
    removedItems: draft.removedItems ?? [],
    verifier: draft.verifier,
    fromName: draft.fromName,
    replyTo: draft.replyTo,
  };
};

/**
 * Composes the email of one release point without sending it, along the compose stage's own path
 * (its `processRecord`): Jira read → LLM (citation check, one retry with feedback) or template →
 * escaped render. The ledger and the send queue are in-memory stand-ins: no draft is stored, no
 * send job queued, no email sent. The recipient placeholders are filled as the send stage would.
 * @throws OpsError when the version does not exist, or compose would skip the point (stale: the
 *   version is archived, released before a `before` point, or not released for `on release`).
 */
export const previewEmail = async (deps: PreviewDeps, options: PreviewOptions): Promise<PreviewResult> => {
  const target = await readTarget(deps, options);
  const { version, project, point, locale } = target;
  const toPreview = audiencesToPreview(target.policy, project.key, options.audience);
  const audience = toPreview[0] ?? 'all';
  const audiences = await audienceScopes({
    jira: deps.jira,
    versionId: version.id,
    projectKey: project.key,
    policy: target.policy,
    audiences: toPreview,
    maxIssues: deps.maxIssues,
  });
  const job = previewJobOf(target, { name: options.name, audience }, deps.now());
  const about: PreviewResult = {
    versionId: version.id,
    versionName: version.name,
    projectKey: project.key,
    projectName: project.name,
    releaseDate: version.releaseDate,
    point: point === 'on_release' ? 'on release' : formatPointSpec(point),
    pointId: job.pointId,
    pointKind: job.pointKind,
    locale,
    timeZone: job.timeZone,
    dueAt: job.dueAt,
    audience,
    audiences,
  };
  const chosen = audiences.find((a) => a.audience === audience);
  if (options.scopeOnly) return { ...about, notComposed: 'scope only: nothing composed' };
  if (chosen?.inScope.length === 0)
    return {
      ...about,
      notComposed: `no issue in the scope of audience ${audience}: compose would send it nothing`,
    };
  const draft = await composePreviewDraft(deps, job);
  return { ...about, ...draftView(draft, options.name) };
};

/** Most missing keys {@link renderPreview} lists; `--json` has them all. */
const MAX_MISSING_SHOWN = 20;

/** `14/16 (not mentioned: ABC-3, ABC-9)`. */
export const describeCoverage = (coverage: Coverage): string => {
  if (coverage.missing.length === 0) return `${formatCoverage(coverage)} (every issue mentioned)`;
  const shown = coverage.missing.slice(0, MAX_MISSING_SHOWN);
  const more = coverage.missing.length - shown.length;
  return `${formatCoverage(coverage)} (not mentioned: ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''})`;
};

/** The preview as text: what it is, each audience's scope, then the plain-text part. */
export const renderPreview = (result: PreviewResult, htmlFile?: string): string => {
  const head = renderPairs([
    [
      'release',
      `${result.projectKey} "${result.versionName}" (version ${result.versionId}, ${result.releaseDate ?? 'no release date'})`,
    ],
    ['point', `${result.point}, due ${result.dueAt} (${result.timeZone})`],
    ['locale', result.locale],
    ['audience', result.audience],
  ]);
  const scopes = renderAudienceScopes(result.audiences);
  if (result.text === undefined)
    return [head, '', scopes, '', `Nothing composed: ${result.notComposed ?? ''}`].join('\n');
  return [
    head,
    '',
    scopes,
    '',
    renderPairs([
      ['written by', result.source === 'llm' ? `llm (${result.model ?? 'unknown model'})` : 'template'],
      ['cites', result.issueKeys?.join(', ') || '(none)'],
      ...(result.coverage ? [['coverage', describeCoverage(result.coverage)] as [string, string]] : []),
      ...(result.verifier
        ? [
            [
              'verifier',
              `${result.verifier.outcome}${result.verifier.model ? ` (${result.verifier.model})` : ''}`,
            ] as [string, string],
          ]
        : []),
      ...(result.removedItems ?? []).map((item): [string, string] => [
        'removed',
        `${item.issueKeys.join(', ')}: ${item.reason}`,
      ]),
      ['subject', result.subject ?? ''],
      ['from', result.fromName ?? '(the sender address only)'],
      ['reply-to', result.replyTo ?? '(none)'],
    ]),
    '',
    result.text.trimEnd(),
    '',
    htmlFile !== undefined
      ? `HTML written to ${htmlFile}`
      : 'Nothing was sent. Add --out email.html for the HTML part.',
  ].join('\n');
};

/** Options of `herald preview`. */
export interface PreviewCommandOptions {
  point?: string | undefined;
  locale?: string | undefined;
  name?: string | undefined;
  template?: boolean | undefined;
  out?: string | undefined;
  audience?: string | undefined;
  scopeOnly?: boolean | undefined;
  json?: boolean | undefined;
}

/** `herald preview`: exit 1 when the version is missing or compose would skip the point. */
export const previewAction = async (
  ctx: OpsContext,
  version: string,
  options: PreviewCommandOptions,
): Promise<ExitCode> => {
  const { jira, readVersion } = await opsJira(ctx);
  const llm = options.template || options.scopeOnly ? undefined : await opsLlm(ctx);
  const result = await previewEmail(
    {
      jira,
      readVersion,
      llm,
      directory: directoryOf(ctx),
      now: ctx.now,
      logger: ctx.logger,
      maxIssues: ctx.config.JIRA_MAX_ISSUES,
    },
    {
      versionId: version,
      point: options.point,
      locale: options.locale,
      name: options.name,
      audience: options.audience,
      scopeOnly: options.scopeOnly,
    },
  );
  if (options.out !== undefined && result.html !== undefined) await writeFile(options.out, result.html);
  if (options.json)
    ctx.output.json({ ...result, ...(options.out !== undefined ? { htmlFile: options.out } : {}) });
  else ctx.output.out(renderPreview(result, options.out));
  return EXIT_CODES.ok;
};
