import { type EmailAnswer, type EmailRequest, LlmOutputError, type LlmPort } from '#adapters/llm/LlmPort';
import type { EmailDraft } from '#contracts/emailDraft';
import type { TracedRetry } from '#retry/tracedRetry';
import { PermanentError } from '#shared/errors';
import type { Log } from '#shared/logger';
import {
  checkDraft,
  coverageShort,
  type DraftProblems,
  draftFeedback,
  draftHasProblems,
  type GroundingScope,
  type RemovedItem,
} from './grounding/index.ts';
import { canVerify, verifyAnswer } from './verifyAnswer.ts';

/** LLM usage of one draft: the counters the `email_composed` line exports (a benchmark reads them). */
export interface LlmCounters {
  /** Every call, the verifier's included. */
  llmCalls: number;
  /** Grounding verifier calls (at most 1 per draft). */
  verifierCalls: number;
  promptTokens: number;
  completionTokens: number;
}

/** How an answer is checked: the scope it may talk about and the policy's switches. */
export interface AnswerChecks {
  scope: GroundingScope;
  minCoverage: number | undefined;
  /** Run the grounding verifier (policy `verifyGrounding` and an LLM that has it). */
  verify: boolean;
}

/** The problems of an answer (none: it may be sent): grounding, content policy, coverage. */
const problemsOf = (answer: EmailAnswer, checks: AnswerChecks): DraftProblems =>
  checkDraft(answer.email, checks.scope, { minCoverage: checks.minCoverage });

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

/** A usable answer and what the verifier made of it. */
export interface Written {
  answer: EmailAnswer;
  removedItems: RemovedItem[];
  verifier?: EmailDraft['verifier'];
}

/** Options of {@link writeWithLlm}. */
export interface WriteWithLlmOptions {
  llm: LlmPort;
  /** The first ask; the retry adds `feedback`. */
  request: EmailRequest;
  checks: AnswerChecks;
  /** Added to as the calls are made (failed answers' tokens too). */
  counters: LlmCounters;
  retry: TracedRetry;
  logger: Log;
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
export const writeWithLlm = async ({
  llm,
  request,
  checks,
  counters,
  retry,
  logger,
}: WriteWithLlmOptions): Promise<Written | null> => {
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
    if (draftHasProblems(problems)) {
      logProblems(problems, request.locale, logger);
      // The one retry's feedback names every problem of the first answer.
      feedback = draftFeedback(problems);
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
