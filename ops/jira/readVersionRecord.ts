import { getVersion } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import { JiraRequestError, JiraResponseError } from '#adapters/jira/errors';
import { translateJiraError } from '#adapters/jira/translateJiraError';
import { jiraVersionResponse } from '#adapters/jira/jiraResponses';
import { describeIssues } from '#contracts/errors';
import type { VersionState } from '#contracts/releaseSnapshot';

/** A version with the id of its project (what a replayed release.changed needs). */
export interface VersionRecord extends VersionState {
  /** Id of the version's project; undefined when Jira's answer lacks it. */
  projectId: string | undefined;
}

/** Reads one version; null when Jira answers 404 (deleted). */
export type ReadVersion = (versionId: string) => Promise<VersionRecord | null>;

const VERSION_ID = /^\d{1,18}$/;

/**
 * `GET /rest/api/3/version/{id}` through jira.js, keeping `projectId`, which `JiraPort.getVersion`
 * leaves out (the stages get it from the webhook). Errors are translated as the Jira adapter
 * does (`translateJiraError`); 404 resolves to null.
 */
export const readVersionRecord = async (client: Client, versionId: string): Promise<VersionRecord | null> => {
  const context = { operation: 'getVersion', path: `/rest/api/3/version/${versionId}`, versionId };
  if (!VERSION_ID.test(versionId)) {
    throw new JiraRequestError(
      'jira_bad_request',
      `Jira getVersion: "${versionId.slice(0, 40)}" is not a version id`,
      {
        ...context,
        status: undefined,
      },
    );
  }
  let raw: unknown;
  try {
    raw = await getVersion(client, { id: versionId });
  } catch (err) {
    const translated = translateJiraError(err, context);
    if (translated instanceof JiraRequestError && translated.status === 404) return null;
    throw translated;
  }
  const parsed = jiraVersionResponse.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    throw new JiraResponseError(
      `Jira getVersion ${context.path} answered an unexpected shape: ${problems.join('; ')}`,
      {
        ...context,
        status: undefined,
        problems,
      },
    );
  }
  const v = parsed.data;
  return {
    id: v.id,
    name: v.name,
    ...(v.description !== undefined ? { description: v.description } : {}),
    ...(v.releaseDate !== undefined ? { releaseDate: v.releaseDate } : {}),
    released: v.released ?? false,
    archived: v.archived ?? false,
    projectId: v.projectId,
  };
};
