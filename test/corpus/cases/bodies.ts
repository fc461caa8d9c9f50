import { createHmac } from 'node:crypto';
import type { VersionEvent } from '#contracts/jiraVersionWebhook';
import type { CaseIds } from '../types.ts';

/** Options of {@link versionWebhookBody}. */
export interface VersionWebhookOptions {
  /** Default `jira:version_created`. */
  event?: string;
  /** Raw fields merged over the `version` object; `undefined` values remove a field. */
  version?: Record<string, unknown>;
  /** Raw top-level fields merged into the body (after the defaults, so they can replace them). */
  extra?: Record<string, unknown>;
}

/**
 * The body Jira Cloud POSTs for a version event of the case's version, marked with the case
 * (`"corpusCase":"<marker>"`, a field Jira does not send and every stage keeps).
 */
export const versionWebhookObject = (
  ids: CaseIds,
  options: VersionWebhookOptions = {},
): Record<string, unknown> => {
  const version: Record<string, unknown> = {
    self: `https://example.atlassian.net/rest/api/3/version/${ids.versionId}`,
    id: ids.versionId,
    name: `Release ${ids.projectKey}`,
    archived: false,
    released: false,
    releaseDate: ids.releaseDate,
    projectId: Number(ids.projectId),
    ...options.version,
  };
  for (const [key, value] of Object.entries(version)) if (value === undefined) delete version[key];
  return {
    timestamp: ids.now.getTime(),
    webhookEvent: options.event ?? ('jira:version_created' satisfies VersionEvent),
    version,
    corpusCase: ids.marker,
    ...options.extra,
  };
};

/** {@link versionWebhookObject} as JSON text. */
export const versionWebhookBody = (ids: CaseIds, options: VersionWebhookOptions = {}): string =>
  JSON.stringify(versionWebhookObject(ids, options));

/** `sha256=<hex>`: Jira's signature of `body` under `secret`. */
export const sign = (body: Buffer | string, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
