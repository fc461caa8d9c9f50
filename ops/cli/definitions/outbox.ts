import type { Command } from 'commander';
import type { OutboxOptions } from '#ops/commands/outbox';
import { emailArgument, integerIn, jsonOption, versionId } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

/** Defines `herald outbox`. */
export const defineOutbox = (program: Command, runtime: CommandRuntime): void => {
  program
    .command('outbox')
    .description('the emails the local emulator (moto) holds: what SES would have sent (local stack only)')
    .option('--to <email>', 'only emails to this address', emailArgument)
    .option('--release <versionId>', 'only emails of this release', versionId)
    .option('--subject <text>', 'only subjects containing this')
    .option('--limit <n>', 'only the last n (1..10000)', integerIn(1, 10_000, 'emails'))
    .option('--out <dir>', 'also write each as .eml and .html into this folder')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Reads the emulator at --endpoint (or AWS_ENDPOINT_URL); exit 2 without one. The emulator's SES
store is shared by every environment on it: filter with --to, --release or --subject.

Example:
  herald outbox --endpoint http://127.0.0.1:5000 --release 10001`,
    )
    .action((options: OutboxOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await import('#ops/commands/outbox')).outboxAction(ctx, options)),
    );
};
