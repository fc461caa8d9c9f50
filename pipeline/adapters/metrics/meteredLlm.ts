import type { LlmPort, LlmUsage } from '#adapters/llm/LlmPort';
import { LlmOutputError } from '#adapters/llm/errors';
import { METRIC_NAMES, type MetricsPort } from './MetricsPort.ts';

const countUsage = (metrics: MetricsPort, usage: LlmUsage | undefined): void => {
  if (!usage) return;
  metrics.count(METRIC_NAMES.llmPromptTokens, usage.promptTokens);
  metrics.count(METRIC_NAMES.llmCompletionTokens, usage.completionTokens);
};

/**
 * `llm` with the tokens of every answer counted ({@link METRIC_NAMES.llmPromptTokens},
 * {@link METRIC_NAMES.llmCompletionTokens}), those of a rejected answer ({@link LlmOutputError})
 * included: they were paid for. Answers and errors pass through unchanged.
 */
export const meteredLlm = (llm: LlmPort, metrics: MetricsPort): LlmPort => {
  const metered = async <T extends { usage: LlmUsage }>(call: Promise<T>): Promise<T> => {
    try {
      const answer = await call;
      countUsage(metrics, answer.usage);
      return answer;
    } catch (err) {
      if (err instanceof LlmOutputError) countUsage(metrics, err.usage);
      throw err;
    }
  };
  const { verifyItems } = llm;
  return {
    writeEmail: (request, options) => metered(llm.writeEmail(request, options)),
    ...(verifyItems
      ? { verifyItems: (request, options) => metered(verifyItems.call(llm, request, options)) }
      : {}),
  };
};
