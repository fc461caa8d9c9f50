import type { StandInIssue, StandInProject, StandInVersion } from '#test/standins/JiraStandIn';
import type { Pipeline } from './support.ts';

/** One contact to put in a project's directory with {@link putContacts}. */
export interface ContactSeed {
  email: string;
  /** Display name; none by default. */
  name?: string;
  /** BCP 47 language tag, e.g. `en`. */
  locale: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
}

/** Puts each contact in the project's directory, in order, none of them opted out. */
export const putContacts = async (
  p: Pipeline,
  projectKey: string,
  contacts: readonly ContactSeed[],
): Promise<void> => {
  for (const contact of contacts) {
    await p.herald.directory.putContact(projectKey, { ...contact, optedOut: false });
  }
};

/** Puts `project`, its `version` and the version's `issues` in the pipeline's Jira stand-in. */
export const putRelease = (
  p: Pipeline,
  project: StandInProject,
  version: StandInVersion,
  issues: StandInIssue[],
): void => {
  p.jira.putProject(project);
  p.jira.putVersion(version);
  p.jira.setIssues(version.id, issues);
};
