import { formatPointSpec, ON_RELEASE_POINT_ID } from '#contracts/sendPolicy';

const POINT_ID = /^([ab])(\d+)d(\d+)h(\d+)m(\d{2})(\d{2})$/;

/**
 * The spec of a point id as an operator writes it: `b7d0h0m0900` → `-7d@09:00`,
 * `onrelease` → `on release`; an id it cannot read is returned as is.
 */
export const pointLabel = (pointId: string): string => {
  if (pointId === ON_RELEASE_POINT_ID) return 'on release';
  const match = POINT_ID.exec(pointId);
  if (!match) return pointId;
  const [, sign, days = '0', hours = '0', minutes = '0', hh = '00', mm = '00'] = match;
  const factor = sign === 'b' ? -1 : 1;
  return formatPointSpec({
    id: pointId,
    days: factor * Number(days) || 0,
    hours: factor * Number(hours) || 0,
    minutes: factor * Number(minutes) || 0,
    at: `${hh}:${mm}`,
  });
};
