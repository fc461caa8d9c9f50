import type { SigningKeys } from '#shared/signingKeys';

/** How compose builds the Approve and Hold links of review emails. */
export interface ReviewLinks {
  /** Base of the links: the webhook function URL + `/review` (REVIEW_BASE_URL). */
  baseUrl: string;
  /** The `review-signing-keys` secret (the first seals). Never logged. */
  keys: SigningKeys;
}
