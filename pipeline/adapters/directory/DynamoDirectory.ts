import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { type Contact, contact, normaliseEmail } from '#contracts/contact';
import { ContractError, describeIssues, parseContract } from '#contracts/errors';
import { type SendPolicy, type SendPolicyInput, sendPolicy } from '#contracts/sendPolicy';
import type { DirectoryPort } from './DirectoryPort.ts';
import { defaultDocumentClient } from './defaultDocumentClient.ts';
import { CorruptItemError } from './dynamoErrors.ts';
import { DynamoTable } from './DynamoTable.ts';

/** Options of {@link DynamoDirectory}. */
export interface DynamoDirectoryOptions {
  /**
   * Document client. Default `DynamoDBDocumentClient.from(new DynamoDBClient({}))` with
   * `removeUndefinedValues` (optional contact fields are simply absent from the item).
   */
  client?: DynamoDBDocumentClient;
  /** Physical name of the directory table (`resourceName(topology.tables.directory, env)`). */
  tableName: string;
  /** Clock for `updatedAt` / `at` stamps. Default `() => new Date()`. */
  now?: () => Date;
}

/** Jira project keys: an upper-case letter, then upper-case letters, digits or `_` (at most 20). */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,19}$/;

const PROJECT_PREFIX = 'project#';
const CONTACT_PREFIX = 'contact#';
const POLICY_SK = 'policy';
const OPTOUT_PREFIX = 'optout#';
const OPTOUT_SK = 'optout';

/**
 * Upper-cases and checks a Jira project key.
 * @throws ContractError when it is not a project key (bad input is permanent).
 */
const projectPk = (projectKey: string): string => {
  const key = projectKey.trim().toUpperCase();
  if (!PROJECT_KEY.test(key)) {
    throw new ContractError('project key', [
      `"${projectKey}" is not a Jira project key (A-Z first, then A-Z, 0-9 or _, at most 20)`,
    ]);
  }
  return `${PROJECT_PREFIX}${key}`;
};

/**
 * The client directory in one DynamoDB table (partition key `pk`, sort key `sk`, both strings):
 * - contact: `project#<KEY>` / `contact#<normalised email>` with email, name, locale, timeZone,
 *   optedOut, audience, updatedAt;
 * - send policy: `project#<KEY>` / `policy` with points, onRelease, timeZone, defaultLocale, scope,
 *   audiences, releaseNoteField, updatedAt;
 * - global opt-out: `optout#<normalised email>` / `optout` with reason, at.
 *
 * Items are validated with the contract schemas on the way in and out; a stored item that no
 * longer parses is a {@link CorruptItemError} naming its key.
 */
export class DynamoDirectory implements DirectoryPort {
  readonly #db: DynamoTable;
  readonly #now: () => Date;

  constructor(options: DynamoDirectoryOptions) {
    this.#db = new DynamoTable(options.client ?? defaultDocumentClient(), options.tableName);
    this.#now = options.now ?? (() => new Date());
  }

