import * as z from 'zod';
import { envelopeOf } from './envelope.ts';
import { jiraDate, jiraId, VERSION_EVENTS } from './jiraVersionWebhook.ts';

/** ingest → enrich: a version changed. Only ids and hints; enrich re-reads the truth from Jira. */
export const releaseChangedPayload = z.object({
  event: z.enum(VERSION_EVENTS),
  versionId: jiraId,
  projectId: jiraId,
  /** Webhook timestamp, epoch ms. */
  occurredAt: z.number().int().nonnegative(),
  /** What the webhook said; informative only (releaseDate is often absent from webhooks). */
  hint: z
    .object({
      name: z.string().optional(),
      releaseDate: jiraDate.optional(),
      released: z.boolean().optional(),
      archived: z.boolean().optional(),
    })
    .default({}),
});

/** Payload of release.changed. */
export type ReleaseChanged = z.output<typeof releaseChangedPayload>;

/** Envelope of release.changed. */
export const releaseChangedMessage = envelopeOf('release.changed', releaseChangedPayload);

/** Idempotency key of a release change: one per webhook delivery content, so Jira's retries collapse. */
export const releaseChangedKey = (p: Pick<ReleaseChanged, 'versionId' | 'event' | 'occurredAt'>): string =>
  `${p.versionId}:${p.event}:${p.occurredAt}`;

/**
 * A synthetic `jira:version_updated` change: what the pipeline puts on the enrich queue itself
 * to have a release re-read and re-planned (compose's moved-date skip, the schedule stage's
 * overtaken snapshot, `herald replay`). Hints come from `version` when the caller read it.
 */
export const versionUpdatedChange = (options: {
  versionId: string;
  projectId: string;
  occurredAt: number;
  version?:
    | { name: string; releaseDate?: string | undefined; released: boolean; archived: boolean }
    | undefined;
}): ReleaseChanged => ({
  event: 'jira:version_updated',
  versionId: options.versionId,
  projectId: options.projectId,
  occurredAt: options.occurredAt,
  hint:
    options.version === undefined
      ? {}
      : {
          name: options.version.name,
          ...(options.version.releaseDate !== undefined ? { releaseDate: options.version.releaseDate } : {}),
          released: options.version.released,
          archived: options.version.archived,
        },
});
