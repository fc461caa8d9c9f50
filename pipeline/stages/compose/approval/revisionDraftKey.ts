import { draftKey } from '#stages/shared/draftKey';
import type { DraftPoint } from '../DraftContext.ts';
import type { ApprovalGroupLike } from './writeRevision.ts';

/**
 * Ledger key of a group's draft in revision `revision`: today's {@link draftKey} for revision 1
 * (so turning approval on changes no key), `<draftKey>#r<n>` after it.
 */
export const revisionDraftKey = (
  point: Pick<DraftPoint, 'versionId' | 'pointId' | 'releaseDate'>,
  group: ApprovalGroupLike,
  revision: number,
): string => `${draftKey(point, group.locale, group.audience)}${revision > 1 ? `#r${revision}` : ''}`;
