import type { SQSRecord } from 'aws-lambda';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraIssue, JiraPort } from '#adapters/jira/JiraPort';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import { type EmailAnswer, type EmailRequest, LlmOutputError, type LlmPort } from '#adapters/llm/LlmPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import { type ComposeJob, composeJobMessage } from '#contracts/composeJob';
import type { EmailDraft, LlmEmail } from '#contracts/emailDraft';
import { wrap } from '#contracts/envelope';
import { parseContract, parseJsonContract } from '#contracts/errors';
import type { Audience } from '#contracts/issueScope';
import type { VersionState } from '#contracts/releaseSnapshot';
import { replanKey, replanRequest } from '#contracts/replanRequest';
import { sendJobMessage, sendKey } from '#contracts/sendJob';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import type { RecordContext } from '#retry/createSqsHandler';
import { peekEnvelope } from '#retry/peekEnvelope';
import { tracedRetry } from '#retry/tracedRetry';
import { type RetryAttempt, withRetry } from '#retry/withRetry';
import { PermanentError } from '#shared/errors';
import type { Log } from '#shared/logger';
import { truncate } from '#shared/text';
import { currentTraceparent, withSpan } from '#shared/tracing';
import { queueName } from '#topology/topology';
import { approvedDrafts } from './approval/approvedDrafts.ts';
import { processReviewJob } from './approval/processReviewJob.ts';
import type { ReviewLinks } from './approval/ReviewLinks.ts';
import { draftsByAudience, groupKey, recipientAudience } from './audiences.ts';
import { checkCitations } from './citations.ts';
import { daysBefore } from './daysBefore.ts';
import { emailPresentationOf } from './emailPresentation.ts';
import { fallbackEmail } from './fallbackEmail.ts';
import {
  checkDraft,
  coverageOf,
  coverageShort,
  type DraftProblems,
  draftFeedback,
  draftHasProblems,
  type GroundingScope,
  type RemovedItem,
} from './grounding/index.ts';
import { notAfterOf, recordIfMissed } from './lateness.ts';
import { localeStrings } from './localeStrings.ts';
import { type AudienceScope, type LeftOutIssue, ReleaseScope } from './releaseScope.ts';
import { type FanOutDeps, recordFanOut } from './recordFanOut.ts';
import { renderEmail } from './renderEmail.ts';
import { checkStaleness } from './staleness.ts';
import { canVerify, verifyAnswer } from './verifyAnswer.ts';
import { DRAFT_LEASE_SECONDS, writeDraftOnce } from './writeDraftOnce.ts';

/** What the compose stage needs. */
export interface ComposeDeps {
  jira: JiraPort;
  /**
   * The client directory: the project's send policy (scope, audiences, release-note field,
   * `minCoverage`, `verifyGrounding`; references and sender identity of its emails).
   */
  directory: DirectoryPort;
  /** The LLM; undefined when no OpenAI key is configured (every draft comes from the template). */
  llm?: LlmPort | undefined;
  ledger: LedgerPort & ApprovalLedgerPort;
  /** Where send.job goes (the send queue), and release.changed when a job finds the date moved (the enrich queue). */
  queue: QueuePort;
  /** Clock for `createdAt`, a re-plan's `occurredAt` and draft claims. */
  now: () => Date;
  /** Waits `ms` while another composer writes a draft; default a timer (tests pass their own). */
  sleep?: ((ms: number) => Promise<unknown>) | undefined;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string | undefined;
  /** Most issues read from Jira per release (JIRA_MAX_ISSUES). Default the adapter's (500). */
  maxIssues?: number | undefined;
  /** Most issues the template fallback lists. Default 50. */
  fallbackMaxItems?: number | undefined;
  /** Where review emails' Approve/Hold links point and what seals them (policy `approval`). */
  review?: (() => Promise<ReviewLinks>) | undefined;
  /**
   * How long a send waiting for a decision (a revision written at its send time) waits between
   * looks at the approval record, seconds, 1..900. Default 300.
   */
  approvalRecheckSeconds?: number | undefined;
  /** Compose as if the policy had no `approval` (`herald preview`: what the drafts say). Default false. */
  ignoreApproval?: boolean | undefined;
  /** Where each chunk's fan-out is recorded for `herald report` (see {@link recordFanOut}); default none. */
  records?: FanOutDeps['records'];
  /** Delay of the owners' point.summary, seconds (see {@link recordFanOut}). */
  summaryDelaySeconds?: number | undefined;
}

