import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { CorruptItemError } from '#adapters/directory/dynamoErrors';
import type { ApprovalPolicy } from '#contracts/approval';
import type { Contact } from '#contracts/contact';
import { ContractError } from '#contracts/errors';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { RetryableError } from '#shared/errors';

const TABLE = 'herald-directory';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const ddb = mockClient(DynamoDBDocumentClient);

const directory = () =>
  new DynamoDirectory({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    tableName: TABLE,
    now: () => NOW,
  });

const jane: Contact = {
  email: 'jane@example.com',
  name: 'Jane',
  locale: 'de',
  timeZone: 'Europe/Berlin',
  optedOut: false,
};

afterEach(() => {
  ddb.reset();
});

describe('Function: DynamoDirectory.listContacts', () => {
  it('queries the project partition for contact items across pages', async () => {
    // Arrange
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ pk: 'project#ABC', sk: 'contact#jane@example.com', ...jane, updatedAt: NOW.toISOString() }],
        LastEvaluatedKey: { pk: 'project#ABC', sk: 'contact#jane@example.com' },
      })
      .resolvesOnce({
        Items: [
          { pk: 'project#ABC', sk: 'contact#bob@example.org', email: 'bob@example.org', optedOut: true },
        ],
      });

    // Act
    const contacts = await directory().listContacts('abc');

    // Assert
    expect(contacts).toEqual([jane, { email: 'bob@example.org', optedOut: true }]);
    expect(ddb).toReceiveCommandTimes(QueryCommand, 2);
    expect(ddb).toReceiveNthCommandWith(QueryCommand, 1, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :contact)',
      ExpressionAttributeValues: { ':pk': 'project#ABC', ':contact': 'contact#' },
    });
    expect(ddb).toReceiveNthCommandWith(QueryCommand, 2, {
      ExclusiveStartKey: { pk: 'project#ABC', sk: 'contact#jane@example.com' },
    });
  });

  it('names the key of a stored contact that no longer parses', async () => {
    // Arrange
    ddb.on(QueryCommand).resolves({
      Items: [{ pk: 'project#ABC', sk: 'contact#broken', email: 'not-an-address', optedOut: false }],
    });

    // Act
    const result = directory().listContacts('ABC');

    // Assert
    await expect(result).rejects.toThrow(CorruptItemError);
    await expect(result).rejects.toThrow(/project#ABC \/ contact#broken in table herald-directory: email/);
    await expect(result).rejects.toMatchObject({
      reason: 'corrupt_item',
      key: 'project#ABC / contact#broken',
    });
  });

  it('rejects a project key Jira would not issue without calling DynamoDB', async () => {
    // Act
    const result = directory().listContacts('no spaces');

    // Assert
    await expect(result).rejects.toThrow(ContractError);
    expect(ddb).not.toReceiveAnyCommand();
  });

  it('turns throttling into a RetryableError', async () => {
    // Arrange
    ddb
      .on(QueryCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    // Act
    const result = directory().listContacts('ABC');

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });
});

describe('Function: DynamoDirectory.getContact', () => {
  it('reads the contact item of the project consistently, by its normalised address', async () => {
    // Arrange
    ddb.on(GetCommand, { Key: { pk: 'project#ABC', sk: 'contact#jane@example.com' } }).resolves({
      Item: { pk: 'project#ABC', sk: 'contact#jane@example.com', ...jane, updatedAt: NOW.toISOString() },
    });

    // Act
    const found = await directory().getContact('abc', ' JANE@example.com ');

    // Assert
    expect(found).toEqual(jane);
    expect(ddb).toReceiveCommandTimes(GetCommand, 1);
    expect(ddb).toReceiveCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'project#ABC', sk: 'contact#jane@example.com' },
      ConsistentRead: true,
    });
  });

  it('returns a contact opted out in the project, flagged', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({
      Item: { pk: 'project#ABC', sk: 'contact#bob@example.org', email: 'bob@example.org', optedOut: true },
    });

    // Act
    const found = await directory().getContact('ABC', 'bob@example.org');

    // Assert
    expect(found).toEqual({ email: 'bob@example.org', optedOut: true });
  });

  it('resolves null when the project has no such contact', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const found = await directory().getContact('ABC', 'gone@example.com');

    // Assert
    expect(found).toBeNull();
  });

  it('names the key of a stored contact that no longer parses', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({
      Item: { pk: 'project#ABC', sk: 'contact#broken', email: 'not-an-address', optedOut: false },
    });

    // Act
    const result = directory().getContact('ABC', 'broken');

    // Assert
    await expect(result).rejects.toThrow(CorruptItemError);
    await expect(result).rejects.toMatchObject({ key: 'project#ABC / contact#broken' });
  });

  it('rejects a project key Jira would not issue without calling DynamoDB', async () => {
    // Act
    const result = directory().getContact('no spaces', 'jane@example.com');

    // Assert
    await expect(result).rejects.toThrow(ContractError);
    expect(ddb).not.toReceiveAnyCommand();
  });

  it('turns throttling into a RetryableError', async () => {
    // Arrange
    ddb
      .on(GetCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));

    // Act
    const result = directory().getContact('ABC', 'jane@example.com');

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
  });
});

