import { type Command, Option } from 'commander';
import type { PeekCommandOptions, PurgeCommandOptions, RedriveCommandOptions } from '#ops/commands/dlq';
import { REDRIVE_METHODS } from '#ops/dlq/redriveMethods';
import type { StageName } from '#topology/topology';
import { integerIn, jsonOption, stageArgument } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/dlq');

/** Defines `herald dlq peek|redrive|purge`. */
export const defineDlq = (program: Command, runtime: CommandRuntime): void => {
  const dlq = program
    .command('dlq')
    .description("inspect, redrive and purge a stage's dead-letter queue")
    .addHelpText(
      'after',
      `
Every DLQ message carries why it failed as herald-* attributes (reason, error, stage, failed at,
receive count, reschedules).`,
    );
  definePeek(dlq, runtime);
  defineRedrive(dlq, runtime);
  definePurge(dlq, runtime);
};

/** `herald dlq peek`. */
const definePeek = (dlq: Command, runtime: CommandRuntime): void => {
  dlq
    .command('peek')
    .description('show messages with their reason attributes, without consuming them')
    .addArgument(stageArgument())
    .option('--limit <n>', 'most messages to show (1..1000)', integerIn(1, 1000, 'messages'), 10)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Messages are received, then made visible again at once; nothing is deleted.

Example:
  herald dlq peek compose --limit 20 --json | jq '.messages[].reason'`,
    )
    .action((stage: StageName, options: PeekCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).peekAction(ctx, stage, options)),
    );
};

/** `herald dlq redrive`. */
const defineRedrive = (dlq: Command, runtime: CommandRuntime): void => {
  dlq
    .command('redrive')
    .description("move a stage's dead letters back to the stage's queue")
    .addArgument(stageArgument())
    .option(
      '--max-per-second <n>',
      'most messages moved per second (1..500)',
      integerIn(1, 500, 'messages per second'),
    )
    .option('--dry-run', 'count what would be moved, by reason; move nothing')
    .addOption(
      new Option('--method <method>', 'auto: StartMessageMoveTask where supported, else copy')
        .choices(REDRIVE_METHODS)
        .default('auto'),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Methods:
  move-task  SQS StartMessageMoveTask, server side; messages move unchanged (their reschedule
             counts stay, so a message that fails again gets its receive retries, no reschedule)
  copy       receive → send → delete with a progress bar; each message gets reschedules 0 and no
             herald-* attributes; a message is deleted from the DLQ only after it was sent
  auto       move-task where the endpoint supports it (AWS), else copy (moto)

Counts reconcile: moved + failed = seen. Exit 1 when a message was not moved (it stays in the DLQ).

Examples:
  herald dlq redrive compose --dry-run
  herald dlq redrive send --max-per-second 10`,
    )
    .action((stage: StageName, options: RedriveCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).redriveAction(ctx, stage, options)),
    );
};

/** `herald dlq purge`. */
const definePurge = (dlq: Command, runtime: CommandRuntime): void => {
  dlq
    .command('purge')
    .description("delete every message of a stage's DLQ (asks first) and print what was removed")
    .addArgument(stageArgument())
    .option('-y, --yes', 'do not ask (needed when stdin is not a terminal)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Exit 1 when the prompt is declined (nothing removed); 2 when stdin is not a terminal and --yes is
missing.

Example:
  herald dlq purge ingest --yes --json`,
    )
    .action((stage: StageName, options: PurgeCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).purgeAction(ctx, stage, options)),
    );
};
