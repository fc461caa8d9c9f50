import type { ChunkPlan } from '#adapters/ledger/DeliveryRecordsPort';

/**
 * The plan of chunk 1/1 of the `-1d@09:00` point of version 10001 (SHOP 2026.12, release date
 * 2026-12-15) in UTC, fanned out two seconds after its due time: one draft for `ada@example.com`.
 * `overrides` win.
 */
export const chunkPlanOf = (overrides: Partial<ChunkPlan> = {}): ChunkPlan => ({
  versionId: '10001',
  projectKey: 'SHOP',
  versionName: '2026.12',
  pointId: 'b1d0h0m0900',
  releaseDate: '2026-12-15',
  timeZone: 'UTC',
  chunk: { index: 0, count: 1 },
  dueAt: '2026-12-14T09:00:00.000Z',
  fannedOutAt: '2026-12-14T09:00:02.000Z',
  groups: [
    {
      draftKey: 'draft:10001:b1d0h0m0900@2026-12-15:en',
      audience: 'all',
      locale: 'en',
      emails: ['ada@example.com'],
    },
  ],
  ...overrides,
});
