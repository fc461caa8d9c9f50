import type { JiraIssue } from '#adapters/jira/JiraPort';

/** What a draft may talk about: the issues handed to the writer, and the release they belong to. */
export interface GroundingScope {
  /** The in-scope issues (today every issue of the release; per audience once scopes exist). */
  issues: readonly JiraIssue[];
  /** The draft's locale (BCP 47); picks the promise words checked besides English. */
  locale: string;
  /** Release facts every item may repeat (its version name, description and date). */
  release?: {
    versionName?: string | undefined;
    description?: string | undefined;
    releaseDate?: string | undefined;
  };
}

/** The kinds of {@link GroundingProblem}. */
export const GROUNDING_PROBLEM_KINDS = [
  /** An issue-key-shaped token (cited or in the text) that is not an in-scope key. */
  'unknown_key',
  /** An in-scope key in an item's text that the item does not cite. */
  'uncited_key',
  /** Numbers, versions, percentages, dates or money amounts not in the cited issues' data. */
  'unsupported_number',
  /** A quoted name not in the cited issues' data. */
  'unsupported_name',
  /** A promise word ("free", "lifetime", ...) the cited issues' data does not back. */
  'unbacked_promise',
] as const;

/** One of {@link GROUNDING_PROBLEM_KINDS}. */
export type GroundingProblemKind = (typeof GROUNDING_PROBLEM_KINDS)[number];

/** Something a draft says that its data does not back. */
export interface GroundingProblem {
  kind: GroundingProblemKind;
  /** Where: `subject`, `intro`, `sections[0].heading`, `sections[1].items[2]`, `outro`, ... */
  field: string;
  /** The unsupported words as written (keys, numbers, quoted names, promise words). */
  words: string[];
}

/** Which in-scope issues a draft mentions (cites in an item). */
export interface Coverage {
  /** In-scope issues. */
  inScope: number;
  /** In-scope keys the draft cites, in order of first citation. */
  mentioned: string[];
  /** In-scope keys the draft does not cite, in scope order. */
  missing: string[];
}
