import type { LedgerPort, OutcomeRecord, ReleaseClaim, ReleaseStamp } from '#adapters/ledger/LedgerPort';
import type { EmailDraft } from '#contracts/emailDraft';
import type { ScheduledRecipient } from '#contracts/releaseSnapshot';
import { type ReleaseSnapshot, releaseSnapshotPayload } from '#contracts/releaseSnapshot';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';

/**
 * The release watermarks of the ledger in memory, with DynamoLedger's semantics: a claim raises
 * a strictly older `readAt`, an equal one is `redelivered`, a newer stored one makes it `stale`.
 */
export class FakeWatermarks
  implements Pick<LedgerPort, 'claimRelease' | 'getReleaseWatermark' | 'getDraft' | 'recordPointOutcome'>
{
  /** versionId → readAt of the newest claimed snapshot, epoch ms. */
  readonly watermarks = new Map<string, number>();
  /** versionId → the state stamped by the newest claim. */
  readonly stamps = new Map<string, ReleaseStamp | undefined>();
  /** Keys of drafts the ledger holds (composed points); their content does not matter here. */
  readonly drafts = new Set<string>();
  /** Point outcomes recorded, by key (first write wins). */
  readonly outcomes = new Map<string, OutcomeRecord>();

  async getDraft(key: string): Promise<EmailDraft | null> {
    return this.drafts.has(key) ? ({ key } as EmailDraft) : null;
  }

  async recordPointOutcome(key: string, outcome: OutcomeRecord): Promise<boolean> {
    const stored = this.outcomes.get(key);
    if (stored && !(outcome.status === 'missed' && stored.status === 'caught_up')) return false;
    this.outcomes.set(key, outcome);
    return true;
  }
  /** Claims in call order, with their outcome. */
  readonly claims: Array<{ versionId: string; readAt: number; claim: ReleaseClaim }> = [];

  async claimRelease(versionId: string, readAt: number, stamp?: ReleaseStamp): Promise<ReleaseClaim> {
    const stored = this.watermarks.get(versionId);
    const claim: ReleaseClaim =
      stored !== undefined && stored > readAt
        ? { status: 'stale', watermark: stored }
        : { status: 'claimed', redelivered: stored === readAt };
    if (claim.status === 'claimed' && !claim.redelivered) {
      this.watermarks.set(versionId, readAt);
      this.stamps.set(versionId, stamp);
    }
    this.claims.push({ versionId, readAt, claim });
    return claim;
  }

  async getReleaseWatermark(versionId: string): Promise<number | null> {
    return this.watermarks.get(versionId) ?? null;
  }
}

/** The compose queue ARN used as every schedule's target in tests. */
export const COMPOSE_QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:herald-compose';

/** `count` recipients in `timeZone`, addresses `<prefix>-<n>@example.com`. */
export const recipientsIn = (count: number, timeZone: string, prefix = 'client'): ScheduledRecipient[] =>
  Array.from({ length: count }, (_, i) => ({
    email: `${prefix}-${i}@example.com`,
    name: `Client ${i}`,
    locale: 'en',
    timeZone,
  }));

/** `readAt` of {@link snapshotOf}'s snapshots unless overridden, epoch ms. */
export const SNAPSHOT_READ_AT = Date.parse('2024-06-01T00:00:01Z');

/**
 * A release.snapshot payload, parsed through its schema (so defaults are applied): version
 * 10001 of project ABC read at {@link SNAPSHOT_READ_AT}, active, released on 2024-06-20, the default policy (7, 1 and 0 days
 * before at 09:00), one recipient in Europe/Berlin and one in America/New_York.
 */
export const snapshotOf = (overrides: Partial<ReleaseSnapshot> = {}): ReleaseSnapshot =>
  releaseSnapshotPayload.parse({
    event: 'jira:version_updated',
    occurredAt: Date.parse('2024-06-01T00:00:00Z'),
    versionId: '10001',
    projectId: '10000',
    projectKey: 'ABC',
    state: 'active',
    version: { id: '10001', name: 'v1.2.0', releaseDate: '2024-06-20', released: false, archived: false },
    readAt: SNAPSHOT_READ_AT,
    policy: DEFAULT_SEND_POLICY,
    recipients: [...recipientsIn(1, 'Europe/Berlin', 'berlin'), ...recipientsIn(1, 'America/New_York', 'ny')],
    ...overrides,
  });

/** A snapshot of the same release with another release date. */
export const withReleaseDate = (
  snapshot: ReleaseSnapshot,
  releaseDate: string | undefined,
): ReleaseSnapshot => {
  if (snapshot.version === null) throw new Error('the snapshot has no version');
  const { releaseDate: _old, ...version } = snapshot.version;
  return { ...snapshot, version: releaseDate === undefined ? version : { ...version, releaseDate } };
};
