import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { parseContract } from '#contracts/errors';
import {
  DEFAULT_SEND_POLICY,
  formatPointSpec,
  parsePointSpecs,
  type SendPolicy,
  sendPolicy,
} from '#contracts/sendPolicy';
import { UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderPairs } from '#ops/cli/table';
import { directoryOf } from '#ops/directory/directoryOf';
import { COVERAGE_DEFAULT_MAX_ISSUES, DEFAULT_MIN_COVERAGE } from '#stages/compose/grounding/index';

/** A project's policy, and whether it is the default (the project has none stored). */
export interface PolicyView {
  project: string;
  isDefault: boolean;
  policy: SendPolicy;
  /** The points as specs, in policy order (`-7d@09:00`). */
  points: string[];
}

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
});

/** The stored policy of a project, or the default one. */
export const showPolicy = async (directory: DirectoryPort, project: string): Promise<PolicyView> => {
  const stored = await directory.getPolicy(project);
  return viewOf(project, stored ?? DEFAULT_SEND_POLICY, stored === null);
};

/**
 * Changes a project's policy (starting from the stored one, else the default) and stores it.
 * @throws ContractError (exit 2) naming a bad point spec, time zone or locale; nothing is stored.
 */
export const setPolicy = async (
  directory: DirectoryPort,
  project: string,
  changes: PolicyChanges,
): Promise<{ before: PolicyView; after: PolicyView }> => {
  const before = await showPolicy(directory, project);
  const { linkTemplate: _dropped, ...kept } = before.policy;
  const next = parseContract('send policy', sendPolicy, {
    ...kept,
    ...withPresentation(before.policy, changes),
    ...(changes.points !== undefined ? { points: parsePointSpecs(changes.points) } : {}),
    ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
    ...(changes.defaultLocale !== undefined ? { defaultLocale: changes.defaultLocale } : {}),
    ...(changes.onRelease !== undefined ? { onRelease: changes.onRelease } : {}),
    ...(changes.minCoverage !== undefined ? { minCoverage: changes.minCoverage } : {}),
    ...(changes.verifyGrounding !== undefined ? { verifyGrounding: changes.verifyGrounding } : {}),
  });
  await directory.putPolicy(project, next);
  return { before, after: viewOf(project, next, false) };
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
    [
      'references',
      view.policy.references === 'links'
        ? `links (${view.policy.linkTemplate ?? 'no template'})`
        : view.policy.references,
    ],
    ['from name', view.policy.sender.fromName ?? '(project name + " releases")'],
    ['reply-to', view.policy.sender.replyTo ?? '(none)'],
    ['footer', view.policy.sender.footer ?? '(none)'],
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

/** Options of `herald policy set`. */
export interface PolicySetOptions {
  points?: string | undefined;
  tz?: string | undefined;
  locale?: string | undefined;
  onRelease?: boolean | undefined;
  minCoverage?: number | undefined;
  verifyGrounding?: boolean | undefined;
  references?: string | undefined;
  linkTemplate?: string | undefined;
  fromName?: string | undefined;
  replyTo?: string | undefined;
  footer?: string | undefined;
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
    options.references,
    options.linkTemplate,
    options.fromName,
    options.replyTo,
    options.footer,
    options.minCoverage,
    options.verifyGrounding,
  ];
  if (settings.every((v) => v === undefined)) {
    throw new UsageError(
      'nothing to set: give --points, --tz, --locale, --[no-]on-release, --min-coverage, ' +
        '--[no-]verify-grounding, --references, --link-template, --from-name, --reply-to or --footer',
    );
  }
  const { after } = await setPolicy(directoryOf(ctx), project, {
    points: options.points,
    timeZone: options.tz,
    defaultLocale: options.locale,
    onRelease: options.onRelease,
    minCoverage: options.minCoverage,
    verifyGrounding: options.verifyGrounding,
    references: options.references,
    linkTemplate: options.linkTemplate,
    fromName: options.fromName,
    replyTo: options.replyTo,
    footer: options.footer,
  });
  if (options.json) ctx.output.json(after);
  else ctx.output.out(`policy of ${project} stored\n${renderPolicy(after)}`);
  return EXIT_CODES.ok;
};
