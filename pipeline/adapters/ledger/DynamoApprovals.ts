import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '#adapters/directory/DynamoTable';
import { dynamoCall } from '#adapters/directory/dynamoCall';
import { CorruptItemError, isConditionalCheckFailed } from '#adapters/directory/dynamoErrors';
import { type ApprovalDecisionRecord, type ApprovalRecord, approvalRecord } from '#contracts/approval';
import { describeIssues, parseContract } from '#contracts/errors';
import { RetryableError } from '#shared/errors';
import type { ApprovalLedgerPort, ApproverBounce, DecideOutcome } from './ApprovalLedgerPort.ts';
import {
  type ApprovalSettlement,
  type ApprovalTransition,
  decisionTransition,
  revisionTransition,
  settlementTransition,
} from './approvalTransitions.ts';
import { ApprovalNotFoundError } from './errors.ts';

/** Ledger key prefix of approval rows: `approval#<approvalKey>`. */
export const APPROVAL_PREFIX = 'approval#';

/** Ledger key prefix of approver bounce rows: `approverbounce#<address>`. */
export const APPROVER_BOUNCE_PREFIX = 'approverbounce#';

/** Optimistic writes tried before giving up with a retryable error (each lost race re-reads). */
const MAX_ATTEMPTS = 8;

/** Options of {@link DynamoApprovals}. */
export interface DynamoApprovalsOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Rows expire this many seconds after the later of their write and their `dueAt`. */
  ttlSeconds: number;
  /** Clock, epoch ms. */
  now: () => number;
}

interface StoredApproval {
  record: ApprovalRecord;
  /** Write counter of the row: every write is conditional on the one it read. */
  seq: number;
}

/**
 * Approval records in the ledger table, one row per release point: `approval#<approvalKey>` with
 * `record` (the {@link ApprovalRecord} as JSON text, parsed with the contract when read), `seq`
 * (a write counter), `versionId`, `state`, `revision`, `contentHash` and `expiresAt`. Every
 * change reads the row, decides with the pure rules of `approvalTransitions.ts`, and writes
 * conditionally on `seq` being what it read (or the row being absent): concurrent deciders and
 * settlers serialise on the row, and a loser re-reads and decides again.
 */
