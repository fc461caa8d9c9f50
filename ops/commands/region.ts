import { ActiveRegionChangedError, type ActiveRegionPort } from '#adapters/region/ActiveRegionPort';
import type { ActiveRegion } from '#contracts/activeRegion';
import { OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderPairs } from '#ops/cli/table';
import { activeRegionOf } from '#ops/region/activeRegionOf';
import { type RegionView, renderRegionLine, regionView } from '#ops/region/regionView';
import { HANDOVER_GUARD_SECONDS } from '#shared/regionRole';

/** What {@link activateRegion} needs. */
export interface ActivateRequest {
  /** The region to make active. */
  region: string;
  /** Seconds until it starts; the previous region stops {@link HANDOVER_GUARD_SECONDS} before. */
  drainSeconds: number;
  /**
   * Allow a drain shorter than the guard, or a switch while another is in progress: for a
   * previous region that is down (it claims nothing) or a duplicate window accepted knowingly.
   */
  force: boolean;
  now: Date;
}

/** What {@link activateRegion} did. */
export interface ActivateResult {
  /** False when the region was already the recorded one (nothing written). */
  changed: boolean;
  before: RegionView;
  after: RegionView;
  drainSeconds: number;
  guardSeconds: number;
}

/**
 * Records a switch to `request.region`: it composes and sends from now + drain; the region before
 * it (the recorded one, else the deploy's primary) until the handover guard before that (at once
 * when the drain is shorter, or when `force` overrides a switch in progress: then the region that
 * could be claiming stops now), every other region is passive. Written conditionally on the epoch
 * read, so two operators cannot both switch.
 * @throws UsageError for a drain below the guard or a switch in progress, without `force`.
 * @throws OpsError when another switch was recorded between the read and the write.
 */
export const activateRegion = async (
  store: ActiveRegionPort,
  request: ActivateRequest,
): Promise<ActivateResult> => {
  const now = request.now.getTime();
  const current = await store.get();
  const before = regionView(current, request.now);
  const result = { drainSeconds: request.drainSeconds, guardSeconds: HANDOVER_GUARD_SECONDS };
  if (current?.region === request.region) return { changed: false, before, after: before, ...result };
  if (!request.force && request.drainSeconds < HANDOVER_GUARD_SECONDS) {
    throw new UsageError(
      `a drain of ${request.drainSeconds} s is shorter than the ${HANDOVER_GUARD_SECONDS} s handover guard (the send ` +
        'timeout plus the replication allowance): both regions could claim the same email. Use --force only when ' +
        'the previous region is down or you accept that window',
    );
  }
  if (!request.force && current !== null && now < current.activeFrom) {
    throw new UsageError(
      `a switch to ${current.region} is in progress until ${before.activeFrom}; wait for it, or use --force`,
    );
  }
  const activeFrom = now + request.drainSeconds * 1000;
  // A forced switch over one in progress stops whichever region could be claiming at once (no
  // drain for it): the in-progress record already cut its handover short.
  const inProgress = current !== null && now < current.activeFrom;
  const previous = inProgress && now < (current.previousUntil ?? 0) ? current.previous : current?.region;
  const next: ActiveRegion = {
    region: request.region,
    activeFrom,
    ...(previous === undefined ? {} : { previous }),
    previousUntil: inProgress ? now : Math.max(now, activeFrom - HANDOVER_GUARD_SECONDS * 1000),
    activatedAt: request.now.toISOString(),
    epoch: (current?.epoch ?? 0) + 1,
  };
  try {
    await store.put(next, current?.epoch ?? null);
  } catch (err) {
    if (err instanceof ActiveRegionChangedError) throw new OpsError(err.message, { cause: err });
    throw err;
  }
  return { changed: true, before, after: regionView(next, request.now), ...result };
};

/** The result as text, with what the operator does next. */
export const renderActivation = (result: ActivateResult, writtenIn: string): string => {
  const { after } = result;
  if (!result.changed)
    return `${after.region} is already the recorded region (${renderRegionLine(after)}); nothing changed`;
  return [
    renderPairs([
      ['active region', `${after.region} from ${after.activeFrom} (in ${result.drainSeconds} s)`],
      ['previous', `${after.previous ?? 'the primary'} claims until ${after.previousUntil}, then is passive`],
      ['switch', after.epoch],
      ['written in', `the ledger replica in ${writtenIn}; other regions see it after replication`],
    ]),
    '',
    `Next: point the Jira webhook at ${after.region}'s JiraWebhookUrl, and re-plan upcoming releases there`,
    '(herald replay <versionId> --region <it>). Schedules left in a passive region fire as no-ops.',
  ].join('\n');
};

/** Options of `herald region activate`. */
export interface ActivateOptions {
  drain: number;
  force?: boolean | undefined;
  yes?: boolean | undefined;
  json?: boolean | undefined;
}

/** `herald region activate`: asks first unless `--yes`; declined → OpsError, nothing written. */
export const activateAction = async (
  ctx: OpsContext,
  region: string,
  options: ActivateOptions,
): Promise<ExitCode> => {
  if (!options.yes) {
    const yes = await ctx.confirm(
      `Make ${region} the region that composes and sends (in ${options.drain} s) and every other region passive?`,
    );
    if (!yes) throw new OpsError('switch declined; nothing was written');
  }
  const result = await activateRegion(activeRegionOf(ctx), {
    region,
    drainSeconds: options.drain,
    force: options.force === true,
    now: ctx.now(),
  });
  const writtenIn = ctx.aws.region ?? "the profile's region";
  if (options.json) ctx.output.json({ ...result, writtenIn });
  else ctx.output.out(renderActivation(result, writtenIn));
  return EXIT_CODES.ok;
};

/** `herald region show`: the recorded switch, read from the `--region` replica. */
export const showAction = async (
  ctx: OpsContext,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const view = regionView(await activeRegionOf(ctx).get(), ctx.now());
  if (options.json) ctx.output.json(view);
  else ctx.output.out(renderRegionLine(view));
  return EXIT_CODES.ok;
};
