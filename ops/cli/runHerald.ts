import { CommanderError } from 'commander';
import type { DestinationStream } from 'pino';
import { stackNames } from '#local/stackNames';
import type { Log } from '#shared/logger';
import { type AwsSettings, resolveAwsSettings } from './awsSettings.ts';
import { confirmOnTerminal, type PromptStreams } from './confirm.ts';
import { describeFailure, exitCodeOf } from './errors.ts';
import { EXIT_CODES, type ExitCode } from './exitCodes.ts';
import type { OpsClients, OpsContext } from './OpsContext.ts';
import { createOutput, type TextSink } from './Output.ts';
import { readOpsEnvironment } from './opsEnvironment.ts';
import { buildProgram, type CommandRuntime, type GlobalOptions } from './program.ts';
import { createProgressFactory } from './progress.ts';

/** What `herald` reads and writes; the process's by default, buffers in tests. */
export interface HeraldIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Where confirmation answers come from. */
  stdin: PromptStreams['input'];
  /** Environment variables. */
  env: NodeJS.ProcessEnv;
  /** Clock. Default the wall clock. */
  now?: () => Date;
  /** Builds the AWS clients of a command. Default `createOpsClients`. */
  clients?: (settings: AwsSettings) => OpsClients;
}

/** pino (loaded only when a command runs): JSON lines on stderr with --verbose, else silent. */
const loggerFor = async (verbose: boolean, stderr: TextSink): Promise<Log> => {
  const { createLogger, silentLogger } = await import('#shared/logger');
  if (!verbose) return silentLogger();
  return createLogger({
    level: 'info',
    destination: stderr as unknown as NodeJS.WritableStream & DestinationStream,
  });
};

/** The process's own streams and environment. */
export const processIo = (): HeraldIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/**
 * Runs one `herald` command line (without `node` and the script) and resolves to its exit code
 * (see EXIT_CODES); never exits the process and never throws. An error ends the command with
 * `herald: <message>` on stderr.
 */
export const runHerald = async (argv: readonly string[], io: HeraldIo = processIo()): Promise<ExitCode> => {
  let exitCode: ExitCode = EXIT_CODES.ok;
  const opened: OpsClients[] = [];
  const output = createOutput(io.stdout, io.stderr);

  const runtime: CommandRuntime = {
    run: async (command, action) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const environment = readOpsEnvironment(io.env);
      const env = globals.env ?? environment.config.HERALD_ENV;
      const aws = resolveAwsSettings(globals, environment.aws);
      const clients = (io.clients ?? (await import('./createOpsClients.ts')).createOpsClients)(aws);
      opened.push(clients);
      const ctx: OpsContext = {
        env,
        names: stackNames(env),
        aws,
        config: environment.config,
        secretsFromEnv: { jiraApiToken: environment.jiraApiToken, openaiApiKey: environment.openaiApiKey },
        clients,
        output,
        progress: createProgressFactory(io.stderr),
        confirm: confirmOnTerminal({ input: io.stdin, output: io.stderr as NodeJS.WritableStream }),
        now: io.now ?? (() => new Date()),
        logger: await loggerFor(globals.verbose === true, io.stderr),
        operator: environment.operator,
      };
      exitCode = (await action(ctx)) ?? EXIT_CODES.ok;
    },
  };

  try {
    await buildProgram({ runtime, stdout: io.stdout, stderr: io.stderr }).parseAsync([...argv], {
      from: 'user',
    });
  } catch (err) {
    exitCode = exitCodeOf(err);
    // Commander has already printed its own message (and the help hint).
    if (!(err instanceof CommanderError)) output.note(`herald: ${describeFailure(err)}`);
  } finally {
    for (const clients of opened) clients.destroy();
  }
  return exitCode;
};
