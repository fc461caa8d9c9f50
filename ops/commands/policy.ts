import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JqlValidator } from '#adapters/jira/JiraPort';
import { emailAddress } from '#contracts/contact';
import { parseContract } from '#contracts/errors';
import { type Audience, DEFAULT_ISSUE_SCOPE } from '#contracts/issueScope';
import {
  DEFAULT_MAX_LATENESS,
  DEFAULT_SEND_POLICY,
  formatDurationSpec,
  formatPointSpec,
  parseDurationSpec,
  parsePointSpecs,
  type SendPolicy,
  sendPolicy,
} from '#contracts/sendPolicy';
import { OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderPairs } from '#ops/cli/table';
import { directoryOf } from '#ops/directory/directoryOf';
import { checkScopes, type ScopeCheckOutcome, type ScopeToCheck } from '#ops/jira/checkScopes';
import { opsJira } from '#ops/jira/jiraAccess';
import { type ApprovalChanges, describeApproval, nextApproval } from './policyApproval.ts';
import { COVERAGE_DEFAULT_MAX_ISSUES, DEFAULT_MIN_COVERAGE } from '#stages/compose/grounding/index';

/** A project's policy, and whether it is the default (the project has none stored). */
export interface PolicyView {
  project: string;
  isDefault: boolean;
  policy: SendPolicy;
  /** The points as specs, in policy order (`-7d@09:00`). */
  points: string[];
  /** The issue scope in force (the policy's, else the default). */
  scope: string;
  /** True when the policy names no scope and the default applies. */
  scopeIsDefault: boolean;
}

/** How a scope given to `policy set` is checked with Jira. */
export interface ScopeValidation {
  /** Jira's JQL parser; a rejection means Jira is unreachable (not configured, down). */
  validator: () => Promise<JqlValidator>;
  /** Store unchecked when Jira cannot be reached. Default false. */
  force?: boolean | undefined;
}

/** The `scope` word that puts the default scope back. */
export const DEFAULT_SCOPE_WORD = 'default';

/** What `policy set` changes; absent fields keep their value. */
export interface PolicyChanges {
  /** Comma-separated point specs (`-7d@09:00,-1d@09:00,0d@09:00`); empty for none. */
  points?: string | undefined;
  timeZone?: string | undefined;
  defaultLocale?: string | undefined;
  onRelease?: boolean | undefined;
  /** Least share of in-scope issues a draft must mention, 0..1. */
  minCoverage?: number | undefined;
  /** Have the grounding verifier check each item of a model-written draft. */
  verifyGrounding?: boolean | undefined;
  /** JQL condition ANDed with the fixVersion; `default` puts {@link DEFAULT_ISSUE_SCOPE} back. */
  scope?: string | undefined;
  /** Release-note custom field id; false removes it. */
  releaseNoteField?: string | false | undefined;
  /** `none`, `keys` or `links`. */
  references?: string | undefined;
  /** https URL with `{key}`; empty removes it. */
  linkTemplate?: string | undefined;
  /** From display name; empty goes back to the default (project name + " releases"). */
  fromName?: string | undefined;
  /** Reply-To address; empty removes it. */
  replyTo?: string | undefined;
  /** Footer line; empty removes it. */
  footer?: string | undefined;
  /** How late a point may still go out (`6h`, `90m`), 5m..48h. */
  maxLateness?: string | undefined;
  /** A point already due when planned: `now` (caught up within the lateness) or `skip` (missed). */
  catchUp?: 'now' | 'skip' | undefined;
  /** Review before send (policy `approval`): approvers, lead, onTimeout, on/off. */
  approval?: ApprovalChanges | undefined;
  /** Owners' summary addresses, comma-separated; empty removes them. */
  notify?: string | undefined;
}

/** `value` for a set, undefined for an empty string (removes the setting), the current value when not named. */
const changed = <T>(value: string | undefined, current: T): string | T | undefined =>
  value === undefined ? current : value.trim() === '' ? undefined : value;

/** The presentation settings of `changes` applied to `policy` (see {@link PolicyChanges}). */
const withPresentation = (policy: SendPolicy, changes: PolicyChanges): Record<string, unknown> => {
  const sender = {
    fromName: changed(changes.fromName, policy.sender.fromName),
    replyTo: changed(changes.replyTo, policy.sender.replyTo),
    footer: changed(changes.footer, policy.sender.footer),
  };
  const linkTemplate = changed(changes.linkTemplate, policy.linkTemplate);
  return {
    references: changes.references ?? policy.references,
    ...(linkTemplate !== undefined ? { linkTemplate } : {}),
    sender: Object.fromEntries(Object.entries(sender).filter(([, v]) => v !== undefined)),
  };
};

