import { Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { defineContacts } from './definitions/contacts.ts';
import { defineDlq } from './definitions/dlq.ts';
import { defineDrafts } from './definitions/drafts.ts';
import { defineOutbox } from './definitions/outbox.ts';
import { definePolicy } from './definitions/policy.ts';
import { definePreview } from './definitions/preview.ts';
import { defineRegion } from './definitions/region.ts';
import { defineReplay } from './definitions/replay.ts';
import { defineReport } from './definitions/report.ts';
import { defineSchedules } from './definitions/schedules.ts';
import { defineStatus } from './definitions/status.ts';
import { EXIT_CODES_HELP, type ExitCode } from './exitCodes.ts';
import type { OpsContext } from './OpsContext.ts';
import type { TextSink } from './Output.ts';
import { environmentName } from './parsers.ts';

/** The global options, on every command. */
export interface GlobalOptions {
  env?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  endpoint?: string | undefined;
  verbose?: boolean | undefined;
}

/** How a command's action gets its context and reports its exit code. */
export interface CommandRuntime {
  /**
   * Builds the context of `command` (global options, environment, clients) and runs `action`
   * with it. The action prints its own output and resolves to its exit code (default 0); it
   * fails by throwing (see `exitCodeOf`).
   */
  run(command: Command, action: (ctx: OpsContext) => Promise<ExitCode | undefined>): Promise<void>;
}

const ENVIRONMENT_HELP = `Environment:
  HERALD_ENV                       environment name in resource names (herald-<env>-...); --env wins
  AWS_REGION, AWS_PROFILE          region and named profile, as the AWS CLI reads them; flags win
  AWS_ENDPOINT_URL                 send every AWS call there (an emulator); --endpoint wins
  JIRA_SITE_URL, JIRA_EMAIL        Jira Cloud site and account (preview, replay)
  JIRA_API_TOKEN                   Jira token; unset: read from Secrets Manager (herald-<env>-jira-api-token)
  OPENAI_API_KEY                   OpenAI key for preview; unset: Secrets Manager, else template emails
  OPENAI_MODEL, OPENAI_BASE_URL    as the compose stage reads them`;

/** Options of {@link buildProgram}. */
export interface BuildProgramOptions {
  runtime: CommandRuntime;
  stdout: TextSink;
  stderr: TextSink;
}

/**
 * The `herald` command tree. Commander never exits the process (exitOverride: its errors are
 * thrown as CommanderError and turned into exit code 2) and writes help and errors to the given
 * sinks.
 */
export const buildProgram = ({ runtime, stdout, stderr }: BuildProgramOptions): Command => {
  const program = new Command('herald')
    .description(
      'Operate release-herald: queues and dead letters, schedules, the client directory, send policies, previews, replays and drafts under review.',
    )
    .version(packageJson.version, '-V, --version', 'print the version of release-herald')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .helpCommand(false)
    .addOption(
      new Option('--env <name>', 'environment name (default: HERALD_ENV, else none)').argParser(
        environmentName,
      ),
    )
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, the profile, us-east-1)'))
    .addOption(new Option('--profile <name>', 'AWS named profile (default: AWS_PROFILE)'))
    .addOption(new Option('--endpoint <url>', 'AWS endpoint, e.g. an emulator (default: AWS_ENDPOINT_URL)'))
    .option('-v, --verbose', 'log what the adapters do (JSON lines on stderr)')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`);

  // Each definition loads its command's module only when that command runs: `herald --help` and
  // bad usage answer without loading the AWS SDK, jira.js or the compose stage.
  defineStatus(program, runtime);
  defineDlq(program, runtime);
  defineSchedules(program, runtime);
  defineContacts(program, runtime);
  definePolicy(program, runtime);
  definePreview(program, runtime);
  defineReplay(program, runtime);
  defineOutbox(program, runtime);
  defineRegion(program, runtime);
  defineDrafts(program, runtime);
  defineReport(program, runtime);
  return program;
};
