import * as z from 'zod';
import { recipient } from './contact.ts';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId, VERSION_EVENTS } from './jiraVersionWebhook.ts';
import { sendPolicy } from './sendPolicy.ts';
import { timeZone } from './timeZone.ts';

/** Lifecycle state of a version as enrich found it in Jira. */
export const RELEASE_STATES = ['active', 'released', 'archived', 'deleted'] as const;

/** A version as read fresh from Jira. */
export const versionState = z.object({
  id: jiraId,
  name: z.string(),
  description: z.string().optional(),
  releaseDate: jiraDate.optional(),
  released: z.boolean(),
  archived: z.boolean(),
});

/** A version as read fresh from Jira. */
export type VersionState = z.output<typeof versionState>;

/** A schedulable recipient: a recipient with the time zone they get their emails in. */
export const scheduledRecipient = recipient.extend({ timeZone: timeZone });

/** A schedulable recipient. */
export type ScheduledRecipient = z.output<typeof scheduledRecipient>;

/** enrich → schedule: the release as it is now, with who to tell and when. */
export const releaseSnapshotPayload = z.object({
  event: z.enum(VERSION_EVENTS),
  occurredAt: z.number().int().nonnegative(),
  versionId: jiraId,
  projectId: jiraId,
  projectKey: z.string().min(1),
  state: z.enum(RELEASE_STATES),
  /** Null when the version is deleted. */
  version: versionState.nullable(),
  /**
   * When enrich read the version from Jira, epoch milliseconds. The schedule stage drops a
   * snapshot older than one it already applied to the release (SQS does not keep order).
   */
  readAt: z.number().int().nonnegative(),
  policy: sendPolicy,
  /** Contacts not opted out, each with their effective time zone and locale. */
  recipients: z.array(scheduledRecipient),
});

/** Payload of release.snapshot. */
export type ReleaseSnapshot = z.output<typeof releaseSnapshotPayload>;

/** Envelope of release.snapshot. */
export const releaseSnapshotMessage = envelopeOf('release.snapshot', releaseSnapshotPayload);
