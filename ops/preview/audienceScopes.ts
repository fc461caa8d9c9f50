import type { JiraPort } from '#adapters/jira/JiraPort';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import type { SendPolicy } from '#contracts/sendPolicy';
import { UsageError } from '#ops/cli/errors';
import { audienceOf, type LeftOutIssue, ReleaseScope } from '#stages/compose/releaseScope';

/** What one audience would hear about a release, as `herald preview` shows it. */
export interface AudienceScopeView {
  audience: string;
  /** The audience's own scope (ANDed with the project's), when it has one. */
  audienceScope?: string | undefined;
  /** Issues its emails may mention. */
  inScope: Array<{ key: string; summary: string }>;
  /** Issues of the release it does not hear about, with the reason. */
  leftOut: LeftOutIssue[];
}

/**
 * The audiences to preview: the one asked for, else `all` and every audience of the policy.
 * @throws UsageError naming the policy's audiences when `asked` is not one of them.
 */
export const audiencesToPreview = (
  policy: SendPolicy,
  projectKey: string,
  asked: string | undefined,
): string[] => {
  const names = [
    DEFAULT_AUDIENCE,
    ...(policy.audiences ?? []).map((a) => a.name).filter((n) => n !== DEFAULT_AUDIENCE),
  ];
  if (asked === undefined) return names;
  const name = asked.trim().toLowerCase();
  if (!names.includes(name))
    throw new UsageError(`project ${projectKey} has no audience "${asked}"; it has ${names.join(', ')}`);
  return [name];
};

/**
 * The scope of each audience, read from Jira exactly as the compose stage reads it
 * ({@link ReleaseScope}: the release, the project scope, each audience's scope).
 */
export const audienceScopes = async (options: {
  jira: JiraPort;
  versionId: string;
  projectKey: string;
  policy: SendPolicy;
  audiences: readonly string[];
  maxIssues?: number | undefined;
}): Promise<AudienceScopeView[]> => {
  const { jira, versionId, policy } = options;
  const scope = new ReleaseScope({
    projectKey: options.projectKey,
    policy,
    read: (conditions) =>
      jira.listReleaseIssues(versionId, {
        scope: conditions,
        releaseNoteField: policy.releaseNoteField,
        ...(options.maxIssues !== undefined ? { maxIssues: options.maxIssues } : {}),
      }),
  });
  const views: AudienceScopeView[] = [];
  for (const name of options.audiences) {
    const audience = audienceOf(policy, name) ?? { name };
    const scoped = await scope.of(audience);
    views.push({
      audience: name,
      ...(audience.scope ? { audienceScope: audience.scope } : {}),
      inScope: scoped.inScope.map((i) => ({ key: i.key, summary: i.summary })),
      leftOut: scoped.leftOut,
    });
  }
  return views;
};

const REASON_TEXT: Record<LeftOutIssue['reason'], string> = {
  security_level: 'security level',
  label: 'label',
  project_scope: 'project scope',
  audience_scope: 'audience scope',
};

/** The scope views as text: per audience, the issues in scope and the left-out ones with why. */
export const renderAudienceScopes = (views: readonly AudienceScopeView[]): string =>
  views
    .map((view) =>
      [
        `audience ${view.audience}${view.audienceScope ? ` (scope: ${view.audienceScope})` : ''}: ${view.inScope.length} in scope, ${view.leftOut.length} left out`,
        ...view.inScope.map((i) => `  + ${i.key}  ${i.summary}`),
        ...view.leftOut.map(
          (i) => `  - ${i.key}  left out: ${REASON_TEXT[i.reason]}${i.detail ? ` (${i.detail})` : ''}`,
        ),
        ...(view.inScope.length === 0
          ? ['  compose would send this audience nothing: no issue in scope']
          : []),
      ].join('\n'),
    )
    .join('\n');