/** Runs one named external call with tracing and in-call retries. */
export type Retry = <T>(name: string, fn: (attempt: RetryAttempt) => Promise<T>) => Promise<T>;

/** LLM usage of one draft: the counters the `email_composed` line exports (a benchmark reads them). */
interface LlmCounters {
  /** Every call, the verifier's included. */
  llmCalls: number;
  /** Grounding verifier calls (at most 1 per draft). */
  verifierCalls: number;
  promptTokens: number;
  completionTokens: number;
}

/** What one draft is written from: the audience's in-scope issues (read once per record and audience). */
interface ReleaseFacts {
  projectName: string;
  issues: JiraIssue[];
  truncated: boolean;
  audience: Audience;
  /** Issues of the release this audience does not hear about, with the reason. */
  leftOut: LeftOutIssue[];
}

/** How an answer is checked: the scope it may talk about and the policy's switches. */
interface AnswerChecks {
  scope: GroundingScope;
  minCoverage: number | undefined;
  /** Run the grounding verifier (policy `verifyGrounding` and an LLM that has it). */
  verify: boolean;
}

/** The problems of an answer (none: it may be sent): grounding, content policy, coverage. */
const problemsOf = (answer: EmailAnswer, checks: AnswerChecks): DraftProblems =>
  checkDraft(answer.email, checks.scope, { minCoverage: checks.minCoverage });

const hasProblems = draftHasProblems;

/**
 * Logs an answer's problems. Violations are logged by field and kind only: their text may be an
 * email address or a phone number.
 */
const logProblems = (problems: DraftProblems, locale: string, logger: Log): void => {
  const unknownKeys = problems.grounding.filter((p) => p.kind === 'unknown_key').flatMap((p) => p.words);
  if (unknownKeys.length > 0) logger.warn({ locale, unknownKeys }, 'llm_citations_invalid');
  // Quoted names are free text (they could hold an address): logged by count only.
  const ungrounded = problems.grounding
    .filter((p) => p.kind !== 'unknown_key')
    .map((p) => (p.kind === 'unsupported_name' ? { ...p, words: [`${p.words.length} name(s)`] } : p));
  if (ungrounded.length > 0) logger.warn({ locale, problems: ungrounded }, 'llm_grounding_failed');
  if (problems.violations.length > 0) {
    logger.warn(
      { locale, violations: problems.violations.map(({ field, kind }) => ({ field, kind })) },
      'llm_content_policy_violated',
    );
  }
  const { coverage } = problems;
  if (coverageShort(problems)) {
    logger.warn(
      { locale, mentioned: coverage.mentioned.length, inScope: coverage.inScope, missing: coverage.missing },
      'llm_coverage_low',
    );
  }
};

/** The feedback of the one retry, naming every problem of the first answer. */
const feedbackOf = draftFeedback;

/** A usable answer and what the verifier made of it. */
interface Written {
  answer: EmailAnswer;
  removedItems: RemovedItem[];
  verifier?: EmailDraft['verifier'];
}

/**
 * Ask the LLM, check its answer ({@link checkDraft}: every key anywhere in scope and cited where
 * it is named, numbers, names and promises backed by the cited issues, no URL, domain, email
 * address or phone number, coverage at least the minimum), then, when the policy asks for it, have
 * the grounding verifier judge each item once ({@link verifyAnswer}: unsupported items removed
 * if the rest passes); retry once with feedback naming the problems; null means "use the
 * template". Falls back rather than fails when the
 * answer is unusable (`LlmOutputError`: refusal, cut off, not matching the schema) or the API
 * refused the request for good (PermanentError: bad key, quota, context too long), so the email
 * still goes out at its point. Transient errors, once {@link withRetry} gives up, are rethrown
 * for the redelivery ladder.
 */
