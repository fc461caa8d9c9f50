import type { ComposeJob } from '#contracts/composeJob';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';

/**
 * Ledger key of the draft of one release point for one audience in one locale:
 * `draft:<versionId>:<pointId>@<releaseDate|none>:<locale>` for the `all` audience (the key drafts
 * had before audiences existed, so drafts cached across an upgrade stay valid) and
 * `draft:<versionId>:<pointId>@<releaseDate|none>:<locale>:<audience>` for any other. Every chunk
 * of the point (and any redelivery of a job) maps to the same key, which is what makes one LLM
 * call per point, locale and audience; a moved release date is a new point and so a new draft.
 */
export const draftKey = (
  job: Pick<ComposeJob, 'versionId' | 'pointId' | 'releaseDate'>,
  locale: string,
  audience: string = DEFAULT_AUDIENCE,
): string =>
  `draft:${job.versionId}:${job.pointId}@${job.releaseDate ?? 'none'}:${locale}${audience === DEFAULT_AUDIENCE ? '' : `:${audience}`}`;
