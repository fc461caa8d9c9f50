import * as z from 'zod';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId } from './jiraVersionWebhook.ts';
import { timeZone } from './timeZone.ts';

/**
 * compose → send (delayed): look at one point's sends in one time zone (every chunk of one firing)
 * and, once they settle, email the owners (policy `notify`) one summary. Every chunk of the point
 * queues one; they converge on one ledger claim, so the owners get one email.
 */
export const pointSummaryPayload = z.object({
  versionId: jiraId,
  projectKey: z.string().min(1),
  pointId: z.string().min(1),
  releaseDate: jiraDate.optional(),
  timeZone: timeZone,
  /** How many chunks the point has in this zone (the compose job's `chunk.count`). */
  chunkCount: z.number().int().min(1),
  /**
   * When compose fanned the chunk out, ISO 8601 UTC: the summary goes out at the latest
   * `settleWithin` (15 min) after it, settled or not.
   */
  fannedOutAt: z.iso.datetime(),
});

/** Payload of point.summary. */
export type PointSummaryJob = z.output<typeof pointSummaryPayload>;

/** Envelope of point.summary. */
export const pointSummaryMessage = envelopeOf('point.summary', pointSummaryPayload);
