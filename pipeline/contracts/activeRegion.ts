import * as z from 'zod';

/** An AWS region name such as `eu-west-1`. */
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');

/**
 * Which region of a multi-region deployment composes and sends (docs/DEPLOY.md, "A second
 * region"). Written only by `herald region activate`, read by compose and send before they
 * claim anything. Times are epoch milliseconds of the operator's clock.
 */
export const activeRegion = z.object({
  /** The region that composes and sends from `activeFrom` on. */
  region: awsRegion,
  /** When `region` starts, epoch ms: the activation time plus the drain. */
  activeFrom: z.number().int().nonnegative(),
  /**
   * The region that was active before; absent for the first switch, when that was the deploy's
   * primary (HERALD_HOME_REGION).
   */
  previous: awsRegion.optional(),
  /**
   * Until when `previous` may still claim, epoch ms: `activeFrom` minus the handover guard (a
   * send's longest run plus replication), so that its last claims reach `region` before `region`
   * starts. At most `activeFrom`.
   */
  previousUntil: z.number().int().nonnegative().optional(),
  /** When the switch was written, ISO 8601. */
  activatedAt: z.iso.datetime({ offset: true }),
  /** Increases by one with every switch; guards against two operators switching at once. */
  epoch: z.number().int().positive(),
});

/** The active-region record. */
export type ActiveRegion = z.output<typeof activeRegion>;
