import { describe, expect, it } from 'vitest';
import type { DraftClaim } from '#adapters/ledger/LedgerPort';
import type { EmailDraft } from '#contracts/emailDraft';
import { DraftInProgressError } from '#stages/compose/DraftInProgressError';
import { DRAFT_POLL_MS, DRAFT_WAIT_MARGIN_MS, writeDraftOnce } from '#stages/compose/writeDraftOnce';
import { memoryLogger } from '#test/factories/memoryLogger';

const T0 = Date.parse('2030-01-02T03:04:05.000Z');
const KEY = '10001:b1d0h0m0900@2030-01-09:en';

const draft: EmailDraft = {
  key: KEY,
  source: 'llm',
  locale: 'en',
  subject: 'Release 2.0 is a day away',
  html: '<p>Hi {{recipient_name}}</p>',
  text: 'Hi {{recipient_name}}',
  issueKeys: ['ABC-1'],
  createdAt: '2030-01-02T03:04:05.000Z',
};

/** A clock that only the fake sleep moves. */
const setup = (claim: DraftClaim, draftAfterPolls: number | undefined, remainingMs = 100_000) => {
  let now = T0;
  let polls = 0;
  let writes = 0;
  const log = memoryLogger();
  const run = () =>
    writeDraftOnce({
      key: KEY,
      claim: async () => claim,
      cached: async () => {
        polls += 1;
        return draftAfterPolls !== undefined && polls >= draftAfterPolls ? draft : null;
      },
      write: async () => {
        writes += 1;
        return draft;
      },
      remainingTimeMs: () => remainingMs - (now - T0),
      now: () => now,
      logger: log.logger,
      sleep: async (ms) => {
        now += ms;
      },
    });
  return { run, log, counts: () => ({ polls, writes, waitedMs: now - T0 }) };
};

describe('Function: writeDraftOnce', () => {
  it('writes the draft when it holds the claim, without waiting', async () => {
    // Arrange
    const { run, counts } = setup({ status: 'claimed' }, undefined);

    // Act
    const result = await run();

    // Assert
    expect(result).toBe(draft);
    expect(counts()).toEqual({ polls: 0, writes: 1, waitedMs: 0 });
  });

  it("waits for the holder's draft and never writes one itself", async () => {
    // Arrange: the holder stores its draft at the third look.
    const { run, counts, log } = setup({ status: 'in_progress', leaseExpiresAt: T0 + 150_000 }, 3);

    // Act
    const result = await run();

    // Assert
    expect(result).toBe(draft);
    expect(counts()).toEqual({ polls: 3, writes: 0, waitedMs: 3 * DRAFT_POLL_MS });
    expect(log.events('draft_waited')).toMatchObject([{ draftKey: KEY, waitedMs: 3000, llmCalls: 0 }]);
  });

  it('gives up with a retryable DraftInProgressError before its invocation runs out', async () => {
    // Arrange: 30 s left, the holder's lease runs for 150 s more, and no draft ever appears.
    const { run, counts } = setup({ status: 'in_progress', leaseExpiresAt: T0 + 150_000 }, undefined, 30_000);

    // Act
    const error = await run().catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(DraftInProgressError);
    expect(error).toMatchObject({ draftKey: KEY, leaseExpiresAt: T0 + 150_000 });
    expect(counts().writes).toBe(0);
    expect(counts().waitedMs).toBeLessThanOrEqual(30_000 - DRAFT_WAIT_MARGIN_MS);
  });

  it("stops waiting when the holder's lease ends, so a redelivery can take the claim over", async () => {
    // Arrange: the lease ends in 4 s, long before the invocation would.
    const { run, counts } = setup({ status: 'in_progress', leaseExpiresAt: T0 + 4_000 }, undefined);

    // Act
    const error = await run().catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(DraftInProgressError);
    expect(counts()).toEqual({ polls: 4, writes: 0, waitedMs: 4_000 });
  });
});
