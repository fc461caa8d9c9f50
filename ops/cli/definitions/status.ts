import type { Command } from 'commander';
import type { StatusOptions } from '#ops/commands/status';
import { jsonOption } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

/** Defines `herald status` (its action is loaded when it runs). */
export const defineStatus = (program: Command, runtime: CommandRuntime): void => {
  program
    .command('status')
    .description(
      "every stage's queues (visible, in flight, delayed, oldest), DLQs marked when not empty, pending schedules, unsettled sends (claimed, ambiguous)",
    )
    .addOption(jsonOption())
    .option('--check', 'exit 3 when a dead-letter queue is not empty (for cron jobs and CI)')
    .addHelpText(
      'after',
      `
The oldest age is shown for dead-letter queues only (sampled from up to 10 messages); SQS reports it
for other queues only as the CloudWatch metric ApproximateAgeOfOldestMessage.

Exit codes: 0 ok; 1 a queue is missing or AWS cannot be reached; 3 with --check when a DLQ is not empty.

Example:
  herald status --env prod --check`,
    )
    .action((options: StatusOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await import('#ops/commands/status')).statusAction(ctx, options)),
    );
};
