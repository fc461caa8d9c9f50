import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { DynamoDeliveryRecords } from '#adapters/ledger/DynamoDeliveryRecords';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import type { OutcomeRecord } from '#adapters/ledger/LedgerPort';
import { DynamoActiveRegion } from '#adapters/region/DynamoActiveRegion';
import type { EmailDraft } from '#contracts/emailDraft';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { chunkPlanOf } from '#test/factories/chunkPlan';
import { actions, webhookLedgerKeys } from '../../infra/permissions.ts';

/** IAM action of each document client command the adapters send. */
const IAM_ACTION = new Map<unknown, string>([
  [GetCommand, 'dynamodb:GetItem'],
  [BatchGetCommand, 'dynamodb:BatchGetItem'],
  [PutCommand, 'dynamodb:PutItem'],
  [UpdateCommand, 'dynamodb:UpdateItem'],
  [DeleteCommand, 'dynamodb:DeleteItem'],
  [QueryCommand, 'dynamodb:Query'],
  [ScanCommand, 'dynamodb:Scan'],
]);

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const directory = new DynamoDirectory({ client, tableName: 'herald-directory' });
const ledger = new DynamoLedger({ client, tableName: 'herald-ledger', ttlSeconds: 60 });
const records = new DynamoDeliveryRecords({ client, tableName: 'herald-ledger', ttlSeconds: 60 });

const draft: EmailDraft = {
  key: 'v1#p7#en',
  source: 'template',
  locale: 'en',
  subject: 'Release 1.0',
  html: '<p>{{recipient_name}}</p>',
  text: '{{recipient_name}}',
  issueKeys: ['ABC-1'],
  createdAt: '2026-01-01T00:00:00.000Z',
};

const outcome: OutcomeRecord = {
  status: 'missed',
  reason: 'past_deadline',
  versionId: '10001',
  pointId: 'b1d0h0m0900',
  releaseDate: '2026-01-02',
};

const conditionFailed = (): Error =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

/**
 * The IAM actions `run` needs: it runs twice against a mocked document client, once with every
 * call succeeding and once with every conditional write losing its condition (the paths that read
 * the winner back), and maps each command sent to its action. Outcomes are ignored: only calls count.
 * `arrange` adds answers after the defaults (e.g. a stored row for GetItem).
 */
const actionsUsed = async (run: () => Promise<unknown>, arrange?: () => void): Promise<string[]> => {
  const used = new Set<string>();
  for (const writesLose of [false, true]) {
    ddb.reset();
    ddb.onAnyCommand().resolves({});
    arrange?.();
    if (writesLose) {
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(UpdateCommand).rejects(conditionFailed());
    }
    await run().catch(() => undefined);
    for (const call of ddb.calls()) {
      const command = (call.args[0] as object).constructor;
      used.add(IAM_ACTION.get(command) ?? `unmapped ${command.name}`);
    }
  }
  return [...used].sort();
};

afterEach(() => {
  ddb.reset();
});

