/**
 * `npm start`: release-herald on this machine. Starts the AWS emulator (moto, installed into
 * .venv on first use) or uses AWS_ENDPOINT_URL, bootstraps it from the topology, serves the
 * webhook on loopback, runs every stage and the scheduler, and writes each sent email into
 * an outbox folder. With no Jira credentials it runs a demo release due in the next minutes.
 */
import { randomBytes } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JiraCloud } from '#adapters/jira/JiraCloud';
import { EventBridgeScheduler } from '#adapters/scheduler/EventBridgeScheduler';
import { anyEnvelope } from '#contracts/envelope';
import { maskEmail } from '#shared/logger';
import { startJiraStandIn } from '#test/standins/JiraStandIn';
import { startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { DEMO, demoWebhookBody, describeDemoScope, postSignedWebhook, seedDemo } from './demo.ts';
import { connectOrStart } from './Emulator.ts';
import { LOCAL_SCHEDULER_ROLE_ARN, startLocalHerald } from './LocalHerald.ts';
import type { InvocationResult } from './LocalLambdaRuntime.ts';
import { readOutbox, writeOutbox } from './Outbox.ts';

const HELP = `Usage: npm start [-- options]

Runs release-herald locally: AWS emulator, bootstrap, webhook, every stage, scheduler.

Options:
  --outbox <dir>   where sent emails are written as .eml and .html (default: outbox)
  --port <n>       webhook port on 127.0.0.1 (default: a free port)
  --sender <addr>  From address (default: releases@example.com)
  -h, --help       show this help

Environment:
  AWS_ENDPOINT_URL                          use this emulator (e.g. LocalStack) instead of moto
  JIRA_SITE_URL, JIRA_EMAIL, JIRA_API_TOKEN real Jira Cloud; without them a demo release runs
  OPENAI_API_KEY (OPENAI_MODEL)             real OpenAI; without it a local stand-in writes
  WEBHOOK_SECRET                            HMAC secret for Jira webhooks (default: random)

Ctrl-C stops everything.`;

const { values } = parseArgs({
  options: {
    outbox: { type: 'string', default: 'outbox' },
    port: { type: 'string', default: '0' },
    sender: { type: 'string', default: 'releases@example.com' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number 0..65535, got "${values.port}"`);
  process.exit(2);
}

const started = Date.now();
const clock = () => new Date().toISOString().slice(11, 19);
const say = (what: string, text: string) => console.log(`[${clock()}] ${what.padEnd(10)} ${text}`);

const realJira =
  process.env.JIRA_SITE_URL && process.env.JIRA_EMAIL && process.env.JIRA_API_TOKEN
    ? {
        siteUrl: process.env.JIRA_SITE_URL,
        email: process.env.JIRA_EMAIL,
        apiToken: process.env.JIRA_API_TOKEN,
      }
    : undefined;
const webhookSecret = process.env.WEBHOOK_SECRET ?? randomBytes(24).toString('base64url');

say(
  'emulator',
  process.env.AWS_ENDPOINT_URL ? `using ${process.env.AWS_ENDPOINT_URL}` : 'starting moto server…',
);
const emulator = await connectOrStart({
  whenNoEndpoint: 'start-moto',
  print: (line) => say('emulator', line),
});
say('emulator', `ready at ${emulator.endpoint}`);

const jiraStandIn = realJira
  ? undefined
  : await startJiraStandIn({ email: 'demo@example.com', apiToken: 'demo-token' });
const openAiStandIn = process.env.OPENAI_API_KEY
  ? undefined
  : await startOpenAiStandIn({ apiKey: 'demo-key' });
const jira = realJira ?? {
  siteUrl: jiraStandIn?.url ?? '',
  email: 'demo@example.com',
  apiToken: 'demo-token',
};
const openai = process.env.OPENAI_API_KEY
  ? { apiKey: process.env.OPENAI_API_KEY, model: process.env.OPENAI_MODEL }
  : { apiKey: 'demo-key', baseURL: openAiStandIn?.url };
say('jira', realJira ? `using ${realJira.siteUrl}` : `demo stand-in at ${jira.siteUrl}`);
say('openai', process.env.OPENAI_API_KEY ? 'using the OpenAI API' : `local stand-in at ${openai.baseURL}`);

const describeBatch = (result: InvocationResult): string => {
  const kinds = result.event.Records.map((r) => {
    const parsed = anyEnvelope.safeParse(JSON.parse(r.body || 'null'));
    return parsed.success ? parsed.data.kind : 'event';
  });
  const outcome = result.outcome === 'succeeded' ? '✓' : `✗ ${result.outcome}`;
  const error = result.error instanceof Error ? ` (${result.error.message})` : '';
  return `${outcome} ${result.event.Records.length} × ${[...new Set(kinds)].join(', ')} in ${result.durationMs} ms${error}`;
};

const herald = await startLocalHerald({
  endpoint: emulator.endpoint,
  jira,
  openai,
  webhookSecret,
  senderEmail: values.sender,
  webhookPort: port,
  onRequest: (r) => say('webhook', `${r.method} ${r.path} → ${r.status}`),
  onResult: (r) => {
    const stage = r.functionName.replace(/^herald-/, '');
    say(stage, describeBatch(r));
    if (stage === 'schedule' && r.outcome === 'succeeded') void listSchedules();
  },
  onFire: (f) => say('scheduler', `fired ${f.name} (due ${f.dueAt.toISOString()}) → compose queue`),
});
say('herald', `webhook listening at ${herald.webhookUrl} (HMAC secret in WEBHOOK_SECRET or printed below)`);
if (!process.env.WEBHOOK_SECRET) say('herald', `webhook secret for this run: ${webhookSecret}`);

const schedulerPort = new EventBridgeScheduler({
  client: herald.schedulerClient,
  groupName: herald.stack.names.scheduleGroup,
  roleArn: LOCAL_SCHEDULER_ROLE_ARN,
});
const listSchedules = async () => {
  const schedules = await schedulerPort.list('rh-').catch(() => []);
  say('schedules', `${schedules.length} pending`);
  for (const s of schedules.sort((a, b) => a.at.localeCompare(b.at))) {
    say('', `  ${s.name}  at ${s.at} ${s.timeZone}`);
  }
};

const outboxDir = resolve(values.outbox);
const written = new Set<string>();
let expected: number | undefined;
let firstHtmlShown = false;
const pollOutbox = async () => {
  const emails = await readOutbox(emulator.endpoint).catch(() => []);
  const fresh = emails.filter((e) => !written.has(e.id));
  const paths = await writeOutbox(outboxDir, fresh, written);
  fresh.forEach((email, i) => {
    say(
      'sent',
      `✉ "${email.subject}" → ${email.to.map(maskEmail).join(', ')}  ${relative(process.cwd(), paths[i] ?? '')}`,
    );
  });
  const firstHtml = fresh.findIndex((email) => email.html !== undefined);
  if (!firstHtmlShown && firstHtml >= 0) {
    firstHtmlShown = true;
    // The .html file sits next to the .eml writeOutbox returns.
    const html = (paths[firstHtml] ?? '').replace(/\.eml$/, '.html');
    say('outbox', `first email as HTML: ${html}`);
    say('outbox', 'open it in a browser; README "See the email" shows a Chromium screenshot command');
  }
  if (expected !== undefined && fresh.length > 0 && written.size >= expected) {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(
      'demo',
      `all ${expected} emails sent in ${seconds} s; open ${relative(process.cwd(), outboxDir)}/*.html. Ctrl-C to stop.`,
    );
    expected = undefined;
  }
};
const outboxTimer = setInterval(() => void pollOutbox(), 2000);

if (jiraStandIn) {
  const now = new Date();
  const { releaseDate, due, policy } = await seedDemo(jiraStandIn, herald.directory, now);
  expected = due.length * DEMO.contacts.length;
  say(
    'demo',
    `project ${DEMO.project.key}, release "${DEMO.versionName}" on ${releaseDate}, ${DEMO.contacts.length} contacts`,
  );
  say(
    'demo',
    `send points (UTC): ${due.map((d) => d.toISOString().slice(11, 16)).join(', ')}; expecting ${expected} emails`,
  );
  const scopeLines = await describeDemoScope(new JiraCloud(jira), policy).catch((err: unknown) => [
    `could not read the scope: ${err instanceof Error ? err.message : String(err)}`,
  ]);
  for (const line of scopeLines) say('scope', line);
  const status = await postSignedWebhook(herald.webhookUrl, webhookSecret, demoWebhookBody(releaseDate, now));
  say('demo', `posted a signed jira:version_created webhook → ${status}`);
} else {
  say(
    'herald',
    'real Jira: point a Jira webhook (version events) at the URL above through a tunnel, or use `herald replay <versionId>`.',
  );
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('herald', 'stopping…');
  clearInterval(outboxTimer);
  await herald.stop();
  await Promise.all([jiraStandIn?.close(), openAiStandIn?.close()]);
  await emulator.stop();
  say('herald', 'stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
