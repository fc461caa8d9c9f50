import * as z from 'zod';

/**
 * What the verifier model returns: one verdict per item of the draft it was shown, by the item's
 * id (`s0i2`: section 0, item 2). Structured output, like `llmEmail`.
 */
export const groundingVerdict = z.object({
  items: z
    .array(
      z.object({
        /** The item's id as given in the request. */
        id: z.string().min(1).max(20),
        /** Whether the cited issues back everything the item says. */
        supported: z.boolean(),
        /** One short sentence: what is not backed, or why it is. */
        reason: z.string().max(300),
      }),
    )
    .max(1000),
});

/** The verifier model's structured answer. */
export type GroundingVerdict = z.output<typeof groundingVerdict>;
