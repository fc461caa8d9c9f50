import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { e2eClientConfig, waitFor } from '../local/support.ts';
import { putRelease } from './seed.ts';
import { daysFromToday, type Pipeline, policyOf, startPipeline } from './support.ts';

const PROJECT = { id: '10500', key: 'SAFE', name: 'Safe Harbour' };

let p: Pipeline;
let recipient: string;
const events = new EventBridgeClient(e2eClientConfig());
const version = { id: '20501', projectId: PROJECT.id, name: 'Steady Course', releaseDate: daysFromToday(12) };

beforeAll(async () => {
  p = await startPipeline({ label: 'poison' });
  recipient = p.address('ada');
  putRelease(p, PROJECT, version, [{ key: 'SAFE-1', summary: 'Backups run every hour', issueType: 'Story' }]);
  await p.herald.directory.putPolicy(PROJECT.key, policyOf(parsePointSpecs('-2d@10:00')));
  await p.herald.directory.putContact(PROJECT.key, { email: recipient, locale: 'en', optedOut: false });
});

afterAll(async () => {
  events.destroy();
  await p?.stop();
});

const attribute = (message: Message | undefined, name: string) =>
  message?.MessageAttributes?.[name]?.StringValue;

/** Ingest invocations that held the SQS message `messageId`. */
const ingestDeliveries = (messageId: string | undefined) =>
  p.invocations.filter(
    (i) => i.functionName.endsWith('-ingest') && i.event.Records.some((r) => r.messageId === messageId),
  ).length;

describe('Pipeline: poison messages on the ingest path', () => {
  it('dead-letters bad JSON and a schema-breaking event at once with their reasons, and still sends a good release', async () => {
    // arrange
    const badJson = '{"detail-type": "jira:version_updated", "detail": {"webhookEvent": ';
    const badDetail = {
      timestamp: 'yesterday',
      webhookEvent: 'jira:version_updated',
      version: { id: 'v-one', projectId: Number(PROJECT.id) },
    };

    // act: all three at the same time.
    const [badJsonId, put, status] = await Promise.all([
      p.sendToQueue('ingest', badJson),
      events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: p.herald.stack.names.bus,
              Source: 'jira',
              DetailType: 'jira:version_updated',
              Detail: JSON.stringify(badDetail),
            },
          ],
        }),
      ),
      p.postVersionEvent('jira:version_created', version),
    ]);
    const dead = await waitFor('two messages in ingest-dlq', async () => {
      const messages = await p.receiveDlq('ingest', 0);
      return messages.length >= 2 ? messages : undefined;
    });
    await p.waitForIdle();
    const [schedule] = await p.schedulesOf(version.id);
    p.clock.set(new Date(schedule?.job.payload.dueAt ?? Date.now()));
    const emails = await p.waitForEmails([recipient], 1);
    await p.waitForIdle();

    // assert
    expect(status).toBe(202);
    expect(put.FailedEntryCount).toBe(0);
    expect(dead).toHaveLength(2);
    const jsonDead = dead.find((m) => m.Body === badJson);
    const schemaDead = dead.find((m) => m.Body !== badJson);
    expect(attribute(jsonDead, 'herald-reason')).toBe('contract:eventbridge.jira_event');
    expect(attribute(jsonDead, 'herald-error')).toMatch(
      /^ContractError: invalid eventbridge\.jira_event: body is not valid JSON/,
    );
    expect(attribute(schemaDead, 'herald-reason')).toBe('contract:jira.version_webhook');
    const schemaError = attribute(schemaDead, 'herald-error') ?? '';
    expect(schemaError).toMatch(/^ContractError: invalid jira\.version_webhook: /);
    expect(schemaError).toContain('timestamp: ');
    expect(schemaError).toContain('version.id: ');
    expect(JSON.parse(schemaDead?.Body ?? '{}')).toMatchObject({
      'detail-type': 'jira:version_updated',
      detail: badDetail,
    });
    for (const message of [jsonDead, schemaDead]) {
      expect(attribute(message, 'herald-stage')).toBe('ingest');
      expect(attribute(message, 'herald-receive-count')).toBe('1');
      expect(attribute(message, 'herald-reschedules')).toBe('0');
      expect(ingestDeliveries(attribute(message, 'herald-source-message-id'))).toBe(1);
    }
    expect(attribute(jsonDead, 'herald-source-message-id')).toBe(badJsonId);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: [recipient], headers: { 'x-herald-release': version.id } });
    expect(await p.schedulesOf(version.id)).toEqual([]);
  });
});