  async listContacts(projectKey: string): Promise<Contact[]> {
    const pk = projectPk(projectKey);
    const contacts: Contact[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send('Query', {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :contact)',
        ExpressionAttributeValues: { ':pk': pk, ':contact': CONTACT_PREFIX },
        ExclusiveStartKey: startKey,
      });
      for (const item of page.Items ?? []) contacts.push(this.#contactOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return contacts;
  }

  async getContact(projectKey: string, email: string): Promise<Contact | null> {
    const pk = projectPk(projectKey);
    // Strongly consistent: the send stage re-reads the contact right before sending, and a
    // removal or project opt-out that just landed must stop that send.
    const result = await this.#db.send('GetItem', {
      Key: { pk, sk: `${CONTACT_PREFIX}${normaliseEmail(email)}` },
      ConsistentRead: true,
    });
    const item = result.Item;
    if (!item) return null;
    return this.#contactOf(item);
  }

  async putContact(projectKey: string, input: Contact): Promise<void> {
    const pk = projectPk(projectKey);
    const parsed = parseContract('contact', contact, input);
    await this.#db.send('PutItem', {
      Item: {
        pk,
        sk: `${CONTACT_PREFIX}${parsed.email}`,
        email: parsed.email,
        name: parsed.name,
        locale: parsed.locale,
        timeZone: parsed.timeZone,
        optedOut: parsed.optedOut,
        audience: parsed.audience,
        updatedAt: this.#now().toISOString(),
      },
    });
  }

  async removeContact(projectKey: string, email: string): Promise<boolean> {
    const pk = projectPk(projectKey);
    const result = await this.#db.send('DeleteItem', {
      Key: { pk, sk: `${CONTACT_PREFIX}${normaliseEmail(email)}` },
      ReturnValues: 'ALL_OLD',
    });
    return result.Attributes !== undefined;
  }

  async getPolicy(projectKey: string): Promise<SendPolicy | null> {
    const pk = projectPk(projectKey);
    const result = await this.#db.send('GetItem', { Key: { pk, sk: POLICY_SK } });
    const item = result.Item;
    if (!item) return null;
    return this.#parseItem(sendPolicy, item, {
      points: item.points,
      onRelease: item.onRelease,
      timeZone: item.timeZone,
      defaultLocale: item.defaultLocale,
      minCoverage: item.minCoverage,
      verifyGrounding: item.verifyGrounding,
      scope: item.scope,
      audiences: item.audiences,
      releaseNoteField: item.releaseNoteField,
      references: item.references,
      linkTemplate: item.linkTemplate,
      sender: item.sender,
      maxLateness: item.maxLateness,
      catchUp: item.catchUp,
      approval: item.approval,
      notify: item.notify,
    });
  }

  async putPolicy(projectKey: string, policy: SendPolicyInput): Promise<void> {
    const pk = projectPk(projectKey);
    const parsed = parseContract('send policy', sendPolicy, policy);
    await this.#db.send('PutItem', {
      Item: {
        pk,
        sk: POLICY_SK,
        points: parsed.points,
        onRelease: parsed.onRelease,
        timeZone: parsed.timeZone,
        defaultLocale: parsed.defaultLocale,
        ...(parsed.minCoverage !== undefined ? { minCoverage: parsed.minCoverage } : {}),
        ...(parsed.verifyGrounding !== undefined ? { verifyGrounding: parsed.verifyGrounding } : {}),
        scope: parsed.scope,
        audiences: parsed.audiences,
        releaseNoteField: parsed.releaseNoteField,
        updatedAt: this.#now().toISOString(),
        references: parsed.references,
        ...(parsed.linkTemplate !== undefined ? { linkTemplate: parsed.linkTemplate } : {}),
        // Only the fields set: a client without removeUndefinedValues refuses undefined.
        sender: Object.fromEntries(Object.entries(parsed.sender).filter(([, v]) => v !== undefined)),
        ...(parsed.maxLateness !== undefined ? { maxLateness: parsed.maxLateness } : {}),
        ...(parsed.catchUp !== undefined ? { catchUp: parsed.catchUp } : {}),
        ...(parsed.approval !== undefined ? { approval: parsed.approval } : {}),
        ...(parsed.notify !== undefined ? { notify: parsed.notify } : {}),
      },
    });
  }

  async optOut(email: string, reason: string): Promise<void> {
    // A repeated opt-out overwrites: `reason` and `at` describe the latest one.
    await this.#db.send('PutItem', {
      Item: {
        pk: `${OPTOUT_PREFIX}${normaliseEmail(email)}`,
        sk: OPTOUT_SK,
        reason,
        at: this.#now().toISOString(),
      },
    });
  }

  async isOptedOut(email: string): Promise<boolean> {
    // Strongly consistent: an unsubscribe that just landed must stop the very next send.
    const result = await this.#db.send('GetItem', {
      Key: { pk: `${OPTOUT_PREFIX}${normaliseEmail(email)}`, sk: OPTOUT_SK },
      ProjectionExpression: 'pk',
      ConsistentRead: true,
    });
    return result.Item !== undefined;
  }

  async listProjects(): Promise<string[]> {
    // The directory is small (contacts of a few projects): a keys-only Scan is cheaper than
    // keeping a project index item in step with every write.
    const keys = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send('Scan', {
        ProjectionExpression: 'pk',
        ExclusiveStartKey: startKey,
      });
      for (const item of page.Items ?? []) {
        const pk = item.pk;
        if (typeof pk === 'string' && pk.startsWith(PROJECT_PREFIX))
          keys.add(pk.slice(PROJECT_PREFIX.length));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...keys].sort();
  }

  /** The contact a stored contact item holds. */
  #contactOf(item: Record<string, unknown>): Contact {
    return this.#parseItem(contact, item, {
      email: item.email,
      name: item.name,
      locale: item.locale,
      timeZone: item.timeZone,
      optedOut: item.optedOut,
      audience: item.audience,
    });
  }

  /** Parses the attributes of a stored item, naming the item's key when they do not match. */
  #parseItem<S extends z.ZodType>(schema: S, item: Record<string, unknown>, fields: unknown): z.output<S> {
    const result = schema.safeParse(fields);
    if (result.success) return result.data;
    throw new CorruptItemError(
      this.#db.name,
      `${String(item.pk)} / ${String(item.sk)}`,
      describeIssues(result.error),
      {
        cause: result.error,
      },
    );
  }
}
