import { approvalKey } from '#contracts/approval';
import { UsageError } from '#ops/cli/errors';

/** What a `herald drafts` key names: a point's approval record, and maybe one of its drafts. */
export interface ReviewKey {
  approvalKey: string;
  /** Set when the key was a draft key. */
  draftKey?: string | undefined;
}

// `approval:<versionId>:<pointId>@<releaseDate|none>`
const APPROVAL_KEY = /^approval:(\d{1,18}):([^:@#\s]+)@([\d-]+|none)$/;
// `draft:<versionId>:<pointId>@<releaseDate|none>:<locale>[:<audience>][#r<n>]`
const DRAFT_KEY = /^draft:(\d{1,18}):([^:@#\s]+)@([\d-]+|none):[^:#\s]+(?::[^:#\s]+)?(?:#r\d+)?$/;

/**
 * Parses the key of `herald drafts show|approve|hold|edit`: an approval key as `drafts list`
 * prints it, or a draft key (the approval key is the draft's point).
 * @throws UsageError for anything else.
 */
export const parseReviewKey = (key: string): ReviewKey => {
  const trimmed = key.trim();
  if (APPROVAL_KEY.test(trimmed)) return { approvalKey: trimmed };
  const draft = DRAFT_KEY.exec(trimmed);
  if (draft) {
    const [, versionId = '', pointId = '', date = 'none'] = draft;
    return {
      approvalKey: approvalKey({ versionId, pointId, releaseDate: date === 'none' ? undefined : date }),
      draftKey: trimmed,
    };
  }
  throw new UsageError(
    `"${key}" is neither an approval key (approval:<versionId>:<pointId>@<date>) nor a draft key (draft:…); see herald drafts list`,
  );
};
