import { GetScheduleCommand, ListSchedulesCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyEnvelope } from '#contracts/envelope';
import { topology } from '#topology/topology';
import { waitFor } from '../local/support.ts';
import { dayBeforeJob, daysFromToday, type Pipeline, startPipeline } from './support.ts';

// The rescheduler's Scheduler path (a wait over SQS's 900 s) with the production ladder and a
// compressed clock: the local scheduler's clock jumps 30 minutes instead of the test waiting them.

const PROJECT = { id: '10700', key: 'LONGWAIT', name: 'Longwait Labs' };
const VERSION_ID = '20701';
/** compose's second reschedule delay: the first one past SQS's 900 s limit. */
const DELAY_SECONDS = topology.stages.compose.retry.rescheduleDelaysSeconds[1] ?? 0;

let p: Pipeline;
let job: ReturnType<typeof dayBeforeJob>;
let recipient: string;

beforeAll(async () => {
  p = await startPipeline({ label: 'longwait', retryProfile: 'standard' });
  const releaseDate = daysFromToday(9);
  recipient = p.address('ada');
  p.jira.putProject(PROJECT);
  p.jira.putVersion({ id: VERSION_ID, projectId: PROJECT.id, name: 'Patient Release', releaseDate });
  p.jira.setIssues(VERSION_ID, [
    { key: 'LONGWAIT-1', summary: 'Exports survive a long outage', issueType: 'Story' },
  ]);
  await p.herald.directory.putContact(PROJECT.key, {
    email: recipient,
    name: 'Ada',
    locale: 'en',
    optedOut: false,
  });
  job = dayBeforeJob({
    versionId: VERSION_ID,
    projectKey: PROJECT.key,
    releaseDate,
    recipients: [{ email: recipient, name: 'Ada', locale: 'en' }],
  });
});

afterAll(async () => {
  await p?.stop();
});

const rescheduleSchedules = async () =>
  (
    await p.herald.schedulerClient.send(
      new ListSchedulesCommand({ GroupName: p.herald.stack.names.scheduleGroup, NamePrefix: 'rr-compose-' }),
    )
  ).Schedules ?? [];

const composeRuns = () =>
  p.invocations
    .filter((i) => i.functionName.endsWith('-compose'))
    .flatMap((i) => i.event.Records)
    .map((r) => anyEnvelope.safeParse(JSON.parse(r.body)))
    .filter((r) => r.success && r.data.key === job.key)
    .map((r) => r.data?.reschedules);

describe('Pipeline: a reschedule longer than 15 minutes', () => {
  it('waits in a one-time UTC schedule, comes back to compose when the clock reaches it, and the email goes out once', async () => {
    // arrange: the job arrives on compose-reschedule after its first reschedule, as SQS redrive puts it.
    expect(DELAY_SECONDS).toBeGreaterThan(900);
    const queuedAt = Date.now();

    // act 1: the rescheduler takes it.
    await p.herald.sqs.send(
      new SendMessageCommand({
        QueueUrl: p.herald.stack.queues.compose.reschedule.url,
        MessageBody: JSON.stringify({ ...job, reschedules: 1 }),
      }),
    );
    const [summary] = await waitFor(
      'the rr-compose schedule',
      async () => {
        const found = await rescheduleSchedules();
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const schedule = await p.herald.schedulerClient.send(
      new GetScheduleCommand({ Name: summary?.Name ?? '', GroupName: p.herald.stack.names.scheduleGroup }),
    );
    await p.waitForIdle({ quietMs: 1_000 });

    // assert 1: a UTC at() DELAY_SECONDS ahead, delivering the envelope with reschedules 2 to compose.
    const at = Date.parse(`${/^at\((.*)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1]}Z`);
    expect(schedule.ScheduleExpressionTimezone).toBe('UTC');
    expect(at - queuedAt).toBeGreaterThanOrEqual(DELAY_SECONDS * 1000 - 1000);
    expect(at - queuedAt).toBeLessThanOrEqual(DELAY_SECONDS * 1000 + 60_000);
    expect(schedule.Target?.Arn).toBe(p.herald.stack.queues.compose.main.arn);
    expect(schedule.Target?.DeadLetterConfig?.Arn).toBe(p.herald.stack.queues.compose.dlq.arn);
    expect(JSON.parse(schedule.Target?.Input ?? '')).toMatchObject({ key: job.key, reschedules: 2 });
    expect(composeRuns()).toEqual([]);
    expect(await p.emailsTo([recipient])).toEqual([]);

    // act 2: the clock reaches one second before, then the schedule's time.
    p.clock.set(new Date(at - 1000));
    const early = await p.herald.scheduler.tick();
    p.clock.set(new Date(at + 1000));
    await p.waitForFires([summary?.Name ?? '']);
    const emails = await p.waitForEmails([recipient], 1);
    await p.waitForIdle();

    // assert 2: fired once, on time; compose saw the envelope once with its count; one email; schedule gone.
    expect(early).toEqual([]);
    expect(p.fired.filter((f) => f.name === summary?.Name)).toHaveLength(1);
    expect(composeRuns()).toEqual([2]);
    expect(emails).toHaveLength(1);
    expect(await p.emailsTo([recipient])).toHaveLength(1);
    expect(await rescheduleSchedules()).toEqual([]);
  });
});