const viewOf = (project: string, policy: SendPolicy, isDefault: boolean): PolicyView => ({
  project,
  isDefault,
  policy,
  points: policy.points.map(formatPointSpec),
  scope: policy.scope ?? DEFAULT_ISSUE_SCOPE,
  scopeIsDefault: policy.scope === undefined,
});

/** `policy` with `key` set to `value`, or without `key` when `value` is undefined. */
const withField = <K extends 'scope' | 'releaseNoteField' | 'audiences' | 'approval' | 'notify'>(
  policy: SendPolicy,
  key: K,
  value: SendPolicy[K] | undefined,
): SendPolicy => {
  const next: SendPolicy = { ...policy };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
};

/**
 * The owners' addresses of `--notify` (comma-separated; empty: none), each checked as an
 * address and refused when it is a client contact of the project: summaries never go to clients.
 */
const ownersOf = async (
  directory: DirectoryPort,
  project: string,
  list: string,
): Promise<string[] | undefined> => {
  const owners = [
    ...new Set(
      list
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    ),
  ].map((a) => parseContract('notify address', emailAddress, a));
  for (const owner of owners) {
    if ((await directory.getContact(project, owner)) !== null) {
      throw new UsageError(
        `${owner} is a client contact of ${project}: owners' summaries never go to clients`,
      );
    }
  }
  return owners.length > 0 ? owners : undefined;
};

/** The stored policy of a project, or the default one. */
export const showPolicy = async (directory: DirectoryPort, project: string): Promise<PolicyView> => {
  const stored = await directory.getPolicy(project);
  return viewOf(project, stored ?? DEFAULT_SEND_POLICY, stored === null);
};

/**
 * Changes a project's policy (starting from the stored one, else the default) and stores it. A
 * new scope is validated with Jira first ({@link checkScopes}).
 * @throws ContractError (exit 2) naming a bad point spec, time zone, locale, scope or field id;
 *   UsageError (exit 2) with Jira's message when Jira rejects the scope; OpsError when Jira cannot
 *   be reached without `force`. Nothing is stored then.
 */
export const setPolicy = async (
  directory: DirectoryPort,
  project: string,
  changes: PolicyChanges,
  validation?: ScopeValidation,
): Promise<{ before: PolicyView; after: PolicyView; scopeCheck: ScopeCheckOutcome }> => {
  const before = await showPolicy(directory, project);
  const { linkTemplate: _dropped, ...kept } = before.policy;
  let next = parseContract('send policy', sendPolicy, {
    ...kept,
    ...withPresentation(before.policy, changes),
    ...(changes.points !== undefined ? { points: parsePointSpecs(changes.points) } : {}),
    ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
    ...(changes.defaultLocale !== undefined ? { defaultLocale: changes.defaultLocale } : {}),
    ...(changes.onRelease !== undefined ? { onRelease: changes.onRelease } : {}),
    ...(changes.minCoverage !== undefined ? { minCoverage: changes.minCoverage } : {}),
    ...(changes.verifyGrounding !== undefined ? { verifyGrounding: changes.verifyGrounding } : {}),
    ...(changes.maxLateness !== undefined
      ? { maxLateness: formatDurationSpec(parseDurationSpec(changes.maxLateness)) }
      : {}),
    ...(changes.catchUp !== undefined ? { catchUp: changes.catchUp } : {}),
  });
  const resetScope = changes.scope?.trim().toLowerCase() === DEFAULT_SCOPE_WORD;
  if (changes.scope !== undefined) next = withField(next, 'scope', resetScope ? undefined : changes.scope);
  if (changes.releaseNoteField !== undefined)
    next = withField(next, 'releaseNoteField', changes.releaseNoteField || undefined);
  if (changes.approval !== undefined)
    next = withField(next, 'approval', nextApproval(next.approval, changes.approval));
  if (changes.notify !== undefined)
    next = withField(next, 'notify', await ownersOf(directory, project, changes.notify));
  next = parseContract('send policy', sendPolicy, next);
  const toCheck: ScopeToCheck[] =
    next.scope !== undefined && changes.scope !== undefined ? [{ field: 'scope', jql: next.scope }] : [];
  const scopeCheck = await storeChecked(directory, { project, policy: next, scopes: toCheck, validation });
  return { before, after: viewOf(project, next, false), scopeCheck };
};

/** A policy to store once the scopes it changed pass Jira's check ({@link storeChecked}). */
interface CheckedPolicy {
  project: string;
  policy: SendPolicy;
  /** The scopes this change set; none: nothing to check. */
  scopes: ScopeToCheck[];
  /** How to reach Jira; undefined: a scope to check is a UsageError. */
  validation: ScopeValidation | undefined;
}