const writeWithLlm = async (
  llm: LlmPort,
  request: EmailRequest,
  checks: AnswerChecks,
  counters: LlmCounters,
  retry: Retry,
  logger: Log,
): Promise<Written | null> => {
  const ask = async (req: EmailRequest): Promise<EmailAnswer | null> => {
    counters.llmCalls += 1;
    try {
      const answer = await retry('llm.write_email', ({ signal }) => llm.writeEmail(req, { signal }));
      counters.promptTokens += answer.usage.promptTokens;
      counters.completionTokens += answer.usage.completionTokens;
      return answer;
    } catch (err) {
      if (err instanceof LlmOutputError) {
        // A failed answer still cost tokens.
        counters.promptTokens += err.usage?.promptTokens ?? 0;
        counters.completionTokens += err.usage?.completionTokens ?? 0;
        logger.warn({ err, problem: err.problem, locale: req.locale }, 'llm_answer_unusable');
        return null;
      }
      if (err instanceof PermanentError) {
        logger.error({ err, reason: err.reason, locale: req.locale }, 'llm_request_refused');
        return null;
      }
      throw err;
    }
  };

  let feedback: string | undefined;
  let verifier: EmailDraft['verifier'];
  // Two answers at most (the second with feedback); the verifier runs once at most per draft.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const answer = await ask(feedback === undefined ? request : { ...request, feedback });
    if (answer === null) return null;
    const problems = problemsOf(answer, checks);
    if (hasProblems(problems)) {
      logProblems(problems, request.locale, logger);
      feedback = feedbackOf(problems);
      continue;
    }
    if (!checks.verify || verifier !== undefined || !canVerify(llm)) {
      return { answer, removedItems: [], ...(verifier ? { verifier } : {}) };
    }
    const verdict = await verifyAnswer(answer.email, {
      llm,
      scope: checks.scope,
      checks: { minCoverage: checks.minCoverage },
      counters,
      retry,
      logger,
    });
    if (verdict.kind === 'unavailable')
      return { answer, removedItems: [], verifier: { outcome: 'unavailable' } };
    verifier = { outcome: verdict.kind, model: verdict.model };
    if (verdict.kind !== 'rejected') {
      return { answer: { ...answer, email: verdict.email }, removedItems: verdict.removed, verifier };
    }
    feedback = verdict.feedback;
  }
  return null;
};

/**
 * Puts a synthetic release.changed (`jira:version_updated`, occurred now) for the job's version
 * on the enrich queue, so a fresh read re-plans the release for the date Jira has now. A job
 * whose date moved means the schedules missed the change (a lost or late webhook): without this,
 * no schedule would ever exist for the new date. Keyed per point and new date, so every chunk
 * and redelivery of the point asks for the same re-plan.
 */
const requestReplan = async (
  job: ComposeJob,
  version: VersionState,
  incomingTraceparent: string | undefined,
  deps: ComposeDeps,
  retry: Retry,
  logger: Log,
): Promise<void> => {
  // enrich reads the project by id; the job carries only its key.
  const project = await retry('jira.get_project', ({ signal }) =>
    deps.jira.getProject(job.projectKey, { signal }),
  );
  const key = replanKey.movedPoint(job.versionId, job.pointId, version.releaseDate);
  const envelope = replanRequest({
    versionId: job.versionId,
    projectId: project.id,
    occurredAt: deps.now().getTime(),
    version,
    key,
    traceparent: currentTraceparent() ?? incomingTraceparent,
  });
  const target = queueName('enrich', 'main', deps.env ?? '');
  await retry('sqs.send', () => deps.queue.send(target, [{ body: JSON.stringify(envelope) }]));
  logger.info(
    { key, projectId: project.id, plannedDate: job.releaseDate, releaseDate: version.releaseDate },
    'replan_requested',
  );
};

/**
 * Compose one compose.job: re-read the version from Jira and skip the job when it is stale
 * (deleted, archived, date moved, released early, not released for an on-release point; logged as
 * `compose_skipped`, a success); when the date moved, also ask enrich to re-plan the release
 * (`replan_requested`: a release.changed on the enrich queue). Otherwise get the draft of each
 * distinct recipient locale from the ledger, or write it (LLM, citation and content policy
 * checks, one retry with feedback, else the template), render it and store it first-writer-wins;
 * then queue one send.job per recipient.
 *
 * The draft cache and its claim make one LLM call per release point, locale and audience: the
 * other chunks of the point, and any redelivery of this job, find the draft; chunks composing the
 * same draft at the same moment wait for the one that claimed it ({@link writeDraftOnce}), and
 * `putDraftIfAbsent` keeps the first draft even if a crashed writer's claim was taken over.
 *
 * Each external call runs under {@link withRetry} bounded by the Lambda's remaining time.
 * @throws ContractError when the message or an outgoing send.job breaks its contract (permanent).
 */
