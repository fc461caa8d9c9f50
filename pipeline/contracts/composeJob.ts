import * as z from 'zod';
import { recipient } from './contact.ts';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId } from './jiraVersionWebhook.ts';
import { timeZone } from './timeZone.ts';

/** `before`: a point relative to the release date; `on_release`: sent when the version is released. */
export const POINT_KINDS = ['before', 'on_release'] as const;

/**
 * Scheduler → compose: one release point for one chunk of recipients in one time zone.
 * This is the Input of a one-time schedule, so it must stay under Scheduler's Input limit.
 */
export const composeJobPayload = z.object({
  versionId: jiraId,
  projectKey: z.string().min(1),
  pointId: z.string().min(1),
  pointKind: z.enum(POINT_KINDS),
  /** Release date the point was computed from; compose skips the job if Jira now says otherwise. */
  releaseDate: jiraDate.optional(),
  timeZone: timeZone,
  /** When the point was due, ISO 8601 UTC. */
  dueAt: z.iso.datetime(),
  chunk: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  recipients: z.array(recipient).min(1, 'a compose job needs at least one recipient'),
  /**
   * `readAt` of the release.snapshot the schedule was made from, epoch milliseconds: the schedule
   * stage's watermark against out-of-order snapshots. Absent in jobs scheduled before it existed.
   */
  snapshotAt: z.number().int().nonnegative().optional(),
  /**
   * Deadline of the point, ISO 8601 UTC: past it compose records the point `missed` and sends
   * nothing. Absent in jobs scheduled before it existed: then `dueAt` + the default lateness.
   */
  notAfter: z.iso.datetime().optional(),
});

/** Payload of compose.job. */
export type ComposeJob = z.output<typeof composeJobPayload>;

/** Envelope of compose.job. */
export const composeJobMessage = envelopeOf('compose.job', composeJobPayload);