describe('Function: DynamoDirectory.putContact', () => {
  it('stores the contact under its normalised address with an updatedAt stamp', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    await directory().putContact('ABC', { ...jane, email: '  Jane@Example.COM ' });

    // Assert
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'project#ABC',
        sk: 'contact#jane@example.com',
        email: 'jane@example.com',
        name: 'Jane',
        locale: 'de',
        timeZone: 'Europe/Berlin',
        optedOut: false,
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
    });
  });

  it('rejects an invalid contact before writing', async () => {
    // Act
    const result = directory().putContact('ABC', { ...jane, timeZone: 'Mars/Olympus' });

    // Assert
    await expect(result).rejects.toThrow(ContractError);
    expect(ddb).not.toReceiveCommand(PutCommand);
  });
});

describe('Function: DynamoDirectory.removeContact', () => {
  it('resolves true when a contact was deleted', async () => {
    // Arrange
    ddb.on(DeleteCommand).resolves({ Attributes: { pk: 'project#ABC', sk: 'contact#jane@example.com' } });

    // Act
    const removed = await directory().removeContact('ABC', 'JANE@example.com');

    // Assert
    expect(removed).toBe(true);
    expect(ddb).toReceiveCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { pk: 'project#ABC', sk: 'contact#jane@example.com' },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('resolves false when there was no such contact', async () => {
    // Arrange
    ddb.on(DeleteCommand).resolves({});

    // Act
    const removed = await directory().removeContact('ABC', 'nobody@example.com');

    // Assert
    expect(removed).toBe(false);
  });
});

describe('Function: DynamoDirectory.getPolicy', () => {
  it('resolves null when the project has no policy', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});

    // Act
    const policy = await directory().getPolicy('ABC');

    // Assert
    expect(policy).toBeNull();
    expect(ddb).toReceiveCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { pk: 'project#ABC', sk: 'policy' },
    });
  });

  it('parses a stored policy, filling defaults', async () => {
    // Arrange
    const point = DEFAULT_SEND_POLICY.points[0];
    ddb.on(GetCommand).resolves({
      Item: { pk: 'project#ABC', sk: 'policy', points: [point], timeZone: 'America/New_York' },
    });

    // Act
    const policy = await directory().getPolicy('ABC');

    // Assert
    expect(policy).toEqual({
      points: [point],
      onRelease: false,
      timeZone: 'America/New_York',
      defaultLocale: 'en',
      references: 'none',
      sender: {},
    });
  });

  it('reads the references and sender identity back', async () => {
    // Arrange
    const point = DEFAULT_SEND_POLICY.points[0];
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'project#ABC',
        sk: 'policy',
        points: [point],
        references: 'links',
        linkTemplate: 'https://status.example.com/changes/{key}',
        sender: { fromName: 'ABC updates', replyTo: 'team@example.com' },
      },
    });

    // Act
    const policy = await directory().getPolicy('ABC');

    // Assert
    expect(policy).toMatchObject({
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      sender: { fromName: 'ABC updates', replyTo: 'team@example.com' },
    });
  });

  it('names the key of a corrupt policy', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({ Item: { pk: 'project#ABC', sk: 'policy', points: 'weekly' } });

    // Act
    const result = directory().getPolicy('ABC');

    // Assert
    await expect(result).rejects.toThrow(
      /corrupt item project#ABC \/ policy in table herald-directory: points/,
    );
  });
});

describe('Function: DynamoDirectory.putPolicy', () => {
  it('stores the policy attributes under the policy sort key', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});
    const policy: SendPolicy = { ...DEFAULT_SEND_POLICY, onRelease: true, timeZone: 'Asia/Tokyo' };

    // Act
    await directory().putPolicy('ABC', policy);

    // Assert
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'project#ABC',
        sk: 'policy',
        points: DEFAULT_SEND_POLICY.points,
        onRelease: true,
        timeZone: 'Asia/Tokyo',
        defaultLocale: 'en',
        updatedAt: NOW.toISOString(),
        references: 'none',
        sender: {},
      },
    });
  });

  it('stores the link template and only the sender fields that are set', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    await directory().putPolicy('ABC', {
      points: [],
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      sender: { footer: 'ABC Ltd, 1 Main St' },
    });

    // Assert
    expect(ddb).toReceiveCommandWith(PutCommand, {
      Item: expect.objectContaining({
        references: 'links',
        linkTemplate: 'https://status.example.com/changes/{key}',
        sender: { footer: 'ABC Ltd, 1 Main St' },
      }),
    });
  });

  it('stores and reads back maxLateness, catchUp and approval', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});
    const approval: ApprovalPolicy = { approvers: ['lead@example.com'], lead: '24h', onTimeout: 'send' };

    // Act
    await directory().putPolicy('ABC', { points: [], maxLateness: '3h', catchUp: 'skip', approval });
    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    ddb.on(GetCommand).resolves({ Item: item });
    const read = await directory().getPolicy('ABC');

    // Assert
    expect(item).toMatchObject({ maxLateness: '3h', catchUp: 'skip', approval });
    expect(read).toMatchObject({ maxLateness: '3h', catchUp: 'skip', approval });
  });

  it('refuses a links policy without a template and stores nothing', async () => {
    // Act
    const result = directory().putPolicy('ABC', { points: [], references: 'links' });

    // Assert
    await expect(result).rejects.toThrow('needs a linkTemplate');
    expect(ddb).not.toReceiveCommand(PutCommand);
  });
});