describe('Function: actions', () => {
  it('lets enrich make exactly the directory calls it uses to read a project', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await directory.getPolicy('ABC');
      await directory.listContacts('ABC');
      await directory.isOptedOut('ada@example.com');
    });

    // Assert
    expect(used).toEqual([...actions.directoryRead].sort());
  });

  it('lets compose make exactly the directory call of reading the send policy', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await directory.getPolicy('ABC');
    });

    // Assert
    expect(used).toEqual([...actions.directoryPolicyRead].sort());
  });

  it('lets send make exactly the directory calls of its opt-out and contact checks', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await directory.isOptedOut('ada@example.com');
      await directory.getContact('ABC', 'ada@example.com');
    });

    // Assert
    expect(used).toEqual([...actions.directoryOptOutCheck].sort());
  });

  it('lets webhook and feedback make exactly the directory call of an opt-out', async () => {
    // Act
    const used = await actionsUsed(() => directory.optOut('ada@example.com', 'unsubscribe'));

    // Assert
    expect(used).toEqual([...actions.directoryOptOut].sort());
  });

  it('lets webhook make exactly the ledger calls of a review link: the record, its drafts, a decision', async () => {
    // Act
    const record = approvalRecordOf();
    const reviewLinkCalls = async () => {
      await ledger.decide(record.approvalKey, {
        decision: 'approve',
        by: 'lead@example.com',
        via: 'link',
        at: '2026-01-01T00:00:00.000Z',
        contentHash: record.contentHash,
        revision: record.revision,
      });
      await ledger.getApproval(record.approvalKey);
      // Last: the stored row answered here is an approval row, not a draft.
      await ledger.getDraft(draft.key);
    };
    const used = await actionsUsed(
      reviewLinkCalls,
      // A pending record is stored: decide reads it and writes the decision.
      () => {
        ddb.on(GetCommand).resolves({ Item: { pk: 'approval', seq: 1, record: JSON.stringify(record) } });
      },
    );

    // Assert
    expect(used).toEqual([...actions.ledgerApprovals].sort());
    // Every row it touches (all writes winning) is one the webhook's LeadingKeys conditions allow.
    ddb.reset();
    ddb.onAnyCommand().resolves({});
    ddb.on(GetCommand).resolves({ Item: { pk: 'approval', seq: 1, record: JSON.stringify(record) } });
    // getDraft gets the approval row back here and refuses it: only the keys asked for count.
    await reviewLinkCalls().catch(() => undefined);
    const like = (patterns: readonly string[], pk: unknown) =>
      patterns.some((p) => typeof pk === 'string' && pk.startsWith(p.replace(/\*$/, '')));
    const reads = ddb.commandCalls(GetCommand).map((c) => c.args[0].input.Key?.pk);
    const writes = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.pk);
    expect(reads.length).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(0);
    for (const pk of reads) expect(like(webhookLedgerKeys.read, pk), String(pk)).toBe(true);
    for (const pk of writes) expect(like(webhookLedgerKeys.write, pk), String(pk)).toBe(true);
    expect(reads.some((pk) => String(pk).startsWith('draft#'))).toBe(true);
  });

  it('lets feedback make exactly the ledger call of recording an SES event', async () => {
    // Act
    const used = await actionsUsed(() =>
      ledger.recordSesEvent('tag-1', { type: 'Send', messageId: 'm-1', at: '2026-01-01T00:00:00.000Z' }),
    );

    // Assert
    expect(used).toEqual([...actions.ledgerSesEvents].sort());
  });

  it("lets feedback record an approver's bounce with its SES-event grant", async () => {
    // Act
    const used = await actionsUsed(() =>
      ledger.recordApproverBounce('lead@example.com', { type: 'Bounce', at: '2026-01-01T00:00:00.000Z' }),
    );

    // Assert
    expect(used).toEqual([...actions.ledgerSesEvents].sort());
  });

  it('lets compose make exactly the ledger calls of reading, claiming and storing a draft', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await ledger.getDraft(draft.key);
      await ledger.claimDraft(draft.key, { leaseSeconds: 150, now: Date.now() });
      await ledger.putDraftIfAbsent(draft);
      await ledger.recordPointOutcome('10001:b1d0h0m0900@2026-01-02:UTC:0', outcome);
    });
    // Each on its own: a lost condition in one must not hide the calls of the other.
    const fanOut = await actionsUsed(() => records.recordFanOut(chunkPlanOf()));

    // Assert
    expect([...new Set([...used, ...fanOut])].sort()).toEqual([...actions.ledgerDrafts].sort());
  });

  it('lets schedule make exactly the ledger calls of its per-release watermark', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await ledger.getReleaseWatermark('10001');
      await ledger.claimRelease('10001', Date.parse('2026-01-01T00:00:00Z'), { state: 'active' });
      await ledger.getDraft(draft.key);
      await ledger.recordPointOutcome('10001:b1d0h0m0900@2026-01-02:UTC', outcome);
    });

    // Assert
    expect(used).toEqual([...actions.ledgerReleaseWatermark].sort());
  });

  it('lets send make exactly the ledger calls of claiming, recording and releasing a send', async () => {
    // Act: each step on its own, so that one failing does not hide the calls of the next.
    const steps = [
      () => ledger.getDraft(draft.key),
      () => ledger.claimSend('s1', { leaseSeconds: 120, now: Date.now() }),
      () => ledger.markSent('s1', 'ses-message-1'),
      () => ledger.markRejected('s1', 'MessageRejected'),
      () => ledger.giveBackSendClaim('s1'),
      () => ledger.markAmbiguous('s1'),
      () => ledger.getSesEvents('tag-1'),
      () => ledger.getRelease('10001'),
      () => ledger.recordSendOutcome('s2', outcome),
    ];
    const used = new Set<string>();
    for (const step of steps) for (const action of await actionsUsed(step)) used.add(action);

    // Assert
    expect([...used].sort()).toEqual([...actions.ledgerSends].sort());
  });

  it('lets compose and webhook make exactly the ledger calls of approval records', async () => {
    // Arrange: a stored record, so decide and settle reach their conditional write.
    const record = approvalRecordOf();
    const stored = { pk: `approval#${record.approvalKey}`, seq: 1, record: JSON.stringify(record) };
    const decision = {
      decision: 'approve',
      by: 'lead@example.com',
      via: 'link',
      at: '2026-03-01T08:30:00.000Z',
      contentHash: record.contentHash,
      revision: 1,
    } as const;
    const settlement = { outcome: 'sent', at: '2026-03-01T09:00:00.000Z', revision: 1 } as const;
    const used = new Set<string>();

    // Act: with every write landing, then with every write losing its condition.
    for (const writesLose of [false, true]) {
      ddb.reset();
      ddb.onAnyCommand().resolves({});
      ddb.on(GetCommand).resolves({ Item: stored });
      if (writesLose) ddb.on(PutCommand).rejects(conditionFailed());
      for (const step of [
        () => ledger.getApproval(record.approvalKey),
        () => ledger.putApprovalRevision({ ...record, revision: 2 }),
        () => ledger.decide(record.approvalKey, decision),
        () => ledger.settleApproval(record.approvalKey, settlement),
      ]) {
        await step().catch(() => undefined);
      }
      for (const call of ddb.calls())
        used.add(IAM_ACTION.get((call.args[0] as object).constructor) ?? 'unmapped');
    }

    // Assert
    expect([...used].sort()).toEqual([...actions.ledgerApprovals].sort());
    for (const action of actions.ledgerApprovals) expect(actions.ledgerDrafts).toContain(action);
  });

  it('lets send read a point’s report for the owners’ summary with exactly its report grant', async () => {
    // Act
    const used = await actionsUsed(async () => {
      await records.readRelease('10001');
      await records.readEmails(['10001:b1d0h0m0900@2026-01-02:ada@example.com']);
    });

    // Assert
    expect(used).toEqual([...actions.ledgerReport].sort());
  });

  it.each([
    ['compose', actions.ledgerDrafts],
    ['send', actions.ledgerSends],
  ])('lets %s read the active region (its region gate) with its ledger grant', async (_stage, granted) => {
    // Act
    const used = await actionsUsed(() =>
      new DynamoActiveRegion({ client, tableName: 'herald-ledger' }).get(),
    );

    // Assert
    expect(used).toEqual(['dynamodb:GetItem']);
    expect(granted).toContain('dynamodb:GetItem');
  });
});
