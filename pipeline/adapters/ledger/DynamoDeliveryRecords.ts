import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '#adapters/directory/DynamoTable';
import { defaultDocumentClient } from '#adapters/directory/defaultDocumentClient';
import { dynamoCall } from '#adapters/directory/dynamoCall';
import { isConditionalCheckFailed } from '#adapters/directory/dynamoErrors';
import { sendTag } from '#contracts/sendTag';
import { RetryableError } from '#shared/errors';
import type {
  ChunkPlan,
  DeliveryRecordsPort,
  EmailState,
  PointOutcomeRow,
  ReleaseRows,
} from './DeliveryRecordsPort.ts';
import { type OutcomeRecord, SES_EVENT_TYPES } from './LedgerPort.ts';
import { addToReleaseIndex, INDEX_PREFIX } from './releaseIndex.ts';

/** Options of {@link DynamoDeliveryRecords}. */
export interface DynamoDeliveryRecordsOptions {
  /** Document client. Default {@link defaultDocumentClient}. */
  client?: DynamoDBDocumentClient;
  /** Physical name of the ledger table. */
  tableName: string;
  /** Rows expire this many seconds after they are written; `topology.ledgerTtlSeconds`. */
  ttlSeconds: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Waits between BatchGetItem retries of unprocessed keys. Default a timer. */
  sleep?: (ms: number) => Promise<unknown>;
}

const PLAN_PREFIX = 'plan#';
const ALIAS_PREFIX = 'alias#';
const POINT_PREFIX = 'point#';

/** BatchGetItem takes at most 100 keys. */
const BATCH_SIZE = 100;
/** Rounds of BatchGetItem for keys DynamoDB left unprocessed (throttling) before giving up. */
const BATCH_ROUNDS = 6;

/** The plan row key of a chunk: `plan#<versionId>:<pointId>@<date|none>:<zone>:<chunk>`. */
export const planRowKey = (
  plan: Pick<ChunkPlan, 'versionId' | 'pointId' | 'releaseDate' | 'timeZone' | 'chunk'>,
) =>
  `${PLAN_PREFIX}${plan.versionId}:${plan.pointId}@${plan.releaseDate ?? 'none'}:${plan.timeZone}:${plan.chunk.index}`;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * {@link DeliveryRecordsPort} on the ledger table (partition key `pk`):
 * - plan: `plan#<versionId>:<pointId>@<date>:<zone>:<chunk>` with the {@link ChunkPlan} as JSON
 *   text (`plan`), written once (a redelivered chunk keeps the first);
 * - index: `index#<versionId>` with `rows` (a string set of the plan and point outcome keys of the
 *   release), `projectKey` and `versionName`;
 * - alias: `alias#<projectKey>#<versionName>` with `versionId` (Jira names versions uniquely per
 *   project; a renamed version gets a new alias at its next point).
 * Reads are strongly consistent GetItem/BatchGetItem by key.
 */
export class DynamoDeliveryRecords implements DeliveryRecordsPort {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #db: DynamoTable;
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<unknown>;

  constructor(options: DynamoDeliveryRecordsOptions) {
    this.#client = options.client ?? defaultDocumentClient();
    this.#table = options.tableName;
    this.#db = new DynamoTable(this.#client, this.#table);
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async recordFanOut(plan: ChunkPlan): Promise<void> {
    const pk = planRowKey(plan);
    const expiresAt = Math.floor(this.#now() / 1000) + this.#ttlSeconds;
    await addToReleaseIndex({
      client: this.#client,
      tableName: this.#table,
      versionId: plan.versionId,
      pk,
      expiresAt,
      names: { projectKey: plan.projectKey, versionName: plan.versionName },
    });
    try {
      await this.#db.send('PutItem', {
        Item: { pk, versionId: plan.versionId, plan: JSON.stringify(plan), expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (err) {
      // A redelivered chunk: the first plan (and its fan-out time) stays.
      if (!isConditionalCheckFailed(err)) throw err;
    }
    await this.#db.send('PutItem', {
      Item: {
        pk: `${ALIAS_PREFIX}${plan.projectKey}#${plan.versionName}`,
        versionId: plan.versionId,
        expiresAt,
      },
    });
  }

  async readRelease(versionId: string): Promise<ReleaseRows> {
    const index = await this.#db.getByPk(`${INDEX_PREFIX}${versionId}`);
    const rows = index?.rows instanceof Set ? [...(index.rows as Set<string>)] : [];
    const items = await this.#batchGet(rows.sort());
    const plans: ChunkPlan[] = [];
    const pointOutcomes: PointOutcomeRow[] = [];
    for (const pk of rows) {
      const item = items.get(pk);
      if (!item) continue;
      if (pk.startsWith(PLAN_PREFIX) && typeof item.plan === 'string') {
        plans.push(JSON.parse(item.plan) as ChunkPlan);
      } else if (pk.startsWith(POINT_PREFIX)) {
        pointOutcomes.push({
          ...(item as unknown as OutcomeRecord),
          key: pk.slice(POINT_PREFIX.length),
          at: String(item.at),
        });
      }
    }
    return {
      versionId,
      projectKey: str(index?.projectKey),
      versionName: str(index?.versionName),
      plans,
      pointOutcomes,
    };
  }

  async readEmails(sendKeys: readonly string[]): Promise<Map<string, EmailState>> {
    const tags = new Map(sendKeys.map((key) => [key, sendTag(key)]));
    const items = await this.#batchGet([
      ...sendKeys.map((key) => `send#${key}`),
      ...[...tags.values()].map((tag) => `ses#${tag}`),
    ]);
    const states = new Map<string, EmailState>();
    for (const key of sendKeys) {
      const row = items.get(`send#${key}`);
      const ses = items.get(`ses#${tags.get(key)}`);
      const events: EmailState['events'] = {};
      for (const type of SES_EVENT_TYPES) {
        const at = ses?.[`at${type}`];
        if (typeof at === 'string') events[type] = at;
      }
      states.set(key, { status: str(row?.status), reason: str(row?.reason), events });
    }
    return states;
  }

  async versionIdOf(projectKey: string, versionName: string): Promise<string | null> {
    const item = await this.#db.getByPk(`${ALIAS_PREFIX}${projectKey}#${versionName}`);
    return str(item?.versionId) ?? null;
  }

  /** Items by `pk` (absent keys are missing from the map), 100 keys per BatchGetItem, unprocessed keys retried. */
  async #batchGet(pks: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const unique = [...new Set(pks)];
    for (let start = 0; start < unique.length; start += BATCH_SIZE) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + BATCH_SIZE).map((pk) => ({ pk }));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= BATCH_ROUNDS) {
          throw new RetryableError(`BatchGetItem on ${this.#table} left ${keys.length} key(s) unprocessed`);
        }
        if (round > 0) await this.#sleep(50 * 2 ** round);
        const requested = keys;
        const result = await dynamoCall('BatchGetItem', this.#table, () =>
          this.#client.send(
            new BatchGetCommand({
              RequestItems: { [this.#table]: { Keys: requested, ConsistentRead: true } },
            }),
          ),
        );
        for (const item of result.Responses?.[this.#table] ?? []) found.set(String(item.pk), item);
        keys = (result.UnprocessedKeys?.[this.#table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }
}
