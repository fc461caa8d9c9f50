import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '#adapters/directory/DynamoTable';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { CorruptItemError, isConditionalCheckFailed } from '#adapters/directory/dynamoErrors';
import { type EmailDraft, emailDraft } from '#contracts/emailDraft';
import { describeIssues, parseContract } from '#contracts/errors';
import type { ApprovalDecisionRecord, ApprovalRecord } from '#contracts/approval';
import { RetryableError } from '#shared/errors';
import type { ApprovalLedgerPort, ApproverBounce, DecideOutcome } from './ApprovalLedgerPort.ts';
import type { ApprovalSettlement } from './approvalTransitions.ts';
import { DynamoApprovals } from './DynamoApprovals.ts';
import {
  type ClaimOptions,
  type ClaimOutcome,
  type DraftClaim,
  type DraftClaimOptions,
  EMAIL_OUTCOMES,
  type LedgerPort,
  type OutcomeRecord,
  type ReleaseClaim,
  type ReleaseRecord,
  type ReleaseStamp,
  type SendOutcomeResult,
  SES_EVENT_TYPES,
  type SesEventRecord,
  type SesEventsOfEmail,
} from './LedgerPort.ts';
import { addToReleaseIndex } from './releaseIndex.ts';

/** Options of {@link DynamoLedger}. */
export interface DynamoLedgerOptions {
  /**
   * Document client. Default `DynamoDBDocumentClient.from(new DynamoDBClient({}))` with
   * `removeUndefinedValues`.
   */
  client?: DynamoDBDocumentClient;
  /** Physical name of the ledger table (`resourceName(topology.tables.ledger, env)`). */
  tableName: string;
  /** Rows expire this many seconds after they are written (TTL attribute `expiresAt`); `topology.ledgerTtlSeconds`. */
  ttlSeconds: number;
  /** Clock, epoch ms, for draft TTLs and `sentAt` / `rejectedAt` stamps. Default `Date.now`. */
  now?: () => number;
}

const DRAFT_PREFIX = 'draft#';
const DRAFT_CLAIM_PREFIX = 'draftclaim#';
const SEND_PREFIX = 'send#';
const RELEASE_PREFIX = 'release#';
const POINT_PREFIX = 'point#';
const SES_PREFIX = 'ses#';

/** Send row statuses as stored. */
const STATUS = { claimed: 'claimed', ambiguous: 'ambiguous', sent: 'sent', rejected: 'rejected' } as const;

/** Attribute of an SES events row holding the first time of an event type: `at<Type>`, e.g. `atSend`. */
const eventAttribute = (type: string): string => `at${type}`;

/** The attributes of a send row that decide a claim. */
interface SendRow {
  status: unknown;
  leaseExpiresAt: unknown;
  messageId: unknown;
  reason: unknown;
}

/**
 * Reads the decisive attributes of an item returned raw (un-marshalled) by DynamoDB on a failed
 * condition: the document client does not translate `ConditionalCheckFailedException.Item`.
 */
const fromRawItem = (item: Record<string, AttributeValue>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      value.S ?? (value.N === undefined ? (value.BOOL ?? undefined) : Number(value.N)),
    ]),
  );

/** `ConditionalCheckFailedException.Item`, present when the request asked for `ALL_OLD`. */
const oldItemOf = (err: unknown): Record<string, unknown> | undefined => {
  const item = (err as { Item?: Record<string, AttributeValue> }).Item;
  return item && Object.keys(item).length > 0 ? fromRawItem(item) : undefined;
};

