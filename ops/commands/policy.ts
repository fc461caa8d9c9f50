import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { parseContract } from '#contracts/errors';
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
import { UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderPairs } from '#ops/cli/table';
import { COVERAGE_DEFAULT_MAX_ISSUES, DEFAULT_MIN_COVERAGE } from '#stages/compose/grounding/index';
import { directoryOf } from '#ops/directory/directoryOf';

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
  /** How late a point may still go out (`6h`, `90m`), 5m..48h. */
  maxLateness?: string | undefined;
  /** A point already due when planned: `now` (caught up within the lateness) or `skip` (missed). */
  catchUp?: 'now' | 'skip' | undefined;
}

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
  const next = parseContract('send policy', sendPolicy, {
    ...before.policy,
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
    ['max lateness', view.policy.maxLateness ?? `${DEFAULT_MAX_LATENESS} (default)`],
    ['catch up', view.policy.catchUp ?? 'now (default)'],
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
  maxLateness?: string | undefined;
  catchUp?: 'now' | 'skip' | undefined;
  json?: boolean | undefined;
}

/** `herald policy set`: nothing to set is a usage error; a bad spec, zone or locale a ContractError (exit 2). */
export const setAction = async (
  ctx: OpsContext,
  project: string,
  options: PolicySetOptions,
): Promise<ExitCode> => {
  const settings = [options.points, options.tz, options.locale, options.onRelease];
  const more = [options.minCoverage, options.verifyGrounding, options.maxLateness, options.catchUp];
  if ([...settings, ...more].every((v) => v === undefined)) {
    throw new UsageError(
      'nothing to set: give --points, --tz, --locale, --[no-]on-release, --min-coverage, --[no-]verify-grounding, --max-lateness or --catch-up',
    );
  }
  const { after } = await setPolicy(directoryOf(ctx), project, {
    points: options.points,
    timeZone: options.tz,
    defaultLocale: options.locale,
    onRelease: options.onRelease,
    minCoverage: options.minCoverage,
    verifyGrounding: options.verifyGrounding,
    maxLateness: options.maxLateness,
    catchUp: options.catchUp,
  });
  if (options.json) ctx.output.json(after);
  else ctx.output.out(`policy of ${project} stored\n${renderPolicy(after)}`);
  return EXIT_CODES.ok;
};
