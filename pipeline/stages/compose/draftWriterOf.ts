import type { EmailDraft } from '#contracts/emailDraft';
import { composeDraft } from './composeDraft.ts';
import type { DraftContext } from './DraftContext.ts';
import type { AudienceScope } from './releaseScope.ts';
import { DRAFT_LEASE_SECONDS, writeDraftOnce } from './writeDraftOnce.ts';

/**
 * Writes the draft of one audience × locale under `key` once ({@link writeDraftOnce}: the first
 * writer asks the model, everyone else reads its draft), resolving to the stored draft.
 */
export const draftWriterOf = (
  c: DraftContext,
): ((group: { locale: string }, key: string, scoped: AudienceScope) => Promise<EmailDraft>) => {
  const { deps, retry, point } = c;
  let projectName: Promise<string> | undefined;
  return (group, key, scoped) =>
    writeDraftOnce({
      key,
      claim: (k) =>
        retry('ledger.claim_draft', () =>
          deps.ledger.claimDraft(k, { leaseSeconds: DRAFT_LEASE_SECONDS, now: deps.now().getTime() }),
        ),
      cached: (k) => retry('ledger.get_draft', () => deps.ledger.getDraft(k)),
      write: async () => {
        projectName ??= retry('jira.get_project', ({ signal }) =>
          deps.jira.getProject(point.projectKey, { signal }),
        ).then((project) => project.name);
        const facts = { projectName: await projectName, ...scoped, issues: scoped.inScope };
        return composeDraft(c, { locale: group.locale, key }, facts);
      },
      remainingTimeMs: c.remainingTimeMs,
      now: () => deps.now().getTime(),
      logger: c.logger,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
};