/** Checks `scopes` with Jira (when there are any), then stores `policy`. */
const storeChecked = async (
  directory: DirectoryPort,
  { project, policy, scopes, validation }: CheckedPolicy,
): Promise<ScopeCheckOutcome> => {
  const scopeCheck =
    scopes.length === 0
      ? { checked: true }
      : await checkScopes(
          project,
          scopes,
          validation?.validator ?? (() => Promise.reject(new UsageError('no Jira to validate with'))),
          validation?.force === true,
        );
  await directory.putPolicy(project, policy);
  return scopeCheck;
};

/**
 * Adds or replaces one audience of a project's policy; its scope is validated with Jira first.
 * @throws as {@link setPolicy}.
 */
export const setAudience = async (
  directory: DirectoryPort,
  project: string,
  audience: { name: string; scope?: string | undefined; instructions?: string | undefined },
  validation?: ScopeValidation,
): Promise<{ after: PolicyView; audience: Audience; scopeCheck: ScopeCheckOutcome }> => {
  const before = await showPolicy(directory, project);
  const others = (before.policy.audiences ?? []).filter((a) => a.name !== audience.name.trim().toLowerCase());
  const next = parseContract('send policy', sendPolicy, {
    ...before.policy,
    audiences: [
      ...others,
      {
        name: audience.name,
        ...(audience.scope ? { scope: audience.scope } : {}),
        ...(audience.instructions ? { instructions: audience.instructions } : {}),
      },
    ],
  });
  const stored = next.audiences?.at(-1) as Audience;
  const toCheck = stored.scope ? [{ field: `audiences.${stored.name}.scope`, jql: stored.scope }] : [];
  const scopeCheck = await storeChecked(directory, { project, policy: next, scopes: toCheck, validation });
  return { after: viewOf(project, next, false), audience: stored, scopeCheck };
};

/**
 * Removes one audience from a project's policy; its contacts then get the emails of `all`.
 * @throws OpsError when the policy has no such audience.
 */
export const removeAudience = async (
  directory: DirectoryPort,
  project: string,
  name: string,
): Promise<PolicyView> => {
  const before = await showPolicy(directory, project);
  const audiences = (before.policy.audiences ?? []).filter((a) => a.name !== name.trim().toLowerCase());
  if (audiences.length === (before.policy.audiences ?? []).length)
    throw new OpsError(`project ${project} has no audience "${name}"`);
  const next = withField(before.policy, 'audiences', audiences.length > 0 ? audiences : undefined);
  await directory.putPolicy(project, next);
  return viewOf(project, next, false);
};

