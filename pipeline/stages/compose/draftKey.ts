import type { ComposeJob } from '#contracts/composeJob';

/**
 * Ledger key of the draft of one release point in one locale:
 * `draft:<versionId>:<pointId>@<releaseDate|none>:<locale>`. Every chunk of the point (and any
 * redelivery of a job) maps to the same key, which is what makes one LLM call per point and
 * locale; a moved release date is a new point and so a new draft.
 */
export const draftKey = (
  job: Pick<ComposeJob, 'versionId' | 'pointId' | 'releaseDate'>,
  locale: string,
): string => `draft:${job.versionId}:${job.pointId}@${job.releaseDate ?? 'none'}:${locale}`;
