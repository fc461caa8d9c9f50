/**
 * `npm run chaos`: the chaos run (see runChaos.ts). Exits 0 only when every expected email was
 * sent exactly once and every DLQ is empty.
 */
import { parseArgs } from 'node:util';
import { connectOrStart } from '#local/Emulator';
import { CHAOS_KILLS, type ChaosKill, formatChaosReport, runChaos } from './runChaos.ts';

const HELP = `Usage: npm run chaos [-- options]

Releases × points × recipients through the local stack with faults on Jira, OpenAI and SES
(SendEmail answers lost after SES accepted the email among them), duplicate webhooks, and the
runtime process SIGKILLed and restarted mid-run, once between SES's acceptance of an email and
the ledger's record of it (7-12 minutes).

Options:
  --releases <n>     releases (default 50)
  --points <n>       send points per release, 1..3 (default 3)
  --recipients <n>   recipients per project (default 5)
  --fault-rate <r>   share of Jira, OpenAI and SES SendEmail calls that fail, 0.2..1 (default 0.3)
  --ambiguous-rate <r>  share of SES SendEmail calls answered after acceptance and then lost
                     (reset, or held past the SDK timeout), 0.1..fault-rate (default 0.12)
  --seed <n>         PRNG seed of faults and duplicates (default 42)
  --kills <list>     scheduling,sending,ses-accepted (default all; "none" for no kill)
  --function-timeout <s>  every stage's function timeout, 5..30 s (default 30, the send stage's)
  -h, --help         show this help

Environment: AWS_ENDPOINT_URL uses that emulator (moto: the run reads its SES store).`;

const { values } = parseArgs({
  options: {
    releases: { type: 'string', default: '50' },
    points: { type: 'string', default: '3' },
    recipients: { type: 'string', default: '5' },
    'fault-rate': { type: 'string', default: '0.3' },
    'ambiguous-rate': { type: 'string', default: '0.12' },
    seed: { type: 'string', default: '42' },
    kills: { type: 'string', default: CHAOS_KILLS.join(',') },
    'function-timeout': { type: 'string', default: '30' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const whole = (
  name: 'releases' | 'points' | 'recipients' | 'seed' | 'function-timeout',
  min: number,
  max: number,
): number => {
  const n = Number(values[name]);
  return Number.isInteger(n) && n >= min && n <= max
    ? n
    : fail(`--${name} must be a whole number ${min}..${max}`);
};
const faultRate = Number(values['fault-rate']);
if (!(faultRate >= 0.2 && faultRate <= 1))
  fail('--fault-rate must be 0.2..1 (the chaos run injects at least 20%)');
const ambiguousRate = Number(values['ambiguous-rate']);
if (!(ambiguousRate >= 0.1 && ambiguousRate <= faultRate))
  fail('--ambiguous-rate must be 0.1..--fault-rate (the chaos run loses at least 10% of SES answers)');
const kills = values.kills === 'none' ? [] : values.kills.split(',').map((k) => k.trim());
for (const k of kills)
  if (!(CHAOS_KILLS as readonly string[]).includes(k)) fail(`--kills: unknown kill "${k}"`);

const started = Date.now();
const say = (text: string) => console.log(`[chaos ${Math.round((Date.now() - started) / 1000)}s] ${text}`);
say(process.env.AWS_ENDPOINT_URL ? `emulator at ${process.env.AWS_ENDPOINT_URL}` : 'starting moto…');
const emulator = await connectOrStart({ whenNoEndpoint: 'start-moto', print: say });
let ok = false;
try {
  const report = await runChaos({
    endpoint: emulator.endpoint,
    releases: whole('releases', 1, 500),
    points: whole('points', 1, 3),
    recipients: whole('recipients', 1, 50),
    faultRate,
    ambiguousRate,
    seed: whole('seed', 0, 2 ** 31 - 1),
    kills: kills as ChaosKill[],
    functionTimeoutSeconds: whole('function-timeout', 5, 30),
    say,
  });
  console.log();
  console.log(formatChaosReport(report));
  ok = report.ok;
} finally {
  await emulator.stop();
}
process.exit(ok ? 0 : 1);
