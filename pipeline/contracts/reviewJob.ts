import * as z from 'zod';
import { approvalGroup } from './approval.ts';
import { composeJobPayload } from './composeJob.ts';
import { envelopeOf } from './envelope.ts';

/**
 * Scheduler → compose (policy `approval`): write the drafts of one release point ahead of its
 * send time and email them to the approvers. One per point, fired `lead` before the point's
 * earliest due time; the Input of a one-time schedule, so it carries counts, never addresses.
 * The point fields are the compose.job's; `timeZone`, `dueAt` and `notAfter` are those of the
 * point's earliest zone (its due time is when the review links expire).
 */
export const reviewJobPayload = composeJobPayload
  .pick({
    versionId: true,
    projectKey: true,
    pointId: true,
    pointKind: true,
    releaseDate: true,
    timeZone: true,
    dueAt: true,
    notAfter: true,
    snapshotAt: true,
  })
  .extend({
    /** Every audience × locale of the point over all zones, with how many contacts each has. */
    groups: z.array(approvalGroup).min(1, 'a review job needs at least one draft group'),
  });

/** Payload of review.job. */
export type ReviewJob = z.output<typeof reviewJobPayload>;

/** Envelope of review.job. */
export const reviewJobMessage = envelopeOf('review.job', reviewJobPayload);
