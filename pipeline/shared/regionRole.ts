import type { ActiveRegion } from '#contracts/activeRegion';
import { topology } from '#topology/topology';

/**
 * Seconds allowed for a DynamoDB global table to replicate a write to the other regions. AWS
 * reports replication "usually within a second" (CloudWatch `ReplicationLatency`); 30 s leaves a
 * wide margin. Alarm on `ReplicationLatency` above it: past it the handover below is not safe.
 */
export const REPLICATION_ALLOWANCE_SECONDS = 30;

/**
 * The handover guard, seconds: the previous region stops claiming this long before the new one
 * starts. A send that passed the region check may claim up to the end of its invocation (the send
 * function's timeout) and that claim needs {@link REPLICATION_ALLOWANCE_SECONDS} to reach the new
 * region: with this gap no claim of the old region can be unseen by the new one.
 */
export const HANDOVER_GUARD_SECONDS = topology.stages.send.fn.timeoutSeconds + REPLICATION_ALLOWANCE_SECONDS;

/** What a region may do now. */
export type RegionRole =
  /** Compose and send as usual. */
  | { readonly role: 'active' }
  /** This region was activated but starts at `activeFrom` (epoch ms): wait. */
  | { readonly role: 'pending'; readonly activeFrom: number }
  /** Another region composes and sends (`activeRegion`, or none when unknown). */
  | { readonly role: 'passive'; readonly activeRegion: string | undefined };

/** Inputs of {@link regionRole}. */
export interface RegionRoleInput {
  /** The stored switch, or null when none was ever recorded. */
  flag: ActiveRegion | null;
  /** The region asking (AWS_REGION of the function). */
  region: string;
  /** The deploy's primary region: the active one while no switch is recorded (HERALD_HOME_REGION). */
  homeRegion: string;
  /** Current time, epoch ms. */
  now: number;
}

/**
 * Decides whether `region` may claim now. No switch recorded: only the home region is active.
 * Otherwise the flag's region is active from `activeFrom` (pending before), the previous region
 * (the home region when the flag names none) until `previousUntil`, and every other region is
 * passive. Pure: the same inputs give the same role in every region.
 */
export const regionRole = ({ flag, region, homeRegion, now }: RegionRoleInput): RegionRole => {
  if (flag === null) {
    return region === homeRegion ? { role: 'active' } : { role: 'passive', activeRegion: homeRegion };
  }
  if (flag.region === region) {
    return now >= flag.activeFrom ? { role: 'active' } : { role: 'pending', activeFrom: flag.activeFrom };
  }
  const previous = flag.previous ?? homeRegion;
  if (previous === region && flag.previousUntil !== undefined && now < flag.previousUntil) {
    return { role: 'active' };
  }
  return { role: 'passive', activeRegion: flag.region };
};