/** The entries whose value is not undefined (a caller's client may lack `removeUndefinedValues`). */
const definedOnly = (values: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

/**
 * The idempotency ledger in one DynamoDB table (partition key `pk` only, TTL attribute `expiresAt`,
 * epoch seconds):
 * - draft: `draft#<key>` with `draft` (the {@link EmailDraft} as JSON text, parsed with the
 *   contract schema when read) and `createdAt`;
 * - send: `send#<sendKey>` with `status` (`claimed` | `ambiguous` | `sent` | `rejected`),
 *   `leaseExpiresAt` (epoch ms), `claims` (how many times it was claimed), `sesTag` (the SES tag
 *   value its events carry), `messageId`, `reason`;
 * - SES events: `ses#<sesTag>` with `messageId` and `at<Type>` (ISO, the first event of each
 *   type: `atSend`, `atDelivery`, `atBounce`, `atComplaint`, `atReject`, `atDeliveryDelay`);
 * - release watermark: `release#<versionId>` with `readAt` (epoch ms, the newest snapshot the
 *   schedule stage claimed), `claimedAt` (ISO) and that snapshot's `state` and `releaseDate`;
 * - approval record of a release point: `approval#<approvalKey>` (see {@link DynamoApprovals});
 * - point outcome: `point#<key>` with `status` (`missed` | `caught_up`), `reason`, `at` (ISO),
 *   `versionId`, `pointId`, `releaseDate`, `timeZone`; an email given up without a send is its
 *   send row with `status` `missed` | `skipped_release_changed` | `opted_out` | `removed` and the
 *   same attributes, and each point outcome is listed in its release's index row
 *   (`index#<versionId>`, see {@link addToReleaseIndex}); its TTL is refreshed by every claim, and a
 *   snapshot can never be older than SQS retention (14 days), far below the TTL.
 *
 * Every write that decides ownership is conditional; a lost condition reads the winner from
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` (moto 5.2 returns it for PutItem and UpdateItem)
 * and falls back to a strongly consistent GetItem when an emulator leaves it out. Every read is
 * strongly consistent: the ledger is only useful if it sees the latest write.
 */
export class DynamoLedger implements LedgerPort, ApprovalLedgerPort {
  readonly #client: DynamoDBDocumentClient;
  readonly #db: DynamoTable;
  /** Approval records (rows `approval#<approvalKey>`, see {@link DynamoApprovals}). */
  readonly #approvals: DynamoApprovals;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoLedgerOptions) {
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new RangeError(
        `ttlSeconds must be a positive whole number of seconds, got ${options.ttlSeconds}`,
      );
    }
    this.#client = options.client ?? defaultDocumentClient();
    this.#table = options.tableName;
    this.#db = new DynamoTable(this.#client, this.#table);
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
    this.#approvals = new DynamoApprovals({
      client: this.#client,
      tableName: this.#table,
      ttlSeconds: this.#ttlSeconds,
      now: this.#now,
    });
  }

  getApproval(approvalKey: string): Promise<ApprovalRecord | null> {
    return this.#approvals.getApproval(approvalKey);
  }

  putApprovalRevision(record: ApprovalRecord): Promise<ApprovalRecord> {
    return this.#approvals.putApprovalRevision(record);
  }

  decide(approvalKey: string, decision: ApprovalDecisionRecord): Promise<DecideOutcome> {
    return this.#approvals.decide(approvalKey, decision);
  }

  settleApproval(approvalKey: string, settlement: ApprovalSettlement): Promise<ApprovalRecord> {
    return this.#approvals.settleApproval(approvalKey, settlement);
  }

  listApprovals(versionId?: string): Promise<ApprovalRecord[]> {
    return this.#approvals.listApprovals(versionId);
  }

  recordApproverBounce(approver: string, bounce: ApproverBounce): Promise<void> {
    return this.#approvals.recordApproverBounce(approver, bounce);
  }

  async getDraft(key: string): Promise<EmailDraft | null> {
    const item = await this.#db.getByPk(`${DRAFT_PREFIX}${key}`);
    return item ? this.#parseDraft(item) : null;
  }

  async putDraftIfAbsent(draft: EmailDraft): Promise<EmailDraft> {
    const parsed = parseContract('email draft', emailDraft, draft);
    const pk = `${DRAFT_PREFIX}${parsed.key}`;
    try {
      await this.#db.send('PutItem', {
        Item: {
          pk,
          draft: JSON.stringify(parsed),
          createdAt: parsed.createdAt,
          expiresAt: this.#expiresAt(this.#now()),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return parsed;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      // Another composer stored its draft first: everyone sends the winner's words.
      const existing = oldItemOf(err) ?? (await this.#db.getByPk(pk));
      if (!existing) {
        throw new RetryableError(`draft ${parsed.key} was reported present but could not be read back`, {
          cause: err,
        });
      }
      return this.#parseDraft(existing);
    }
  }

  async claimDraft(key: string, options: DraftClaimOptions): Promise<DraftClaim> {
    const pk = `${DRAFT_CLAIM_PREFIX}${key}`;
    const leaseExpiresAt = options.now + options.leaseSeconds * 1000;
    try {
      // A row of its own beside the draft: the draft row stays a plain first-writer-wins cache.
      await this.#db.send('UpdateItem', {
        Key: { pk },
        UpdateExpression: 'SET #lease = :lease, #expiresAt = :expiresAt ADD #claims :one',
        ConditionExpression: 'attribute_not_exists(pk) OR #lease < :now',
        ExpressionAttributeNames: {
          '#lease': 'leaseExpiresAt',
          '#expiresAt': 'expiresAt',
          '#claims': 'claims',
        },
        ExpressionAttributeValues: {
          ':lease': leaseExpiresAt,
          ':now': options.now,
          ':expiresAt': this.#expiresAt(options.now),
          ':one': 1,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { status: 'claimed' };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const existing = oldItemOf(err) ?? (await this.#db.getByPk(pk));
      const held = existing?.leaseExpiresAt;
      // Gone between the condition and the read (TTL): report it held until now, so the caller retries.
      return { status: 'in_progress', leaseExpiresAt: typeof held === 'number' ? held : options.now };
    }
  }

  async claimSend(sendKey: string, options: ClaimOptions): Promise<ClaimOutcome> {
    const pk = `${SEND_PREFIX}${sendKey}`;
    const leaseExpiresAt = options.now + options.leaseSeconds * 1000;
    const tag = options.sesTag === undefined ? '' : ', #sesTag = :sesTag';
    try {
      // Succeeds on a new row, or takes over a claim whose lease ran out (its holder crashed or
      // timed out before markSent/giveBackSendClaim, or saw an ambiguous SES failure). A sent or
      // rejected row is never touched. `giveBackSendClaim` deletes the row, so `claims` above 1 means
      // this took over a claim whose SES call may have happened.
      const result = await this.#db.send('UpdateItem', {
        Key: { pk },
        UpdateExpression: `SET #status = :claimed, #lease = :lease, #expiresAt = :expiresAt${tag} ADD #claims :one`,
        ConditionExpression:
          'attribute_not_exists(pk) OR ((#status = :claimed OR #status = :ambiguous) AND #lease < :now)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#lease': 'leaseExpiresAt',
          '#expiresAt': 'expiresAt',
          '#claims': 'claims',
          ...(options.sesTag === undefined ? {} : { '#sesTag': 'sesTag' }),
        },
        ExpressionAttributeValues: {
          ':claimed': STATUS.claimed,
          ':ambiguous': STATUS.ambiguous,
          ':lease': leaseExpiresAt,
          ':now': options.now,
          ':expiresAt': this.#expiresAt(options.now),
          ':one': 1,
          ...(options.sesTag === undefined ? {} : { ':sesTag': options.sesTag }),
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      const claims = Number(result.Attributes?.claims ?? 1);
      return { status: 'claimed', takenOver: claims > 1 };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      // An old item without a status is no send row's whole picture (seen from moto under
      // concurrent writes to one item): read the row itself before judging it.
      const old = oldItemOf(err);
      const existing = old?.status !== undefined ? old : await this.#db.getByPk(pk);
      // Gone between the condition and the read (a giveBackSendClaim raced us): the caller retries.
      if (!existing) return { status: 'in_progress', leaseExpiresAt: options.now };
      return this.#outcomeOf(pk, existing as unknown as SendRow);
    }
  }

  async markSent(sendKey: string, messageId: string): Promise<void> {
    // Unconditional on purpose: SES has accepted the email, so "sent" is the truth even when the
    // lease ran out meanwhile. A failed condition here would make the record retry, find the row
    // still claimed, and send a second copy once the lease expires.
    await this.#db.send('UpdateItem', {
      Key: { pk: `${SEND_PREFIX}${sendKey}` },
      UpdateExpression:
        'SET #status = :sent, #messageId = :messageId, #sentAt = :at, #expiresAt = :expiresAt',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#messageId': 'messageId',
        '#sentAt': 'sentAt',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':sent': STATUS.sent,
        ':messageId': messageId,
        ':at': new Date(this.#now()).toISOString(),
        ':expiresAt': this.#expiresAt(this.#now()),
      },
    });
  }

  async markRejected(sendKey: string, reason: string): Promise<void> {
    await this.#updateUnlessRefused({
      Key: { pk: `${SEND_PREFIX}${sendKey}` },
      UpdateExpression:
        'SET #status = :rejected, #reason = :reason, #rejectedAt = :at, #expiresAt = :expiresAt',
      // Never downgrade a sent email: "sent" is final.
      ConditionExpression: 'attribute_not_exists(#status) OR #status <> :sent',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#reason': 'reason',
        '#rejectedAt': 'rejectedAt',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':rejected': STATUS.rejected,
        ':sent': STATUS.sent,
        ':reason': reason,
        ':at': new Date(this.#now()).toISOString(),
        ':expiresAt': this.#expiresAt(this.#now()),
      },
    });
  }

  async giveBackSendClaim(sendKey: string): Promise<void> {
    try {
      await this.#db.send('DeleteItem', {
        Key: { pk: `${SEND_PREFIX}${sendKey}` },
        // Only a claim is given back; a sent or rejected row is the record of what happened.
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': STATUS.claimed },
      });
    } catch (err) {
      // Nothing to give back: the row is sent, rejected or already gone.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async markAmbiguous(sendKey: string): Promise<void> {
    await this.#updateUnlessRefused({
      Key: { pk: `${SEND_PREFIX}${sendKey}` },
      UpdateExpression: 'SET #status = :ambiguous, #ambiguousAt = :at',
      // Only a live claim becomes ambiguous: sent and rejected are final, and a missing row was
      // never claimed.
      ConditionExpression: '#status = :claimed',
      ExpressionAttributeNames: { '#status': 'status', '#ambiguousAt': 'ambiguousAt' },
      ExpressionAttributeValues: {
        ':claimed': STATUS.claimed,
        ':ambiguous': STATUS.ambiguous,
        ':at': new Date(this.#now()).toISOString(),
      },
    });
  }

  /** A conditional UpdateItem whose refused condition means there is nothing to do. */
  async #updateUnlessRefused(input: Omit<UpdateCommandInput, 'TableName'>): Promise<void> {
    try {
      await this.#db.send('UpdateItem', input);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async recordSesEvent(sesTag: string, event: SesEventRecord): Promise<void> {
    const now = this.#now();
    // if_not_exists keeps the first time of each type, so a redelivered event changes nothing.
    await this.#db.send('UpdateItem', {
      Key: { pk: `${SES_PREFIX}${sesTag}` },
      UpdateExpression:
        'SET #messageId = if_not_exists(#messageId, :messageId), #at = if_not_exists(#at, :at), #expiresAt = :expiresAt',
      ExpressionAttributeNames: {
        '#messageId': 'messageId',
        '#at': eventAttribute(event.type),
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':messageId': event.messageId,
        ':at': event.at,
        ':expiresAt': this.#expiresAt(now),
      },
    });
  }

  async getSesEvents(sesTag: string): Promise<SesEventsOfEmail | null> {
    const pk = `${SES_PREFIX}${sesTag}`;
    const item = await this.#db.getByPk(pk);
    if (!item) return null;
    if (typeof item.messageId !== 'string') {
      throw new CorruptItemError(this.#table, pk, [
        `messageId ${JSON.stringify(item.messageId)} is not a string`,
      ]);
    }
    const events: SesEventsOfEmail['events'] = {};
    for (const type of SES_EVENT_TYPES) {
      const at = item[eventAttribute(type)];
      if (typeof at === 'string') events[type] = at;
    }
    return { messageId: item.messageId, events };
  }

  async claimRelease(versionId: string, readAt: number, release?: ReleaseStamp): Promise<ReleaseClaim> {
    const pk = `${RELEASE_PREFIX}${versionId}`;
    const now = this.#now();
    try {
      // Strictly older only: an equal readAt is the same snapshot redelivered (or a second
      // snapshot read in the same millisecond), which the caller applies idempotently.
      await this.#db.send('PutItem', {
        Item: {
          pk,
          readAt,
          claimedAt: new Date(now).toISOString(),
          expiresAt: this.#expiresAt(now),
          // What send re-checks: a job of a release deleted or moved since compose is skipped.
          ...(release ? definedOnly({ state: release.state, releaseDate: release.releaseDate }) : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #readAt < :readAt',
        ExpressionAttributeNames: { '#readAt': 'readAt' },
        ExpressionAttributeValues: { ':readAt': readAt },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return { status: 'claimed', redelivered: false };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const existing = oldItemOf(err) ?? (await this.#db.getByPk(pk));
      if (!existing) {
        // Expired and removed between the condition and the read: claiming again will succeed.
        throw new RetryableError(`release watermark ${pk} was reported present but could not be read back`, {
          cause: err,
        });
      }
      const stored = this.#watermarkOf(pk, existing);
      if (stored === readAt) return { status: 'claimed', redelivered: true };
      if (stored > readAt) return { status: 'stale', watermark: stored };
      // Older than ours yet the condition failed: it moved between the write and the read.
      throw new RetryableError(`release watermark ${pk} changed while it was claimed`, { cause: err });
    }
  }

  async getReleaseWatermark(versionId: string): Promise<number | null> {
    const pk = `${RELEASE_PREFIX}${versionId}`;
    const item = await this.#db.getByPk(pk);
    return item ? this.#watermarkOf(pk, item) : null;
  }

  async getRelease(versionId: string): Promise<ReleaseRecord | null> {
    const pk = `${RELEASE_PREFIX}${versionId}`;
    const item = await this.#db.getByPk(pk);
    if (!item) return null;
    return {
      readAt: this.#watermarkOf(pk, item),
      ...(typeof item.state === 'string' ? { state: item.state } : {}),
      ...(typeof item.releaseDate === 'string' ? { releaseDate: item.releaseDate } : {}),
    };
  }

  async recordPointOutcome(key: string, outcome: OutcomeRecord): Promise<boolean> {
    // Listed under its release first, so `herald report` finds it by key.
    await addToReleaseIndex({
      client: this.#client,
      tableName: this.#table,
      versionId: outcome.versionId,
      pk: `${POINT_PREFIX}${key}`,
      expiresAt: this.#expiresAt(this.#now()),
    });
    try {
      // The final word on a point: `missed` replaces `caught_up`, nothing replaces `missed`.
      await this.#putOutcome(`${POINT_PREFIX}${key}`, outcome, outcome.status === 'missed');
      return true;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return false;
    }
  }

  async recordSendOutcome(sendKey: string, outcome: OutcomeRecord): Promise<SendOutcomeResult> {
    const pk = `${SEND_PREFIX}${sendKey}`;
    try {
      await this.#putOutcome(pk, outcome);
      return { recorded: true };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      const existing = oldItemOf(err) ?? (await this.#db.getByPk(pk));
      return { recorded: false, status: String(existing?.status ?? 'unknown') };
    }
  }

  /**
   * Writes an outcome row unless the key exists, or holds `caught_up` when `overCaughtUp`
   * (throws the conditional failure).
   */
  async #putOutcome(pk: string, outcome: OutcomeRecord, overCaughtUp = false): Promise<void> {
    const now = this.#now();
    await this.#db.send('PutItem', {
      Item: {
        pk,
        ...definedOnly({ ...outcome }),
        at: new Date(now).toISOString(),
        expiresAt: this.#expiresAt(now),
      },
      ...(overCaughtUp
        ? {
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :caughtUp',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':caughtUp': 'caught_up' },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  }

  /** The `readAt` of a stored release watermark row. */
  #watermarkOf(pk: string, item: Record<string, unknown>): number {
    const { readAt } = item;
    if (typeof readAt !== 'number' || !Number.isInteger(readAt)) {
      throw new CorruptItemError(this.#table, pk, [
        `readAt ${JSON.stringify(readAt)} is not an epoch-millisecond number`,
      ]);
    }
    return readAt;
  }

  /** The claim outcome a stored send row stands for. */
  #outcomeOf(pk: string, row: SendRow): ClaimOutcome {
    if (row.status === STATUS.sent && typeof row.messageId === 'string') {
      return { status: 'sent', messageId: row.messageId };
    }
    if (row.status === STATUS.rejected && typeof row.reason === 'string') {
      return { status: 'rejected', reason: row.reason };
    }
    if ((EMAIL_OUTCOMES as readonly unknown[]).includes(row.status)) {
      // Given up without a send (missed, release changed): as final as a rejection.
      return { status: 'rejected', reason: String(row.status) };
    }
    if (
      (row.status === STATUS.claimed || row.status === STATUS.ambiguous) &&
      typeof row.leaseExpiresAt === 'number'
    ) {
      return { status: 'in_progress', leaseExpiresAt: row.leaseExpiresAt };
    }
    throw new CorruptItemError(this.#table, pk, [
      `status ${JSON.stringify(row.status)} with messageId ${JSON.stringify(row.messageId)}, reason ${JSON.stringify(row.reason)}, leaseExpiresAt ${JSON.stringify(row.leaseExpiresAt)} is not a send state`,
    ]);
  }

  #parseDraft(item: Record<string, unknown>): EmailDraft {
    const pk = String(item.pk);
    let value: unknown;
    try {
      value = typeof item.draft === 'string' ? JSON.parse(item.draft) : item.draft;
    } catch (cause) {
      throw new CorruptItemError(this.#table, pk, [`draft: not JSON (${(cause as Error).message})`], {
        cause,
      });
    }
    const result = emailDraft.safeParse(value);
    if (!result.success) {
      throw new CorruptItemError(this.#table, pk, describeIssues(result.error), { cause: result.error });
    }
    return result.data;
  }

  #expiresAt(nowMs: number): number {
    return Math.floor(nowMs / 1000) + this.#ttlSeconds;
  }
}