export const processRecord = async (
  record: SQSRecord,
  ctx: RecordContext,
  deps: ComposeDeps,
): Promise<void> => {
  // review.job (policy `approval`) shares the compose queue: drafts written ahead, for review.
  if (peekEnvelope(record.body)?.envelope.kind === 'review.job') return processReviewJob(record, ctx, deps);
  const incoming = parseJsonContract('compose.job', composeJobMessage, record.body);
  const job = incoming.payload;
  const logger = ctx.logger.child({
    versionId: job.versionId,
    pointId: job.pointId,
    chunk: `${job.chunk.index + 1}/${job.chunk.count}`,
  });
  const retry: Retry = tracedRetry({ remainingTimeMs: ctx.remainingTimeMs, logger });

  await withSpan('compose.record', async () => {
    const version = await retry('jira.get_version', ({ signal }) =>
      deps.jira.getVersion(job.versionId, { signal }),
    );
    const staleness = checkStaleness(job, version);
    if (staleness.stale) {
      logger.info({ reason: staleness.reason, releaseDate: job.releaseDate }, 'compose_skipped');
      if (staleness.reason === 'release_date_moved' && version !== null) {
        await requestReplan(job, version, incoming.traceparent, deps, retry, logger);
      }
      return;
    }
    // checkStaleness calls a missing version stale; this narrows the type.
    if (version === null) return;
    // Past its deadline the point is recorded `missed` and nothing is sent (a success).
    if (await recordIfMissed(job, { ...deps, logger }, retry)) return;
    const policy = (await deps.directory.getPolicy(job.projectKey)) ?? DEFAULT_SEND_POLICY;
    const scope = releaseScopeOf(job, policy, deps, retry);
    const draft = {
      point: job,
      version,
      policy,
      deps,
      retry,
      logger,
      remainingTimeMs: ctx.remainingTimeMs,
    };
    if (policy.approval && !deps.ignoreApproval) {
      // Review before send: the point's approval record decides what (if anything) goes out.
      const approval = {
        ...draft,
        approval: policy.approval,
        scope,
        traceparent: incoming.traceparent,
        job,
      };
      const drafts = await approvedDrafts(approval);
      if (drafts) await queueSendJobs(job, policy, drafts, incoming.traceparent, deps, retry, logger);
      return;
    }
    const drafts = await draftsByAudience({
      job,
      policy,
      logger,
      cached: (key) => retry('ledger.get_draft', () => deps.ledger.getDraft(key)),
      scopeOf: (audience) => scope.of(audience),
      write: draftWriterOf(draft),
    });

    await queueSendJobs(job, policy, drafts, incoming.traceparent, deps, retry, logger);
    await recordFanOut(
      { job, versionName: version.name, policy, drafts, traceparent: incoming.traceparent },
      deps,
      retry,
    );
  });
};

/** A release point a draft is written for (a compose job or a review job). */
export type DraftPoint = Pick<
  ComposeJob,
  'versionId' | 'projectKey' | 'pointId' | 'pointKind' | 'releaseDate' | 'dueAt' | 'timeZone'
>;

/** What {@link draftWriterOf} writes drafts with. */
export interface DraftContext {
  point: DraftPoint;
  /** The version as Jira has it now. */
  version: VersionState;
  policy: SendPolicy;
  deps: ComposeDeps;
  retry: Retry;
  logger: Log;
  /** Milliseconds left in the invocation. */
  remainingTimeMs: () => number;
}

