import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { emailDraftOf } from '#test/factories/emailDraft';
import { uniqueEnv } from '../local/support.ts';
import { useLedgerOnEmulator } from './ledgerOnEmulator.ts';

// Every conditional write of the ledger, evaluated by DynamoDB on the emulator: the unit tests mock
// the document client, so they prove the requests, not that the conditions refuse what they must.

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const LEASE_SECONDS = 60;

const draft = emailDraftOf;

describe('Function: DynamoLedger on DynamoDB (emulator)', () => {
  const table = `${uniqueEnv('ledger')}-ledger`;
  let documents: DynamoDBDocumentClient;
  let ledger: DynamoLedger;
  let sequence = 0;
  /** A send key of its own per test: the table is shared by the whole file. */
  const freshKey = () => `10001:b7d0h0m0900@2026-03-08:c${++sequence}@example.com`;
  const rowOf = async (sendKey: string) =>
    (
      await documents.send(
        new GetCommand({ TableName: table, Key: { pk: `send#${sendKey}` }, ConsistentRead: true }),
      )
    ).Item;

  // Through a serialising proxy (see ledgerOnEmulator): concurrent claims must race as on DynamoDB.
  useLedgerOnEmulator(table, T0, (emulator) => {
    ({ documents, ledger } = emulator);
  });

  describe('claimSend', () => {
    it('claims a new key once and refuses a second claimer while the lease runs', async () => {
      // Arrange
      const key = freshKey();

      // Act
      const first = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      const second = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 59_999 });

      // Assert
      expect(first).toEqual({ status: 'claimed', takenOver: false });
      expect(second).toEqual({ status: 'in_progress', leaseExpiresAt: T0 + LEASE_SECONDS * 1000 });
      expect(await rowOf(key)).toMatchObject({ status: 'claimed', claims: 1 });
    });

    it('takes over a claim whose lease expired, and only one of two takers wins', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      const later = T0 + LEASE_SECONDS * 1000 + 1;

      // Act
      const takers = await Promise.all([
        ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: later }),
        ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: later }),
      ]);

      // Assert
      expect(takers.filter((t) => t.status === 'claimed')).toEqual([{ status: 'claimed', takenOver: true }]);
      expect(takers.filter((t) => t.status === 'in_progress')).toEqual([
        { status: 'in_progress', leaseExpiresAt: later + LEASE_SECONDS * 1000 },
      ]);
      expect(await rowOf(key)).toMatchObject({ status: 'claimed', claims: 2 });
    });

    it('never claims a sent email again, however late', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markSent(key, 'ses-message-1');

      // Act
      const again = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 86_400_000 });

      // Assert
      expect(again).toEqual({ status: 'sent', messageId: 'ses-message-1' });
    });

    it('never claims a rejected email again', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markRejected(key, 'MessageRejected: address on the suppression list');

      // Act
      const again = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 86_400_000 });

      // Assert
      expect(again).toEqual({
        status: 'rejected',
        reason: 'MessageRejected: address on the suppression list',
      });
    });
  });

  describe('markSent and markRejected', () => {
    it('records sent even after the lease ran out and another worker took the claim', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 120_000 });

      // Act
      await ledger.markSent(key, 'ses-message-late');

      // Assert
      expect(await rowOf(key)).toMatchObject({ status: 'sent', messageId: 'ses-message-late' });
    });

    it('refuses to downgrade a sent email to rejected', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markSent(key, 'ses-message-2');

      // Act
      await ledger.markRejected(key, 'too late to matter');

      // Assert
      const row = await rowOf(key);
      expect(row).toMatchObject({ status: 'sent', messageId: 'ses-message-2' });
      expect(row?.reason).toBeUndefined();
    });
  });

  describe('giveBackSendClaim', () => {
    it('gives a claim back so the next claimer gets it at once', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });

      // Act
      await ledger.giveBackSendClaim(key);
      const next = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 1 });

      // Assert
      expect(next).toEqual({ status: 'claimed', takenOver: false });
    });

    it('leaves a sent row in place', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markSent(key, 'ses-message-3');

      // Act
      await ledger.giveBackSendClaim(key);

      // Assert
      expect(await rowOf(key)).toMatchObject({ status: 'sent', messageId: 'ses-message-3' });
    });
  });

  describe('putDraftIfAbsent', () => {
    it('keeps the first draft and returns it to a second writer', async () => {
      // Arrange
      const first = draft({ key: `${table}:first-writer:en`, subject: 'First words' });
      const second = { ...first, subject: 'Second words', createdAt: '2026-03-01T10:00:01.000Z' };

      // Act
      const stored = await ledger.putDraftIfAbsent(first);
      const raced = await ledger.putDraftIfAbsent(second);

      // Assert
      expect(stored).toEqual(first);
      expect(raced).toEqual(first);
      expect(await ledger.getDraft(first.key)).toEqual(first);
    });
  });

  describe('claimDraft', () => {
    it('lets exactly one of five concurrent composers claim a draft, and the others see its lease', async () => {
      // Arrange
      const key = `${table}:draft-race:${++sequence}:en`;

      // Act
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => ledger.claimDraft(key, { leaseSeconds: LEASE_SECONDS, now: T0 })),
      );

      // Assert
      expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'in_progress')).toEqual(
        Array.from({ length: 4 }, () => ({
          status: 'in_progress',
          leaseExpiresAt: T0 + LEASE_SECONDS * 1000,
        })),
      );
    });

    it('refuses a claim until the lease ran out, then lets one taker have it', async () => {
      // Arrange
      const key = `${table}:draft-takeover:${++sequence}:en`;
      await ledger.claimDraft(key, { leaseSeconds: LEASE_SECONDS, now: T0 });

      // Act
      const early = await ledger.claimDraft(key, {
        leaseSeconds: LEASE_SECONDS,
        now: T0 + LEASE_SECONDS * 1000,
      });
      const late = await ledger.claimDraft(key, {
        leaseSeconds: LEASE_SECONDS,
        now: T0 + LEASE_SECONDS * 1000 + 1,
      });

      // Assert
      expect(early).toEqual({ status: 'in_progress', leaseExpiresAt: T0 + LEASE_SECONDS * 1000 });
      expect(late).toEqual({ status: 'claimed' });
    });
  });

  describe('claimRelease', () => {
    it('claims the first snapshot, reports the same one as redelivered, and raises the watermark only forward', async () => {
      // Arrange
      const versionId = String(20_000 + ++sequence);

      // Act
      const first = await ledger.claimRelease(versionId, 1_000);
      const redelivered = await ledger.claimRelease(versionId, 1_000);
      const older = await ledger.claimRelease(versionId, 999);
      const newer = await ledger.claimRelease(versionId, 1_001);
      const olderThanNewer = await ledger.claimRelease(versionId, 1_000);

      // Assert
      expect(first).toEqual({ status: 'claimed', redelivered: false });
      expect(redelivered).toEqual({ status: 'claimed', redelivered: true });
      expect(older).toEqual({ status: 'stale', watermark: 1_000 });
      expect(newer).toEqual({ status: 'claimed', redelivered: false });
      expect(olderThanNewer).toEqual({ status: 'stale', watermark: 1_001 });
      expect(await ledger.getReleaseWatermark(versionId)).toBe(1_001);
    });

    it('lets exactly one of two concurrent snapshots with the same readAt claim it first', async () => {
      // Arrange
      const versionId = String(20_000 + ++sequence);

      // Act
      const both = await Promise.all([
        ledger.claimRelease(versionId, 5_000),
        ledger.claimRelease(versionId, 5_000),
      ]);

      // Assert
      expect(both).toContainEqual({ status: 'claimed', redelivered: false });
      expect(both).toContainEqual({ status: 'claimed', redelivered: true });
    });
  });
  describe('claimRelease stamps and getRelease', () => {
    it('stamps the state and date of the claiming snapshot only: an older or equal one changes nothing', async () => {
      // Arrange
      const versionId = String(20_000 + ++sequence);

      // Act
      await ledger.claimRelease(versionId, 1_000, { state: 'active', releaseDate: '2026-03-08' });
      const afterFirst = await ledger.getRelease(versionId);
      await ledger.claimRelease(versionId, 999, { state: 'deleted' });
      await ledger.claimRelease(versionId, 1_000, { state: 'deleted' });
      const afterRefusals = await ledger.getRelease(versionId);
      await ledger.claimRelease(versionId, 1_001, { state: 'deleted' });
      const afterNewer = await ledger.getRelease(versionId);

      // Assert
      expect(afterFirst).toEqual({ readAt: 1_000, state: 'active', releaseDate: '2026-03-08' });
      expect(afterRefusals).toEqual(afterFirst);
      expect(afterNewer).toEqual({ readAt: 1_001, state: 'deleted' });
      expect(await ledger.getRelease(String(90_000 + sequence))).toBeNull();
    });
  });

  describe('recordPointOutcome', () => {
    it('records a point outcome once; missed replaces caught up, nothing replaces missed', async () => {
      // Arrange
      const key = `10001:b1d0h0m0900@2026-03-08:Europe/Berlin:${++sequence}`;
      const caughtUp = {
        status: 'caught_up' as const,
        reason: 'catch_up',
        versionId: '10001',
        pointId: 'b1d0h0m0900',
        releaseDate: '2026-03-08',
        timeZone: 'Europe/Berlin',
      };
      const missed = { ...caughtUp, status: 'missed' as const, reason: 'past_deadline' };
      const read = async () =>
        (
          await documents.send(
            new GetCommand({ TableName: table, Key: { pk: `point#${key}` }, ConsistentRead: true }),
          )
        ).Item;

      // Act
      const first = await ledger.recordPointOutcome(key, caughtUp);
      const again = await ledger.recordPointOutcome(key, caughtUp);
      const afterCaughtUp = await read();
      const replaced = await ledger.recordPointOutcome(key, missed);
      const missedAgain = await ledger.recordPointOutcome(key, { ...missed, reason: 'catch_up_skip' });
      const caughtUpOverMissed = await ledger.recordPointOutcome(key, caughtUp);

      // Assert
      expect([first, again, replaced, missedAgain, caughtUpOverMissed]).toEqual([
        true,
        false,
        true,
        false,
        false,
      ]);
      expect(afterCaughtUp).toMatchObject({ ...caughtUp, at: '2026-03-01T10:00:00.000Z' });
      expect(await read()).toMatchObject({ ...missed, at: '2026-03-01T10:00:00.000Z' });
    });
  });

  describe('recordSendOutcome', () => {
    const outcome = {
      status: 'missed' as const,
      reason: 'past_deadline',
      versionId: '10001',
      pointId: 'b7d0h0m0900',
      releaseDate: '2026-03-08',
    };

    it('records a missed email on a free key, and a later claim finds it final', async () => {
      // Arrange
      const key = freshKey();

      // Act
      const recorded = await ledger.recordSendOutcome(key, outcome);
      const claim = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 3_600_000 });

      // Assert
      expect(recorded).toEqual({ recorded: true });
      expect(claim).toEqual({ status: 'rejected', reason: 'missed' });
      expect(await rowOf(key)).toMatchObject({ status: 'missed', reason: 'past_deadline' });
    });

    it('refuses to overwrite a claimed or a sent email, and reports what is there', async () => {
      // Arrange
      const claimed = freshKey();
      const sent = freshKey();
      await ledger.claimSend(claimed, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.claimSend(sent, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markSent(sent, 'ses-1');

      // Act
      const onClaimed = await ledger.recordSendOutcome(claimed, outcome);
      const onSent = await ledger.recordSendOutcome(sent, {
        ...outcome,
        status: 'skipped_release_changed',
        reason: 'release_deleted',
      });

      // Assert
      expect(onClaimed).toEqual({ recorded: false, status: 'claimed' });
      expect(onSent).toEqual({ recorded: false, status: 'sent' });
      expect(await rowOf(sent)).toMatchObject({ status: 'sent', messageId: 'ses-1' });
    });
  });

  describe('markAmbiguous', () => {
    it('marks a live claim ambiguous, keeps its lease, and lets a claimer take it over only after the lease', async () => {
      // Arrange
      const key = freshKey();
      await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0, sesTag: 'tag-a' });

      // Act
      await ledger.markAmbiguous(key);
      const during = await ledger.claimSend(key, { leaseSeconds: LEASE_SECONDS, now: T0 + 1000 });
      const released = await ledger.giveBackSendClaim(key).then(() => rowOf(key));
      const after = await ledger.claimSend(key, {
        leaseSeconds: LEASE_SECONDS,
        now: T0 + LEASE_SECONDS * 1000 + 1,
      });

      // Assert
      expect(during).toEqual({ status: 'in_progress', leaseExpiresAt: T0 + LEASE_SECONDS * 1000 });
      expect(released).toMatchObject({ status: 'ambiguous', sesTag: 'tag-a' });
      expect(after).toEqual({ status: 'claimed', takenOver: true });
      expect(await rowOf(key)).toMatchObject({ status: 'claimed', claims: 2, sesTag: 'tag-a' });
    });

    it('refuses to turn a sent row, or a key never claimed, into ambiguous', async () => {
      // Arrange
      const sent = freshKey();
      const never = freshKey();
      await ledger.claimSend(sent, { leaseSeconds: LEASE_SECONDS, now: T0 });
      await ledger.markSent(sent, 'ses-message-3');

      // Act
      await ledger.markAmbiguous(sent);
      await ledger.markAmbiguous(never);

      // Assert
      expect(await rowOf(sent)).toMatchObject({ status: 'sent', messageId: 'ses-message-3' });
      expect(await rowOf(never)).toBeUndefined();
    });
  });

  describe('recordSesEvent and getSesEvents', () => {
    it('keeps the first time of each event type and the message id, whatever the order and repeats', async () => {
      // Arrange
      const tag = `tag-${++sequence}`;

      // Act
      const before = await ledger.getSesEvents(tag);
      await ledger.recordSesEvent(tag, {
        type: 'Delivery',
        messageId: 'm-1',
        at: '2026-03-01T10:00:02.000Z',
      });
      await ledger.recordSesEvent(tag, { type: 'Send', messageId: 'm-1', at: '2026-03-01T10:00:01.000Z' });
      await ledger.recordSesEvent(tag, { type: 'Send', messageId: 'm-1', at: '2026-03-01T10:05:00.000Z' });

      // Assert
      expect(before).toBeNull();
      expect(await ledger.getSesEvents(tag)).toEqual({
        messageId: 'm-1',
        events: { Send: '2026-03-01T10:00:01.000Z', Delivery: '2026-03-01T10:00:02.000Z' },
      });
    });
  });
});
