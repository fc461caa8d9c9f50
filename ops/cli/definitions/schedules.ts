import { type Command, InvalidArgumentError } from 'commander';
import type { ScheduleCancelOptions, ScheduleListOptions } from '#ops/commands/schedules';
import { SCHEDULE_NAME_PATTERN } from '#stages/schedule/scheduleNames';
import { jsonOption, projectKey, versionId } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/schedules');

/** Parses a schedule name, for commander. */
const scheduleName = (value: string): string => {
  if (!SCHEDULE_NAME_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      'expected a schedule name (1-64 characters of 0-9, a-z, A-Z, -, _ and .).',
    );
  }
  return value;
};

/** Defines `herald schedules list|cancel|fire`. */
export const defineSchedules = (program: Command, runtime: CommandRuntime): void => {
  const schedules = program.command('schedules').description('pending send-point schedules');

  schedules
    .command('list')
    .description('list pending send-point schedules, soonest first')
    .option('--project <key>', 'only this Jira project', projectKey)
    .option('--release <versionId>', 'only this release (Jira version id)', versionId)
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  herald schedules list --project SHOP --json')
    .action((options: ScheduleListOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).listAction(ctx, options)),
    );

  schedules
    .command('cancel')
    .description('delete every pending send-point schedule of a release')
    .requiredOption('--release <versionId>', 'the release (Jira version id)', versionId)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
The release is planned again from its policy the next time it changes in Jira (or on
\`herald replay\`). Cancelling a release with no schedules is not an error.

Example:
  herald schedules cancel --release 10001`,
    )
    .action((options: ScheduleCancelOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).cancelAction(ctx, options)),
    );

  schedules
    .command('fire')
    .description("send one schedule's point now (its compose job goes to the compose queue) and delete it")
    .argument('<name>', 'schedule name, as `schedules list` shows it', scheduleName)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExit 1 when the schedule does not exist.\n\nExample:\n  herald schedules fire rh-10001-b1d0h0m0900-3f2a9c1e-0',
    )
    .action((name: string, options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).fireAction(ctx, name, options)),
    );
};
