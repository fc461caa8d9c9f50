import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { sendTag } from '#contracts/sendTag';
import { e2eClientConfig } from '../local/support.ts';
import { putContacts, putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, policyOf, scheduleAndProxyOf, startPipeline } from './support.ts';

const PROJECT = { id: '10500', key: 'LOST', name: 'Lost Answers' };
const BERLIN = 'Europe/Berlin';

let p: Pipeline;
let recipients: string[];
const version = { id: '20501', projectId: PROJECT.id, name: 'Quiet Wire', releaseDate: daysFromToday(12) };
const documents = DynamoDBDocumentClient.from(new DynamoDBClient(e2eClientConfig()));

beforeAll(async () => {
  p = await startPipeline({ label: 'ambiguous', proxied: ['SESV2'] });
  recipients = [p.address('ada'), p.address('grace'), p.address('linus', 'example.org')];
  putRelease(p, PROJECT, version, [
    { key: 'LOST-1', summary: 'Retries keep their order', issueType: 'Story' },
  ]);
  await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs('-1d@09:00')));
  await putContacts(
    p,
    PROJECT.key,
    recipients.map((email) => ({ email, locale: 'en', timeZone: BERLIN })),
  );
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  await p.waitForIdle();
});

afterAll(async () => {
  await p?.stop();
  documents.destroy();
});

/** Every row of the environment's ledger. */
const ledgerRows = async (): Promise<Record<string, unknown>[]> => {
  const rows: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: p.herald.stack.names.tables.ledger, ExclusiveStartKey }),
    );
    rows.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return rows;
};

describe('Pipeline: SendEmail answers lost after SES accepted the email', () => {
  it('sends each email exactly once and records it as sent from SES’s own events, never sending it again', async () => {
    // Arrange: SES (the emulator) takes two of the three emails, but the answer of one is reset
    // and the other's is held until the SDK times out: the sender cannot know they went out.
    const { schedule, proxy } = await scheduleAndProxyOf(p, version.id);
    proxy.faults.enqueue({ answerLost: 'drop' }, { route: 'SESv2.SendEmail' });
    proxy.faults.enqueue({ answerLost: 'hang' }, { route: 'SESv2.SendEmail' });

    // Act
    p.clock.set(new Date(schedule.job.payload.dueAt));
    await p.waitForFires([schedule.name]);
    await p.waitForEmails(recipients, recipients.length);
    await p.waitForIdle({ timeoutMs: 60_000 });
    const emails = await p.emailsTo(recipients);
    const rows = await ledgerRows();

    // Assert: once each, and SES was asked exactly three times (no re-send of the two lost answers).
    expect(emails.map((e) => e.to[0]).sort()).toEqual([...recipients].sort());
    expect(proxy.faults.counters.answersLost).toBe(2);
    expect(proxy.forwarded.count('SESv2.SendEmail')).toBe(recipients.length);
    const sends = rows.filter((r) => String(r.pk).startsWith('send#'));
    expect(sends).toHaveLength(recipients.length);
    for (const send of sends) {
      const key = String(send.pk).slice('send#'.length);
      expect(send).toMatchObject({ status: 'sent', sesTag: sendTag(key), claims: 1 });
      // The feedback stage recorded SES's Send and Delivery events under the email's tag, with
      // the message id the ledger holds for it.
      const events = rows.find((r) => r.pk === `ses#${sendTag(key)}`);
      expect(events, key).toMatchObject({ messageId: send.messageId });
      expect(events?.atSend, key).toEqual(expect.any(String));
      expect(events?.atDelivery, key).toEqual(expect.any(String));
    }
    expect(p.results.filter((r) => r.outcome !== 'succeeded' && r.functionName.endsWith('-send'))).toEqual(
      [],
    );
  }, 90_000);
});
