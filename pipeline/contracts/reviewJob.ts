import { z } from 'zod';
import { approvalGroup } from './approval.ts';
import { POINT_KINDS } from './composeJob.ts';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId } from './jiraVersionWebhook.ts';
import { timeZone } from './timeZone.ts';

/**
 * Scheduler → compose (policy `approval`): write the drafts of one release point ahead of its
 * send time and email them to the approvers. One per point, fired `lead` before the point's
 * earliest due time; the Input of a one-time schedule, so it carries counts, never addresses.
 */
export const reviewJobPayload = z.object({
  versionId: jiraId,
  projectKey: z.string().min(1),
  pointId: z.string().min(1),
  pointKind: z.enum(POINT_KINDS),
  /** Release date the point was computed from; compose skips the job if Jira now says otherwise. */
  releaseDate: jiraDate.optional(),
  /** Time zone of the earliest zone of the point (for the "in N days" of the drafts). */
  timeZone: timeZone,
  /** The point's earliest send time over its zones, ISO 8601 UTC: the review links expire then. */
  dueAt: z.iso.datetime(),
  /** Deadline of the earliest zone, ISO 8601 UTC. */
  notAfter: z.iso.datetime().optional(),
  /** `readAt` of the release.snapshot the schedule was made from, epoch ms. */
  snapshotAt: z.number().int().nonnegative().optional(),
  /** Every audience × locale of the point over all zones, with how many contacts each has. */
  groups: z.array(approvalGroup).min(1, 'a review job needs at least one draft group'),
});

/** Payload of review.job. */
export type ReviewJob = z.output<typeof reviewJobPayload>;

/** Envelope of review.job. */
export const reviewJobMessage = envelopeOf('review.job', reviewJobPayload);