/** A policy as text. */
export const renderPolicy = (view: PolicyView): string =>
  renderPairs([
    ['project', `${view.project}${view.isDefault ? ' (no policy stored: the default applies)' : ''}`],
    ['points', view.points.length > 0 ? view.points.join(', ') : '(none)'],
    ['time zone', view.policy.timeZone],
    ['default locale', view.policy.defaultLocale],
    ['on release', view.policy.onRelease],
    [
      'min coverage',
      view.policy.minCoverage ??
        `default (${DEFAULT_MIN_COVERAGE} up to ${COVERAGE_DEFAULT_MAX_ISSUES} issues)`,
    ],
    ['verify grounding', view.policy.verifyGrounding ?? false],
    ['scope', `${view.scope}${view.scopeIsDefault ? ' (default)' : ''}`],
    ['release note', view.policy.releaseNoteField ?? '(none)'],
    [
      'audiences',
      ['all', ...(view.policy.audiences ?? []).map((a) => a.name).filter((n) => n !== 'all')].join(', '),
    ],
    ...(view.policy.audiences ?? []).map((a): [string, string] => [
      `  ${a.name}`,
      [
        a.scope ? `scope ${a.scope}` : 'project scope',
        a.instructions ? `instructions "${a.instructions}"` : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]),
    [
      'references',
      view.policy.references === 'links'
        ? `links (${view.policy.linkTemplate ?? 'no template'})`
        : view.policy.references,
    ],
    ['from name', view.policy.sender.fromName ?? '(project name + " releases")'],
    ['reply-to', view.policy.sender.replyTo ?? '(none)'],
    ['footer', view.policy.sender.footer ?? '(none)'],
    ['approval', describeApproval(view.policy.approval)],
    ['max lateness', view.policy.maxLateness ?? `${DEFAULT_MAX_LATENESS} (default)`],
    ['catch up', view.policy.catchUp ?? 'now (default)'],
    ['notify', view.policy.notify?.join(', ') ?? "(none: no owners' summary)"],
  ]);

/** `herald policy show`. */
export const showAction = async (
  ctx: OpsContext,
  project: string,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const view = await showPolicy(directoryOf(ctx), project);
  if (options.json) ctx.output.json(view);
  else ctx.output.out(renderPolicy(view));
  return EXIT_CODES.ok;
};

/** The flags of `herald policy set` named as the {@link PolicyChanges} fields they set. */
type SameNamedChanges = Omit<PolicyChanges, 'timeZone' | 'defaultLocale' | 'approval'>;

/** Options of `herald policy set`. */
export interface PolicySetOptions extends SameNamedChanges {
  tz?: string | undefined;
  locale?: string | undefined;
  force?: boolean | undefined;
  approvers?: string | undefined;
  approvalLead?: string | undefined;
  onTimeout?: 'hold' | 'send' | undefined;
  approval?: boolean | undefined;
  json?: boolean | undefined;
}

/** `herald policy set`: nothing to set is a usage error; a bad spec, zone or locale a ContractError (exit 2). */
export const setAction = async (
  ctx: OpsContext,
  project: string,
  options: PolicySetOptions,
): Promise<ExitCode> => {
  const settings = [
    options.points,
    options.tz,
    options.locale,
    options.onRelease,
    options.minCoverage,
    options.verifyGrounding,
    options.scope,
    options.releaseNoteField,
    options.references,
    options.linkTemplate,
    options.fromName,
    options.replyTo,
    options.footer,
    options.maxLateness,
    options.catchUp,
    options.approvers,
    options.approvalLead,
    options.onTimeout,
    options.approval,
    options.notify,
  ];
  if (settings.every((v) => v === undefined)) {
    throw new UsageError(
      'nothing to set: give --points, --tz, --locale, --[no-]on-release, --min-coverage, --[no-]verify-grounding, ' +
        '--scope, --[no-]release-note-field, --references, --link-template, --from-name, --reply-to, --footer, --max-lateness, --catch-up, --approvers, --approval-lead, --on-timeout --[no-]approval or --notify',
    );
  }
  const { after, scopeCheck } = await setPolicy(
    directoryOf(ctx),
    project,
    {
      points: options.points,
      timeZone: options.tz,
      defaultLocale: options.locale,
      onRelease: options.onRelease,
      minCoverage: options.minCoverage,
      verifyGrounding: options.verifyGrounding,
      scope: options.scope,
      releaseNoteField: options.releaseNoteField,
      references: options.references,
      linkTemplate: options.linkTemplate,
      fromName: options.fromName,
      replyTo: options.replyTo,
      footer: options.footer,
      maxLateness: options.maxLateness,
      catchUp: options.catchUp,
      approval: {
        approvers: options.approvers,
        lead: options.approvalLead,
        onTimeout: options.onTimeout,
        enabled: options.approval,
      },
      notify: options.notify,
    },
    { validator: async () => (await opsJira(ctx)).jira, force: options.force },
  );
  return reportStored(ctx, { project, view: after, scopeCheck, json: options.json });
};

/** A stored policy to print ({@link reportStored}). */
interface StoredPolicy {
  project: string;
  view: PolicyView;
  scopeCheck: ScopeCheckOutcome;
  /** Print JSON (`--json`) rather than text. */
  json: boolean | undefined;
}

/** Prints a stored policy (with Jira's scope warning first, if any). */
const reportStored = (ctx: OpsContext, { project, view, scopeCheck, json }: StoredPolicy): ExitCode => {
  if (scopeCheck.warning) ctx.output.note(`warning: ${scopeCheck.warning}`);
  if (json) ctx.output.json({ ...view, scopeChecked: scopeCheck.checked });
  else ctx.output.out(`policy of ${project} stored\n${renderPolicy(view)}`);
  return EXIT_CODES.ok;
};

/** Options of `herald policy audience set`. */
export interface AudienceSetOptions {
  scope?: string | undefined;
  instructions?: string | undefined;
  force?: boolean | undefined;
  json?: boolean | undefined;
}

/** `herald policy audience set`: a scope Jira rejects is exit 2, nothing stored. */
export const audienceSetAction = async (
  ctx: OpsContext,
  project: string,
  name: string,
  options: AudienceSetOptions,
): Promise<ExitCode> => {
  const { after, scopeCheck } = await setAudience(
    directoryOf(ctx),
    project,
    { name, scope: options.scope, instructions: options.instructions },
    { validator: async () => (await opsJira(ctx)).jira, force: options.force },
  );
  return reportStored(ctx, { project, view: after, scopeCheck, json: options.json });
};

/** `herald policy audience remove`: exit 1 when the policy has no such audience. */
export const audienceRemoveAction = async (
  ctx: OpsContext,
  project: string,
  name: string,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const after = await removeAudience(directoryOf(ctx), project, name);
  return reportStored(ctx, { project, view: after, scopeCheck: { checked: true }, json: options.json });
};
