import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { audienceOf } from '#stages/compose/releaseScope';

/** The audiences a project's policy defines (`all` always), read once per project. */
export const projectAudiences = (directory: DirectoryPort) => {
  const cache = new Map<string, Promise<Set<string>>>();
  return (project: string): Promise<Set<string>> => {
    let names = cache.get(project);
    if (!names) {
      names = directory.getPolicy(project).then((stored) => {
        const policy = stored ?? DEFAULT_SEND_POLICY;
        return new Set([DEFAULT_AUDIENCE, ...(policy.audiences ?? []).map((a) => a.name)]);
      });
      cache.set(project, names);
    }
    return names;
  };
};

/** Why a contact's audience cannot be stored, or undefined when the project's policy defines it. */
export const unknownAudienceProblem = (
  project: string,
  audience: string | undefined,
  known: ReadonlySet<string>,
): string | undefined =>
  audience === undefined || known.has(audience)
    ? undefined
    : `audience: project ${project} defines no audience "${audience}" (it has ${[...known].join(', ')}); define it first with herald policy audience set ${project} ${audience}`;

/** The `herald contacts list` warning of a contact whose audience the policy no longer defines. */
export const audienceWarning = (
  policy: Parameters<typeof audienceOf>[0],
  audience: string | undefined,
): string | undefined =>
  audience === undefined || audienceOf(policy, audience)
    ? undefined
    : `audience "${audience}" is not in the policy: gets the emails of ${DEFAULT_AUDIENCE}`;
