import {
  type LlmCallOptions,
  LlmOutputError,
  type LlmPort,
  type VerifyAnswer,
  type VerifyRequest,
} from '#adapters/llm/LlmPort';
import type { LlmEmail } from '#contracts/emailDraft';
import type { RetryAttempt } from '#retry/withRetry';
import { PermanentError } from '#shared/errors';
import type { Log } from '#shared/logger';
import {
  applyVerdicts,
  type CheckDraftOptions,
  type GroundingScope,
  type VerdictOutcome,
  verifyItemsOf,
} from './grounding/index.ts';

/** An LLM that has the grounding verifier. */
export type VerifyingLlm = LlmPort & {
  verifyItems(request: VerifyRequest, options?: LlmCallOptions): Promise<VerifyAnswer>;
};

/** Whether an LLM has the grounding verifier. */
export const canVerify = (llm: LlmPort): llm is VerifyingLlm => typeof llm.verifyItems === 'function';

/** The call counters of one draft the verifier adds to. */
export interface VerifierCounters {
  llmCalls: number;
  verifierCalls: number;
  promptTokens: number;
  completionTokens: number;
}

/** What {@link verifyAnswer} needs besides the email. */
export interface VerifyAnswerContext {
  llm: VerifyingLlm;
  scope: GroundingScope;
  checks: CheckDraftOptions;
  counters: VerifierCounters;
  /** Runs the call with tracing and in-call retries (compose's `retry`). */
  retry: <T>(name: string, fn: (attempt: RetryAttempt) => Promise<T>) => Promise<T>;
  logger: Log;
}

/** {@link VerdictOutcome}, or `unavailable` when the verifier gave no usable answer. */
export type VerifyResult = (VerdictOutcome & { model: string }) | { kind: 'unavailable' };

/**
 * The grounding verifier's one call for a draft that passed the deterministic checks: each item
 * with only the issues it cites, judged supported or not ({@link applyVerdicts} decides what
 * stays). An unusable answer (refusal, bad JSON: `LlmOutputError`) or a refused request
 * (PermanentError) is `unavailable`: the deterministic checks alone then decide. Transient
 * errors, once the in-call retries give up, are rethrown for the redelivery ladder, as the
 * writer's are.
 */
export const verifyAnswer = async (email: LlmEmail, ctx: VerifyAnswerContext): Promise<VerifyResult> => {
  const items = verifyItemsOf(email);
  const cited = new Set(items.flatMap((item) => item.issueKeys));
  const request: VerifyRequest = {
    locale: ctx.scope.locale,
    items,
    issues: ctx.scope.issues.filter((issue) => cited.has(issue.key)),
  };
  ctx.counters.llmCalls += 1;
  ctx.counters.verifierCalls += 1;
  let answer: VerifyAnswer;
  try {
    answer = await ctx.retry('llm.verify_items', ({ signal }) => ctx.llm.verifyItems(request, { signal }));
  } catch (err) {
    if (!(err instanceof PermanentError) && !(err instanceof LlmOutputError)) throw err;
    // A failed answer still cost tokens.
    const usage = err instanceof LlmOutputError ? err.usage : undefined;
    ctx.counters.promptTokens += usage?.promptTokens ?? 0;
    ctx.counters.completionTokens += usage?.completionTokens ?? 0;
    ctx.logger.warn({ err, locale: request.locale }, 'llm_verifier_unavailable');
    return { kind: 'unavailable' };
  }
  ctx.counters.promptTokens += answer.usage.promptTokens;
  ctx.counters.completionTokens += answer.usage.completionTokens;
  const outcome = applyVerdicts(email, answer.verdicts, ctx.scope, ctx.checks);
  if (outcome.removed.length > 0) {
    ctx.logger.warn(
      {
        locale: request.locale,
        outcome: outcome.kind,
        removed: outcome.removed.map(({ issueKeys, reason }) => ({ issueKeys, reason })),
      },
      'llm_items_unsupported',
    );
  }
  return { ...outcome, model: answer.model };
};
