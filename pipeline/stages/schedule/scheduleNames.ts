import { createHash } from 'node:crypto';
import { topology } from '#topology/topology';

/** Scheduler's rule for schedule names: 1-64 characters of `[0-9a-zA-Z-_.]`. */
export const SCHEDULE_NAME_PATTERN = /^[0-9a-zA-Z\-_.]{1,64}$/;

/**
 * A short stable tag of a time zone name: the first 8 hex digits of its SHA-256. Zone names
 * hold `/` and `+`, which schedule names cannot; every zone the runtime knows gets a distinct tag.
 */
export const zoneTag = (timeZone: string): string =>
  createHash('sha256').update(timeZone).digest('hex').slice(0, 8);

/**
 * Prefix of every send-point schedule of one release: `rh-<versionId>-`. The trailing dash
 * keeps version 1 from listing version 10's schedules.
 * @param schedulePrefix default `topology.schedulePrefix`.
 */
export const releaseSchedulePrefix = (versionId: string, schedulePrefix: string = topology.schedulePrefix) =>
  `${schedulePrefix}-${versionId}-`;

/** What a send-point schedule name is made of. */
export interface ScheduleNameParts {
  versionId: string;
  pointId: string;
  /** IANA zone name (hashed into the name with {@link zoneTag}). */
  timeZone: string;
  /** 0-based recipient chunk. */
  chunkIndex: number;
  /** Default `topology.schedulePrefix`. */
  schedulePrefix?: string;
}

/**
 * Deterministic name of the schedule of one release point, zone and recipient chunk:
 * `rh-<versionId>-<pointId>-<zoneTag>-<chunkIndex>` (at most 2+1+18+1+24+1+8+1+5 = 61 characters).
 * @throws RangeError when the parts do not make a valid Scheduler name.
 */
export const scheduleName = (parts: ScheduleNameParts): string => {
  const name = `${releaseSchedulePrefix(parts.versionId, parts.schedulePrefix)}${seriesSuffix(parts.pointId, parts.timeZone)}${parts.chunkIndex}`;
  if (!SCHEDULE_NAME_PATTERN.test(name)) {
    throw new RangeError(`schedule name "${name}" is not 1-64 characters of [0-9a-zA-Z-_.]`);
  }
  return name;
};

const seriesSuffix = (pointId: string, timeZone: string): string => `${pointId}-${zoneTag(timeZone)}-`;

/**
 * The name without its chunk index (`rh-<versionId>-<pointId>-<zoneTag>-`): every chunk of one
 * release point in one zone shares it.
 */
export const scheduleSeries = (parts: Omit<ScheduleNameParts, 'chunkIndex'>): string =>
  `${releaseSchedulePrefix(parts.versionId, parts.schedulePrefix)}${seriesSuffix(parts.pointId, parts.timeZone)}`;

/** The series of an existing schedule's name (everything up to its last dash); undefined when it has none. */
export const seriesOfName = (name: string): string | undefined => {
  const match = /^(.+-)\d+$/.exec(name);
  return match?.[1];
};
