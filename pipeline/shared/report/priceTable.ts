/** USD per one million tokens of one model: prompt (input) and completion (output). */
export interface ModelPrice {
  promptPerMillion: number;
  completionPerMillion: number;
}

/**
 * OpenAI's list prices (standard tier, USD per 1M tokens) as published in 2025 for the models a
 * team is likely to set as OPENAI_MODEL. Only an estimate: cached input, batch and regional
 * pricing differ, and prices change; `herald report` labels every figure "estimate".
 */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4.1': { promptPerMillion: 2, completionPerMillion: 8 },
  'gpt-4.1-mini': { promptPerMillion: 0.4, completionPerMillion: 1.6 },
  'gpt-4.1-nano': { promptPerMillion: 0.1, completionPerMillion: 0.4 },
  'gpt-4o': { promptPerMillion: 2.5, completionPerMillion: 10 },
  'gpt-4o-mini': { promptPerMillion: 0.15, completionPerMillion: 0.6 },
};

/** The model whose price applies to a model not in {@link MODEL_PRICES}: the default OPENAI_MODEL. */
export const DEFAULT_PRICED_MODEL = 'gpt-4.1-mini';

/** Token counts of one draft. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** An estimated cost and the price it used. */
export interface CostEstimate {
  /** USD, an estimate. */
  usd: number;
  /** The model whose price was applied (the draft's, or {@link DEFAULT_PRICED_MODEL} when unknown). */
  pricedAs: string;
}

/**
 * The estimated cost of `usage` at `model`'s price. A model not in the table (a dated snapshot
 * such as `gpt-4.1-mini-2025-04-14` is matched by its prefix) is priced as
 * {@link DEFAULT_PRICED_MODEL}.
 */
export const estimateCost = (model: string | undefined, usage: TokenUsage): CostEstimate => {
  const known = Object.keys(MODEL_PRICES)
    .filter((name) => model === name || model?.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  const pricedAs = known ?? DEFAULT_PRICED_MODEL;
  const price = MODEL_PRICES[pricedAs] as ModelPrice;
  const usd =
    (usage.promptTokens * price.promptPerMillion + usage.completionTokens * price.completionPerMillion) / 1e6;
  return { usd, pricedAs };
};
