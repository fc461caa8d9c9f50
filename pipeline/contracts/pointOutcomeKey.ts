/**
 * Ledger key of a point's outcome in one time zone: `<versionId>:<pointId>@<releaseDate|none>:<zone>`.
 * The schedule stage (caught up, missed when planned) and compose (missed when fired late) write
 * the same key, so each point and zone has one row with its final outcome.
 */
export const pointOutcomeKey = (p: {
  versionId: string;
  pointId: string;
  releaseDate?: string | undefined;
  timeZone: string;
}): string => `${p.versionId}:${p.pointId}@${p.releaseDate ?? 'none'}:${p.timeZone}`;
