import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '#adapters/directory/DynamoTable';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { CorruptItemError, isConditionalCheckFailed } from '#adapters/directory/dynamoErrors';
import { type ActiveRegion, activeRegion } from '#contracts/activeRegion';
import { describeIssues } from '#contracts/errors';
import type { ActiveRegionPort } from './ActiveRegionPort.ts';
import { ActiveRegionChangedError } from './errors.ts';

/** Options of {@link DynamoActiveRegion}. */
export interface DynamoActiveRegionOptions {
  /** Document client. Default {@link defaultDocumentClient}. */
  client?: DynamoDBDocumentClient;
  /** Physical name of the ledger table (`resourceName(topology.tables.ledger, env)`). */
  tableName: string;
}

/** Partition key of the record; no other ledger row starts with `deployment#`. */
export const ACTIVE_REGION_PK = 'deployment#active-region';

/**
 * The active-region record as one item of the ledger table (`pk` {@link ACTIVE_REGION_PK}, the
 * {@link ActiveRegion} fields as attributes, no `expiresAt`: it never expires). Reads are strongly
 * consistent, which in a global table means "the latest write this region's replica has seen".
 */
export class DynamoActiveRegion implements ActiveRegionPort {
  readonly #db: DynamoTable;

  constructor(options: DynamoActiveRegionOptions) {
    this.#db = new DynamoTable(options.client ?? defaultDocumentClient(), options.tableName);
  }

  async get(): Promise<ActiveRegion | null> {
    const result = await this.#db.send('GetItem', { Key: { pk: ACTIVE_REGION_PK }, ConsistentRead: true });
    if (result.Item === undefined) return null;
    const { pk: _pk, ...fields } = result.Item;
    const parsed = activeRegion.safeParse(fields);
    if (!parsed.success)
      throw new CorruptItemError(this.#db.name, ACTIVE_REGION_PK, describeIssues(parsed.error));
    return parsed.data;
  }

  async put(next: ActiveRegion, expectedEpoch: number | null): Promise<void> {
    const record = activeRegion.parse(next);
    try {
      await this.#db.send('PutItem', {
        Item: { pk: ACTIVE_REGION_PK, ...record },
        ...(expectedEpoch === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'epoch = :expected',
              ExpressionAttributeValues: { ':expected': expectedEpoch },
            }),
      });
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new ActiveRegionChangedError(expectedEpoch, { cause: err });
      throw err;
    }
  }
}
