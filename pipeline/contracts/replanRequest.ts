import { wrap } from './envelope.ts';
import { parseContract } from './errors.ts';
import { releaseChangedKey, releaseChangedMessage, versionUpdatedChange } from './releaseChanged.ts';

/**
 * Idempotency keys of a re-plan request (a synthetic release.changed on the enrich queue). Each
 * asker keys its requests so that its redeliveries collapse into one; the formats are stored in
 * the ledger's dedup rows and must not change.
 */
export const replanKey = {
  /**
   * compose found a point's release date moved: one request per point and new date, so every
   * chunk and redelivery of the point asks once (`<version>:replan:<point>@<date|none>`).
   */
  movedPoint: (versionId: string, pointId: string, releaseDate: string | undefined): string =>
    `${versionId}:replan:${pointId}@${releaseDate ?? 'none'}`,
  /**
   * the schedule stage found its snapshot overtaken: one request per snapshot read
   * (`<version>:replan:<readAt>`).
   */
  overtakenSnapshot: (versionId: string, readAt: number): string => `${versionId}:replan:${readAt}`,
  /**
   * `herald replay`: keyed like a webhook delivery ({@link releaseChangedKey},
   * `<version>:jira:version_updated:<occurredAt>`).
   */
  replay: (versionId: string, occurredAt: number): string =>
    releaseChangedKey({ versionId, event: 'jira:version_updated', occurredAt }),
} as const;

/** Options of {@link replanRequest}: what {@link versionUpdatedChange} takes, plus the key. */
export type ReplanRequestOptions = Parameters<typeof versionUpdatedChange>[0] & {
  /** One of {@link replanKey}'s formats. */
  key: string;
  /** The trace the request continues. Default none. */
  traceparent?: string | undefined;
};

/**
 * The one re-plan message: a `jira:version_updated` release.changed envelope for the enrich
 * queue (compose's moved-date skip, the schedule stage's overtaken snapshot, `herald replay`),
 * checked against its contract before it is sent.
 * @returns the envelope, ready for `JSON.stringify`.
 */
export const replanRequest = (options: ReplanRequestOptions) => {
  const { key, traceparent, ...change } = options;
  return parseContract(
    'release.changed',
    releaseChangedMessage,
    wrap('release.changed', key, versionUpdatedChange(change), traceparent),
  );
};
