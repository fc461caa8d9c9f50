import { STAGES } from '#topology/topology';

/**
 * Every Lambda function of the stack; `npm run build` bundles each to `dist/<name>/index.mjs`.
 * The queue stages plus the webhook entry, the rescheduler and the SES feedback handler.
 */
export const FUNCTION_NAMES = ['webhook', ...STAGES, 'rescheduler', 'feedback'] as const;

/** One of {@link FUNCTION_NAMES}. */
export type FunctionName = (typeof FUNCTION_NAMES)[number];
