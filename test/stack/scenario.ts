import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SendPoint } from '#contracts/sendPolicy';
import { demoPoints } from '#local/demo';
import { localClientConfig } from '#local/localAwsConfig';
import { queueDepth } from '#ops/sqs/queueDepth';
import { waitFor } from '#test/e2e/local/support';
import { STAGES, type StageName } from '#topology/topology';
import { StackTestError } from './errors.ts';
import type { RecordedEmail } from './SesRecorder.ts';
import { type PendingSchedule, STACK_SENDER, type StackUnderTest } from './StackUnderTest.ts';

/** The release whose emails the Scheduler of the emulator fires (project ACME, UTC policy). */
export const ACME = { id: '10100', key: 'ACME', name: 'Acme Shop' };
/** Releases that never send in the run: deleted, dead-lettered then redriven, Jira outage. */
export const SHOP = { id: '10200', key: 'SHOP', name: 'Shop Floor' };

/** `yyyy-mm-dd`, `days` from today (UTC). */
export const daysAhead = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Send points for `count` minutes in a row, the first at least 3 minutes ahead: past the schedule
 * stage's 2-minute fire window (nearer points go straight to compose with an SQS delay and
 * never meet the Scheduler), in UTC (knownDifferences `scheduler-at-is-utc`).
 */
export const schedulerPoints = (count: number) => demoPoints(new Date(), count, 180_000);

/**
 * What the operator does once per region before the first email (docs/DEPLOY.md step 6):
 * verify the sender's SES identity.
 */
export const verifySender = async (s: StackUnderTest): Promise<void> => {
  const ses = new SESv2Client(localClientConfig(s.ministack.endpoint));
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: STACK_SENDER.split('@')[1] ?? '' }));
};

/** Runs `herald`; fails with its output unless it exits 0. */
export const heraldOk = async (s: StackUnderTest, args: readonly string[]): Promise<string> => {
  const run = await s.herald(args);
  if (run.code !== 0)
    throw new StackTestError(`herald ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
};

/** Messages visible in a queue now (left in flight for `visibilitySeconds`), every attribute. */
export const receiveAll = async (
  s: StackUnderTest,
  queueUrl: string,
  visibilitySeconds = 0,
): Promise<Message[]> => {
  const { Messages = [] } = await s.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      VisibilityTimeout: visibilitySeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages;
};

/** A message attribute's string value. */
export const attribute = (message: Message | undefined, name: string): string | undefined =>
  message?.MessageAttributes?.[name]?.StringValue;

/** Waits until `count` emails to `addresses` went through SES; resolves with them. */
export const waitForEmails = (
  s: StackUnderTest,
  addresses: readonly string[],
  count: number,
  timeoutMs: number,
): Promise<RecordedEmail[]> =>
  waitFor(
    `${count} emails to ${addresses.join(', ')}`,
    () => {
      const emails = s.ses.emails.filter((e) => e.to.some((to) => addresses.includes(to)));
      return emails.length >= count ? emails : undefined;
    },
    { timeoutMs, intervalMs: 1_000 },
  );

/**
 * Waits until the Scheduler holds a schedule of release `versionId`; resolves with its schedules.
 * `what` names the wait in its timeout error; `poll` defaults to 60 s, checked every second.
 */
export const waitForSchedules = (
  s: StackUnderTest,
  versionId: string,
  what: string,
  poll: { timeoutMs: number; intervalMs: number } = { timeoutMs: 60_000, intervalMs: 1_000 },
): Promise<PendingSchedule[]> =>
  waitFor(
    what,
    async () => {
      const found = await s.schedulesOf(versionId);
      return found.length > 0 ? found : undefined;
    },
    poll,
  );

/**
 * Waits until the main and reschedule queues of `stages` are empty (visible, in flight and
 * delayed) on checks `quietMs` apart: nothing left there that could still send.
 */
export const waitForQuiet = async (
  s: StackUnderTest,
  stages: readonly StageName[] = STAGES,
  { timeoutMs = 120_000, quietMs = 5_000 }: { timeoutMs?: number; quietMs?: number } = {},
): Promise<void> => {
  let quietSince: number | undefined;
  await waitFor(
    `the ${stages.join(', ')} queues to stay empty`,
    async () => {
      const depths = await Promise.all(
        stages
          .flatMap((stage) => [s.queueUrls[stage].main, s.queueUrls[stage].reschedule])
          .map((url) => queueDepth(s.sqs, url)),
      );
      if (depths.some((d) => d.visible + d.inFlight + d.delayed > 0)) {
        quietSince = undefined;
        return undefined;
      }
      quietSince ??= Date.now();
      return Date.now() - quietSince >= quietMs ? true : undefined;
    },
    { timeoutMs, intervalMs: 1_000 },
  );
};

/** One email of the emulator's own SES store (`GET /_ministack/ses/messages`: subject and body only). */
export interface StoredEmail {
  MessageId: string;
  To: string[];
  Subject: string;
}

/** The emails of ministack's SES store sent to any of `addresses`. */
export const storedEmails = async (
  s: StackUnderTest,
  addresses: readonly string[],
): Promise<StoredEmail[]> => {
  const res = await fetch(`${s.ministack.endpoint}/_ministack/ses/messages`);
  const { messages } = (await res.json()) as { messages: Record<string, StoredEmail[]> };
  return Object.values(messages)
    .flat()
    .filter((m) => m.To.some((to) => addresses.includes(to)));
};

/** A contact `herald clients add` stores. */
export interface ScenarioContact {
  email: string;
  name: string;
  /** Default the project policy's (en). */
  locale?: string;
}

/**
 * What an operator sets up with `herald` before the first webhook, and the Jira stand-in's two
 * projects: ACME's policy with `acmePoints` (UTC), SHOP's `-1d@09:00` (UTC), and each project's
 * contacts.
 */
export const setUpProjects = async (
  s: StackUnderTest,
  setup: {
    acmePoints: readonly SendPoint[];
    acme: readonly ScenarioContact[];
    shop: readonly ScenarioContact[];
  },
): Promise<void> => {
  const spec = setup.acmePoints.map((p) => `${p.days}d@${p.at}`).join(',');
  await heraldOk(s, ['policy', 'set', ACME.key, '--points', spec, '--tz', 'UTC', '--locale', 'en']);
  await heraldOk(s, ['policy', 'set', SHOP.key, '--points', '-1d@09:00', '--tz', 'UTC']);
  const add = (project: string, c: ScenarioContact) =>
    heraldOk(s, [
      'clients',
      'add',
      project,
      c.email,
      '--name',
      c.name,
      ...(c.locale ? ['--locale', c.locale] : []),
    ]);
  for (const c of setup.acme) await add(ACME.key, c);
  for (const c of setup.shop) await add(SHOP.key, c);
  s.jira.putProject(ACME);
  s.jira.putProject(SHOP);
};