export class DynamoApprovals implements ApprovalLedgerPort {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #db: DynamoTable;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoApprovalsOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#db = new DynamoTable(this.#client, this.#table);
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now;
  }

  async getApproval(approvalKey: string): Promise<ApprovalRecord | null> {
    return (await this.#read(approvalKey))?.record ?? null;
  }

  putApprovalRevision(record: ApprovalRecord): Promise<ApprovalRecord> {
    const incoming = parseContract('approval record', approvalRecord, record);
    return this.#mutate(incoming.approvalKey, (stored) => revisionTransition(stored, incoming));
  }

  decide(approvalKey: string, decision: ApprovalDecisionRecord): Promise<DecideOutcome> {
    return this.#mutate(approvalKey, (stored) => decisionTransition(stored, decision));
  }

  settleApproval(approvalKey: string, settlement: ApprovalSettlement): Promise<ApprovalRecord> {
    return this.#mutate(approvalKey, (stored) => {
      if (stored === null) throw new ApprovalNotFoundError(approvalKey);
      return settlementTransition(stored, settlement);
    });
  }

  async listApprovals(versionId?: string): Promise<ApprovalRecord[]> {
    // Approval rows are few beside the send rows: an operator's paged, filtered Scan is enough.
    const prefix = versionId === undefined ? APPROVAL_PREFIX : `${APPROVAL_PREFIX}approval:${versionId}:`;
    const records: ApprovalRecord[] = [];
    const pages = paginateScan(
      { client: this.#client },
      {
        TableName: this.#table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    await dynamoCall('Scan', this.#table, async () => {
      for await (const page of pages) {
        for (const item of page.Items ?? []) records.push(this.#recordOf(item).record);
      }
    });
    return records.sort(
      (a, b) => a.dueAt.localeCompare(b.dueAt) || a.approvalKey.localeCompare(b.approvalKey),
    );
  }

  async recordApproverBounce(approver: string, bounce: ApproverBounce): Promise<void> {
    const now = this.#now();
    // UpdateItem, as the feedback stage's SES event rows: its grant covers it.
    await this.#db.send('UpdateItem', {
      Key: { pk: `${APPROVER_BOUNCE_PREFIX}${approver.toLowerCase()}` },
      UpdateExpression:
        'SET #type = :type, #at = :at, #versionId = :versionId, #pointId = :pointId, #expiresAt = :expiresAt ADD #count :one',
      ExpressionAttributeNames: {
        '#type': 'type',
        '#at': 'at',
        '#versionId': 'versionId',
        '#pointId': 'pointId',
        '#expiresAt': 'expiresAt',
        '#count': 'count',
      },
      ExpressionAttributeValues: {
        ':type': bounce.type,
        ':at': bounce.at,
        ':versionId': bounce.versionId ?? '',
        ':pointId': bounce.pointId ?? '',
        ':expiresAt': Math.floor(now / 1000) + this.#ttlSeconds,
        ':one': 1,
      },
    });
  }

  /** Reads, decides and writes conditionally until the write lands or the decision is to keep. */
  async #mutate<R>(
    approvalKey: string,
    decide: (stored: ApprovalRecord | null) => ApprovalTransition<R>,
  ): Promise<R> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.#read(approvalKey);
      const transition = decide(stored?.record ?? null);
      if (transition.kind === 'keep') return transition.result;
      if (await this.#write(transition.record, stored?.seq)) return transition.result;
    }
    throw new RetryableError(`approval ${approvalKey} kept changing under ${MAX_ATTEMPTS} writes`);
  }

  /** Writes the row if its `seq` is still `seq` (absent when undefined); false when it was not. */
  async #write(record: ApprovalRecord, seq: number | undefined): Promise<boolean> {
    const now = this.#now();
    const until = Math.max(now, Date.parse(record.dueAt));
    try {
      await this.#db.send('PutItem', {
        Item: {
          pk: `${APPROVAL_PREFIX}${record.approvalKey}`,
          record: JSON.stringify(record),
          seq: (seq ?? 0) + 1,
          versionId: record.versionId,
          state: record.state,
          revision: record.revision,
          contentHash: record.contentHash,
          expiresAt: Math.floor(until / 1000) + this.#ttlSeconds,
        },
        ...(seq === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#seq = :seq',
              ExpressionAttributeNames: { '#seq': 'seq' },
              ExpressionAttributeValues: { ':seq': seq },
            }),
      });
      return true;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
      return false;
    }
  }

  async #read(approvalKey: string): Promise<StoredApproval | undefined> {
    const pk = `${APPROVAL_PREFIX}${approvalKey}`;
    const item = await this.#db.getByPk(pk);
    return item ? this.#recordOf(item) : undefined;
  }

  #recordOf(item: Record<string, unknown>): StoredApproval {
    const pk = String(item.pk);
    if (typeof item.seq !== 'number' || typeof item.record !== 'string') {
      throw new CorruptItemError(this.#table, pk, ['seq or record missing']);
    }
    let value: unknown;
    try {
      value = JSON.parse(item.record);
    } catch (cause) {
      throw new CorruptItemError(this.#table, pk, [`record: not JSON (${(cause as Error).message})`], {
        cause,
      });
    }
    return { record: this.#parse(pk, value), seq: item.seq };
  }

  #parse(pk: string, value: unknown): ApprovalRecord {
    const result = approvalRecord.safeParse(value);
    if (!result.success) {
      throw new CorruptItemError(this.#table, pk, describeIssues(result.error), { cause: result.error });
    }
    return result.data;
  }
}