describe('Function: DynamoDirectory.optOut', () => {
  it('writes a global opt-out under the normalised address', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});

    // Act
    await directory().optOut('Jane@Example.com', 'unsubscribe_link');

    // Assert
    expect(ddb).toReceiveCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        pk: 'optout#jane@example.com',
        sk: 'optout',
        reason: 'unsubscribe_link',
        at: NOW.toISOString(),
      },
    });
  });
});

describe('Function: DynamoDirectory.isOptedOut', () => {
  it('reads the opt-out item consistently and reports whether it exists', async () => {
    // Arrange
    ddb
      .on(GetCommand, { Key: { pk: 'optout#jane@example.com', sk: 'optout' } })
      .resolves({ Item: { pk: 'optout#jane@example.com' } })
      .on(GetCommand, { Key: { pk: 'optout#bob@example.org', sk: 'optout' } })
      .resolves({});

    // Act
    const jane = await directory().isOptedOut('JANE@example.com');
    const bob = await directory().isOptedOut('bob@example.org');

    // Assert
    expect(jane).toBe(true);
    expect(bob).toBe(false);
    expect(ddb).toReceiveCommandWith(GetCommand, { TableName: TABLE, ConsistentRead: true });
  });
});

describe('Function: DynamoDirectory.listProjects', () => {
  it('scans the keys across pages and returns each project once, sorted', async () => {
    // Arrange
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [{ pk: 'project#XYZ' }, { pk: 'optout#jane@example.com' }, { pk: 'project#ABC' }],
        LastEvaluatedKey: { pk: 'project#ABC', sk: 'policy' },
      })
      .resolvesOnce({ Items: [{ pk: 'project#ABC' }, { pk: 'project#DEF' }] });

    // Act
    const projects = await directory().listProjects();

    // Assert
    expect(projects).toEqual(['ABC', 'DEF', 'XYZ']);
    expect(ddb).toReceiveNthCommandWith(ScanCommand, 1, { TableName: TABLE, ProjectionExpression: 'pk' });
    expect(ddb).toReceiveNthCommandWith(ScanCommand, 2, {
      ExclusiveStartKey: { pk: 'project#ABC', sk: 'policy' },
    });
  });
});

describe('Function: DynamoDirectory (editorial fields)', () => {
  const editorial: SendPolicy = {
    ...DEFAULT_SEND_POLICY,
    scope: 'issuetype in (Story, Bug)',
    audiences: [{ name: 'developers', scope: 'component = API', instructions: 'Name the endpoints.' }],
    releaseNoteField: 'customfield_10123',
  };

  it('stores and reads back the scope, audiences and release-note field of a policy', async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).callsFake((input: { Key: unknown }) => ({
      Item: { ...(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {}), ...(input.Key as object) },
    }));

    // Act
    await directory().putPolicy('SHOP', editorial);
    const read = await directory().getPolicy('SHOP');

    // Assert
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        scope: 'issuetype in (Story, Bug)',
        audiences: editorial.audiences,
        releaseNoteField: 'customfield_10123',
      }),
    });
    expect(read).toEqual(editorial);
  });

  it('stores and reads back the lateness, catch-up and owners of a policy (they were dropped before)', async () => {
    // Arrange
    const timing: SendPolicy = {
      ...DEFAULT_SEND_POLICY,
      maxLateness: '3h',
      catchUp: 'skip',
      notify: ['owner@example.com', 'lead@example.org'],
    };
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).callsFake((input: { Key: unknown }) => ({
      Item: { ...(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {}), ...(input.Key as object) },
    }));

    // Act
    await directory().putPolicy('SHOP', timing);
    const read = await directory().getPolicy('SHOP');

    // Assert
    expect(read).toEqual(timing);
  });

  it("stores and reads back a contact's audience", async () => {
    // Arrange
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).callsFake(() => ({ Item: ddb.commandCalls(PutCommand)[0]?.args[0].input.Item }));

    // Act
    await directory().putContact('SHOP', { ...jane, audience: 'developers' });
    const read = await directory().getContact('SHOP', jane.email);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ audience: 'developers' }),
    });
    expect(read).toEqual({ ...jane, audience: 'developers' });
  });
});
