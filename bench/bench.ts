/**
 * `npm run bench`: figures, not tests. Bundles every handler and measures its size and cold
 * import beside an empty Node start; then, on the AWS emulator with the Jira and OpenAI stand-ins,
 * the send stage and the whole pipeline beside raw emulator hops, the schedule stage, and the
 * LLM calls and tokens per release point. Prints a table and writes docs/BENCHMARKS.md.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectOrStart, REPO_ROOT } from '#local/Emulator';
import { startJiraStandIn } from '#test/standins/JiraStandIn';
import { startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { topology } from '#topology/topology';
import { type BenchContext, emulatorClients, STANDIN_CREDENTIALS } from './BenchContext.ts';
import { bundleChecks, bundleSection, bundleTable, DEFAULT_BASE_COMMIT } from './bundleReport.ts';
import {
  type BaseBundles,
  buildBaseBundles,
  buildBundles,
  type ColdStartFigures,
  measureBundles,
} from './bundles.ts';
import { RELEASE_LEAD_DAYS } from './fixtures.ts';
import {
  benchGrounding,
  type GroundingFigures,
  groundingSection,
  groundingTable,
  verifierTable,
} from './groundingBench.ts';
import { benchDraftRace, type DraftRaceFigures } from './draftRaceBench.ts';
import { benchPipeline, type PipelineFigures } from './pipelineBench.ts';
import { duration, markdownTable, num, reflowMarkdown } from './report.ts';
import { benchScheduleStage, MAX_BACKLOG, type ScheduleStageFigures } from './scheduleStageBench.ts';
import { benchSendStage, type SendStageFigures } from './sendStageBench.ts';

const HELP = `Usage: npm run bench [-- options]

Prints benchmark figures and writes them to docs/BENCHMARKS.md (2-3 minutes on an idle 2-core
machine; up to ~9 under heavy load).

Options:
  --runs <n>        cold-import rounds per bundle (default 10)
  --base <rev>      also build and measure this commit's bundles, side by side (default
                    ${DEFAULT_BASE_COMMIT.slice(0, 12)}, main before issue 14; "none" for none)
  --bundles-only    measure the bundles only and print their table (writes no file)
  --send-jobs <n>   send jobs for the send stage figure (default 200)
  --releases <n>    releases for the whole pipeline (default 10; 3 points each)
  --recipients <n>  recipients per project for the whole pipeline (default 5)
  --issues <n>      issues per release (default 20)
  --changes <n>     release changes for the schedule stage (default 1000)
  --out <file>      where to write the report (default docs/BENCHMARKS.md; "-" for none)
  -h, --help        show this help

Environment: AWS_ENDPOINT_URL uses that emulator instead of starting moto.`;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    base: { type: 'string', default: DEFAULT_BASE_COMMIT },
    'bundles-only': { type: 'boolean', default: false },
    'send-jobs': { type: 'string', default: '200' },
    releases: { type: 'string', default: '10' },
    recipients: { type: 'string', default: '5' },
    issues: { type: 'string', default: '20' },
    changes: { type: 'string', default: '1000' },
    out: { type: 'string', default: 'docs/BENCHMARKS.md' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const count = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of at least 1, got "${String(values[name])}"`);
    process.exit(2);
  }
  return n;
};
const sizes = {
  runs: count('runs'),
  sendJobs: count('send-jobs'),
  releases: count('releases'),
  recipients: count('recipients'),
  issues: count('issues'),
  changes: count('changes'),
};

const started = Date.now();
const loadAt = { startValue: loadavg()[0] ?? 0, start: num(loadavg()[0] ?? 0, 1) };
const say = (text: string) =>
  process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${text}\n`);

say('building bundles (npm run build)…');
await buildBundles(REPO_ROOT);
let base: BaseBundles | undefined;
let baseMissing: string | undefined;
if (values.base === 'none') baseMissing = '--base none';
else {
  say(`building the bundles of ${values.base} (the base) in a temporary worktree…`);
  base = await buildBaseBundles(REPO_ROOT, values.base).catch((err: unknown) => {
    baseMissing = `the base ${values.base} could not be built: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    say(baseMissing);
    return undefined;
  });
}
say(`measuring cold imports (${sizes.runs} rounds)…`);
let cold: ColdStartFigures;
try {
  cold = await measureBundles(
    [{ label: 'now', dist: join(REPO_ROOT, 'dist') }, ...(base ? [{ label: 'base', dist: base.dist }] : [])],
    sizes.runs,
  );
} finally {
  await base?.remove();
}
const bundles = {
  cold,
  ...(base ? { baseCommit: base.commit } : {}),
  ...(baseMissing ? { baseMissing } : {}),
};
if (values['bundles-only']) {
  console.log(bundleTable(bundles));
  console.log();
  for (const c of bundleChecks(bundles)) console.log(c);
  process.exit(0);
}

say(process.env.AWS_ENDPOINT_URL ? `emulator at ${process.env.AWS_ENDPOINT_URL}` : 'starting moto…');
const emulator = await connectOrStart({ whenNoEndpoint: 'start-moto', print: say });
const clients = emulatorClients(emulator.endpoint);
const jira = await startJiraStandIn({
  email: STANDIN_CREDENTIALS.jiraEmail,
  apiToken: STANDIN_CREDENTIALS.jiraToken,
});
const openai = await startOpenAiStandIn({ apiKey: STANDIN_CREDENTIALS.openaiKey });
const logDir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
say(`worker logs in ${logDir}`);
const ctx: BenchContext = { endpoint: emulator.endpoint, ...clients, jira, openai, logDir, say };

let send: SendStageFigures;
let pipeline: PipelineFigures;
let race: DraftRaceFigures;
let schedule: ScheduleStageFigures;
let grounding: GroundingFigures;
try {
  say(`send stage: ${sizes.sendJobs} jobs…`);
  send = await benchSendStage(ctx, sizes.sendJobs);
  say(`whole pipeline: ${sizes.releases} releases × 3 points × ${sizes.recipients} recipients…`);
  pipeline = await benchPipeline(ctx, sizes);
  say(`draft race: the chunks of one point composed ${topology.stages.compose.fn.maxConcurrency} at once…`);
  race = await benchDraftRace(ctx);
  say(`schedule stage: ${sizes.changes} release changes…`);
  schedule = await benchScheduleStage(ctx, sizes.changes);
  say('content trust: labelled drafts through the grounding checks and the verifier…');
  grounding = await benchGrounding({ url: openai.url, apiKey: STANDIN_CREDENTIALS.openaiKey });
} finally {
  clients.destroy();
  await Promise.all([jira.close(), openai.close()]);
  await emulator.stop();
}
const wallMs = Date.now() - started;
const sendRate = topology.ses.maxSendRatePerSecond / topology.stages.send.fn.maxConcurrency;
const busyNote =
  Math.max(loadAt.startValue, loadavg()[0] ?? 0) > cpus().length
    ? ' (more runnable processes than cores: other work shared the machine, so absolute figures are pessimistic; ratios measured side by side hold better)'
    : '';

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${num(totalmem() / 2 ** 30, 1)} GiB RAM, ${process.platform} ${process.arch}, Node ${process.version}`;
const date = new Date().toISOString().replace('T', ' ').slice(0, 16);

const ratio = (a: number, b: number) => `${num(a / b, 2)}×`;
const throughputTable = markdownTable(
  ['what', 'messages', 'wall time', 'pipeline msg/s', 'raw SQS hops/s (same count)', 'pipeline ÷ raw'],
  [
    [
      'send stage (send.job → SES)',
      num(send.jobs),
      duration(send.ms),
      num(send.perSecond, 1),
      num(send.raw.perSecond, 1),
      ratio(send.perSecond, send.raw.perSecond),
    ],
    [
      `whole pipeline, hops (${pipeline.releases} releases × ${pipeline.points} points × ${pipeline.recipients} recipients)`,
      num(pipeline.hops),
      duration(pipeline.ms),
      num(pipeline.hopsPerSecond, 1),
      num(pipeline.raw.perSecond, 1),
      ratio(pipeline.hopsPerSecond, pipeline.raw.perSecond),
    ],
    [
      'whole pipeline, emails (webhook → SES store)',
      num(pipeline.emails),
      duration(pipeline.ms),
      num(pipeline.emailsPerSecond, 1),
      '—',
      '—',
    ],
  ],
);

const scheduleTable = markdownTable(
  ['release changes', 'schedules created', 'in the group after', 'wall time', 'changes/s', 'schedules/s'],
  [
    [
      num(schedule.changes),
      num(schedule.created),
      num(schedule.inGroup),
      duration(schedule.ms),
      num(schedule.changesPerSecond, 1),
      num(schedule.schedulesPerSecond, 1),
    ],
  ],
);

const llm = pipeline.llm;
const drafts = llm.releasePoints * llm.localeAudiences;
const extraPerRecipient = (llm.standInCalls - drafts) / llm.emails;
const llmTable = markdownTable(
  ['figure', 'value'],
  [
    ['release points', num(llm.releasePoints)],
    ['locale × audience pairs per point (en, de × all, stories)', num(llm.localeAudiences)],
    ['emails sent', num(llm.emails)],
    ['chat completions received by the OpenAI stand-in', num(llm.standInCalls)],
    ['`llmCalls` summed over `email_composed` lines', num(llm.loggedCalls)],
    ['drafts written (`email_composed` lines)', num(llm.drafts)],
    ['LLM calls per release point', num(llm.standInCalls / llm.releasePoints, 2)],
    ['LLM calls per point × locale × audience (must be 1.00)', num(llm.standInCalls / drafts, 2)],
    ['prompt tokens per release point', num(llm.promptTokens / llm.releasePoints)],
    ['completion tokens per release point', num(llm.completionTokens / llm.releasePoints)],
    [
      'LLM calls per recipient (beyond the one per point × locale × audience; must be 0)',
      num(extraPerRecipient, 2),
    ],
    [
      `draft race: ${race.chunks} chunks of one point composed ${race.concurrency} at once, model answering in 1.5 s`,
      `${num(race.emails)} emails; ${num(race.waited)} chunks waited for the claim holder's draft, ${num(race.cacheHits)} found it stored`,
    ],
    [
      `LLM calls per draft with ${race.chunks} concurrent chunks (must be 1.00)`,
      num(race.llmCalls / race.drafts, 2),
    ],
  ],
);

const delivery = pipeline.delivery;
const checks = [
  `whole pipeline delivery: ${delivery.distinct}/${delivery.expected} expected emails in the SES store, ${delivery.duplicates} duplicates, ${delivery.unexpected} unexpected`,
  `schedules: ${schedule.created} created for ${schedule.changes} changes × ${schedule.points} points, ${schedule.inGroup} in the group`,
];

const report = `# Benchmarks

Figures, not tests: nothing here passes or fails. Rerun with:

\`\`\`sh
npm run bench                  # prints the tables below and rewrites this file
npm run bench -- --help        # sizes; --out - prints without writing
\`\`\`

Last run: ${date} UTC, ${duration(wallMs)}, on ${machine}. Load average (1 min) ${loadAt.start} at
the start, ${num(loadavg()[0] ?? 0, 1)} at the end${busyNote}. AWS: moto server (the version
pinned in local/requirements-moto.txt); Jira and OpenAI: the loopback stand-ins of
test/standins, without faults. Everything runs on this one machine, emulator included, so the
figures compare the pipeline with the emulator under the same conditions; they are not AWS
figures.

${bundleSection(bundles)}

## Throughput

Each figure comes from a worker process (local/worker.ts: the real handlers under the
local Lambda runtime, one poller per queue, the topology's batch sizes, log level info) on moto.
Beside it, in the same run, the raw baseline: the same number of SQS hops (SendMessageBatch of
10 → ReceiveMessage of up to 10 → DeleteMessageBatch) on a plain queue of an idle emulator.

- **send stage**: ${num(send.jobs)} send.job messages (one stored draft, one recipient each) put on
  the send queue, timed from the first SendMessageBatch until the worker logged \`email_sent\` for
  each. The send stage paces SES on purpose: the account's ${topology.ses.maxSendRatePerSecond}
  emails/s (\`topology.ses\`) ÷ the send function's maximum concurrency
  (${topology.stages.send.fn.maxConcurrency}) = ${num(sendRate, 1)} emails/s per process (a burst of
  ${Math.floor(sendRate)} first), so this figure is the rate limiter's, by design, not the code's or
  the emulator's.
- **whole pipeline**: signed \`jira:version_created\` webhooks for ${pipeline.releases} releases
  (${pipeline.points} points each, ${pipeline.recipients} recipients per project, ${sizes.issues} issues
  per release), through webhook → EventBridge → ingest → enrich → schedule → local scheduler →
  compose (OpenAI stand-in) → send → SES; timed from the first webhook until every email was sent.
  Releases are dated ${RELEASE_LEAD_DAYS}+ days ahead (the schedule stage plans on the real clock)
  and the worker's scheduler clock is set a day past the last release date, so each schedule
  fires as soon as it exists (time travel). Hops per release: ingest, enrich, schedule, one compose
  job per point and one send job per email, ${num(pipeline.hops)} in all. Emails are bounded by the
  same ${num(sendRate, 1)}/s SES pacing.

${throughputTable}

## Schedule stage

${num(schedule.changes)} release changes: release.snapshot messages, each for a different release
with ${schedule.points} points and one recipient in UTC (${schedule.points} one-time schedules each),
fed to the schedule queue at most ${MAX_BACKLOG} at a time (moto's ReceiveMessage walks every message
of a queue, so a deep queue measures the emulator) and drained by the real schedule handler:
ListSchedules by the release's name prefix, then CreateSchedule per point, 4 at a time per record.
The local scheduler is off, so nothing fires. moto's ListSchedules walks every schedule of every
group, so the rate falls as the group fills; EventBridge Scheduler's default CreateSchedule quota is
in the thousands of calls per second in the larger regions (Scheduler user guide, "Quotas").

${scheduleTable}

## LLM usage

From the whole-pipeline run: chat completions the OpenAI stand-in received, and the
\`email_composed\` log lines (\`llmCalls\`, \`promptTokens\`, \`completionTokens\`; the stand-in
counts about 4 characters per token, so token figures are estimates of a real model's). Each
project's recipients are spread over two locales (en, de) and two audiences (\`all\`, and
\`stories\` with the scope \`issuetype = Story\`): one call per release point × locale × audience
(the draft is cached in the ledger); recipients only read the draft, so calls per recipient stay 0.

${llmTable}

${groundingSection(grounding)}

## Checks made by the run

${checks.map((c) => `- ${c}`).join('\n')}

## Sizes

Chosen so that the whole run stays under ~10 minutes on this 2-core machine while each figure rests
on enough messages: ${cold.runs} cold-import rounds × ${cold.sets.reduce((n, s) => n + s.bundles.length, 0)} bundles,
${num(sizes.sendJobs)} send jobs (about ${Math.round(sizes.sendJobs / sendRate)} s at the SES pacing),
${sizes.releases} releases × ${pipeline.points} points × ${sizes.recipients} recipients
(${num(pipeline.emails)} emails), ${num(sizes.changes)} release changes.

## Chaos run

\`npm run chaos\` (bench/runChaos.ts) is the fault-tolerance counterpart of these figures: 50
releases × 3 points × 5 recipients with faults on 30% of Jira, OpenAI and SES SendEmail calls
(among them, on 12% of SendEmail, the answer lost after SES accepted the email), duplicate
webhooks and the runtime process SIGKILLed three times (while scheduling, while sending, and
between SES's acceptance and the ledger's record); it prints expected, sent, duplicates,
missing, retries, the ambiguous outcomes resolved by SES events, DLQ messages and wall time, and
exits 1 unless duplicates = 0, missing = 0 and every DLQ is empty. A smaller version runs in the e2e suite
(test/e2e/chaos/chaos.test.ts).
`;

console.log(bundleTable(bundles));
console.log();
for (const c of bundleChecks(bundles)) console.log(c);
console.log();
console.log(throughputTable);
console.log();
console.log(scheduleTable);
console.log();
console.log(llmTable);
console.log();
console.log(groundingTable(grounding));
console.log();
console.log(verifierTable(grounding));
console.log();
for (const c of checks) console.log(c);
if (values.out !== '-') {
  const out = resolve(REPO_ROOT, values.out);
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, reflowMarkdown(report));
  say(`wrote ${values.out}`);
}
say(`done in ${duration(wallMs)}`);