/** The release's issues per audience, read from Jira once per audience for one record. */
export const releaseScopeOf = (
  point: Pick<DraftPoint, 'versionId' | 'projectKey'>,
  policy: SendPolicy,
  deps: ComposeDeps,
  retry: Retry,
): ReleaseScope =>
  new ReleaseScope({
    projectKey: point.projectKey,
    policy,
    read: (conditions) =>
      retry('jira.list_release_issues', ({ signal }) =>
        deps.jira.listReleaseIssues(point.versionId, {
          signal,
          scope: conditions,
          releaseNoteField: policy.releaseNoteField,
          ...(deps.maxIssues !== undefined ? { maxIssues: deps.maxIssues } : {}),
        }),
      ),
  });

/**
 * Writes the draft of one audience × locale under `key` once ({@link writeDraftOnce}: the first
 * writer asks the model, everyone else reads its draft), resolving to the stored draft.
 */
export const draftWriterOf = (
  c: DraftContext,
): ((group: { locale: string }, key: string, scoped: AudienceScope) => Promise<EmailDraft>) => {
  const { deps, retry, point } = c;
  let projectName: Promise<string> | undefined;
  return (group, key, scoped) =>
    writeDraftOnce({
      key,
      claim: (k) =>
        retry('ledger.claim_draft', () =>
          deps.ledger.claimDraft(k, { leaseSeconds: DRAFT_LEASE_SECONDS, now: deps.now().getTime() }),
        ),
      cached: (k) => retry('ledger.get_draft', () => deps.ledger.getDraft(k)),
      write: async () => {
        projectName ??= retry('jira.get_project', ({ signal }) =>
          deps.jira.getProject(point.projectKey, { signal }),
        ).then((project) => project.name);
        const facts = { projectName: await projectName, ...scoped, issues: scoped.inScope, policy: c.policy };
        return composeDraft(point, c.version, group.locale, key, facts, deps, retry, c.logger);
      },
      remainingTimeMs: c.remainingTimeMs,
      now: () => deps.now().getTime(),
      logger: c.logger,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
};

/** The `llmEmail` schema's longest outro, characters. */
const MAX_OUTRO_LENGTH = 1000;

/**
 * The model's email with the locale's "Jira lists further issues" line closing the outro. The
 * model sees only the issues read (at most JIRA_MAX_ISSUES) and is not told more exist, so
 * without this a 10,000-issue release would read as complete; the template says it too.
 */
const withTruncationNote = (email: LlmEmail, locale: string): LlmEmail => {
  const note = localeStrings(locale).truncatedNote;
  const outro = truncate(email.outro.trim(), MAX_OUTRO_LENGTH - note.length - 1);
  return { ...email, outro: outro ? `${outro} ${note}` : note };
};

/** How the answers of one draft are checked: its scope (the issues handed to the writer) and policy. */
const answerChecks = (
  facts: ReleaseFacts & { policy: SendPolicy },
  version: VersionState,
  locale: string,
): AnswerChecks => ({
  scope: {
    issues: facts.issues,
    locale,
    release: {
      versionName: version.name,
      description: version.description,
      releaseDate: version.releaseDate,
    },
  },
  minCoverage: facts.policy.minCoverage,
  verify: facts.policy.verifyGrounding === true,
});

/** Writes, renders and stores the draft of one locale; resolves to the stored (first-written) draft. */
const composeDraft = async (
  job: DraftPoint,
  version: VersionState,
  locale: string,
  key: string,
  facts: ReleaseFacts & { policy: SendPolicy },
  deps: ComposeDeps,
  retry: Retry,
  logger: Log,
): Promise<EmailDraft> => {
  const days = daysBefore(job, deps.now());
  const counters: LlmCounters = { llmCalls: 0, verifierCalls: 0, promptTokens: 0, completionTokens: 0 };
  const request: EmailRequest = {
    projectName: facts.projectName,
    versionName: version.name,
    versionDescription: version.description,
    releaseDate: version.releaseDate,
    pointKind: job.pointKind,
    daysBefore: days,
    locale,
    issues: facts.issues,
    audience: { name: facts.audience.name, instructions: facts.audience.instructions },
  };
  const releaseKeys = new Set(facts.issues.map((issue) => issue.key));
  const checks = answerChecks(facts, version, locale);
  const written = deps.llm ? await writeWithLlm(deps.llm, request, checks, counters, retry, logger) : null;
  const answer = written?.answer ?? null;
  const email: LlmEmail = answer
    ? facts.truncated
      ? withTruncationNote(answer.email, locale)
      : answer.email
    : fallbackEmail({
        projectName: facts.projectName,
        versionName: version.name,
        releaseDate: version.releaseDate,
        pointKind: job.pointKind,
        daysBefore: days,
        locale,
        issues: facts.issues,
        truncated: facts.truncated,
        maxItems: deps.fallbackMaxItems,
      });
  const source = answer ? 'llm' : 'template';
  const presentation = emailPresentationOf(facts.policy, facts.projectName);
  const rendered = renderEmail(email, {
    projectName: facts.projectName,
    versionName: version.name,
    releaseDate: version.releaseDate,
    siteUrl: deps.jira.siteUrl,
    locale,
    references: presentation.references,
    footerLine: presentation.footerLine,
  });
  const draft: EmailDraft = {
    key,
    source,
    ...(answer ? { model: answer.model } : {}),
    locale,
    ...rendered,
    issueKeys: checkCitations(email, releaseKeys).cited,
    createdAt: deps.now().toISOString(),
    coverage: coverageOf(email, [...releaseKeys]),
    ...(written && written.removedItems.length > 0 ? { removedItems: written.removedItems } : {}),
    ...(written?.verifier ? { verifier: written.verifier } : {}),
    fromName: presentation.fromName,
    ...(presentation.replyTo !== undefined ? { replyTo: presentation.replyTo } : {}),
    content: email,
    usage: {
      llmCalls: counters.llmCalls,
      promptTokens: counters.promptTokens,
      completionTokens: counters.completionTokens,
    },
  };
  const stored = await retry('ledger.put_draft', () => deps.ledger.putDraftIfAbsent(draft));
  logger.info(
    {
      draftKey: key,
      audience: facts.audience.name,
      locale,
      source,
      model: answer?.model,
      issueCount: facts.issues.length,
      leftOutCount: facts.leftOut.length,
      leftOut: facts.leftOut,
      issuesTruncated: facts.truncated,
      citedCount: draft.issueKeys.length,
      coverage: `${draft.coverage?.mentioned.length ?? 0}/${draft.coverage?.inScope ?? 0}`,
      removedItems: draft.removedItems?.length ?? 0,
      verifier: draft.verifier?.outcome,
      ...counters,
      // Another chunk stored its draft first: ours is dropped and theirs is sent.
      lostRace: stored.createdAt !== draft.createdAt || stored.html !== draft.html,
    },
    'email_composed',
  );
  return stored;
};

/**
 * One send.job per distinct recipient, pointing at the draft of the recipient's audience and
 * locale; a recipient whose audience has no issue in scope (no draft) gets none.
 */
export const queueSendJobs = async (
  job: ComposeJob,
  policy: SendPolicy,
  drafts: ReadonlyMap<string, EmailDraft>,
  incomingTraceparent: string | undefined,
  deps: ComposeDeps,
  retry: Retry,
  logger: Log,
): Promise<void> => {
  const traceparent = currentTraceparent() ?? incomingTraceparent;
  const seen = new Set<string>();
  const bodies: { body: string }[] = [];
  let unscoped = 0;
  for (const recipient of job.recipients) {
    if (seen.has(recipient.email)) continue;
    seen.add(recipient.email);
    const draft = drafts.get(groupKey(recipientAudience(policy, recipient).audience.name, recipient.locale));
    if (!draft) {
      unscoped += 1;
      continue;
    }
    const envelope = parseContract(
      'send.job',
      sendJobMessage,
      wrap(
        'send.job',
        sendKey(job, recipient.email),
        {
          versionId: job.versionId,
          projectKey: job.projectKey,
          pointId: job.pointId,
          ...(job.releaseDate !== undefined ? { releaseDate: job.releaseDate } : {}),
          draftKey: draft.key,
          recipient,
          notAfter: notAfterOf(job).toISOString(),
        },
        traceparent,
      ),
    );
    bodies.push({ body: JSON.stringify(envelope) });
  }
  const target = queueName('send', 'main', deps.env ?? '');
  if (bodies.length > 0) await retry('sqs.send', () => deps.queue.send(target, bodies));
  logger.info({ sendJobs: bodies.length, drafts: drafts.size, withoutScope: unscoped }, 'send_jobs_queued');
};
