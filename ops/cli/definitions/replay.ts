import type { Command } from 'commander';
import { jsonOption, versionId } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

/** Defines `herald replay`. */
export const defineReplay = (program: Command, runtime: CommandRuntime): void => {
  program
    .command('replay')
    .description('re-read one release from Jira and reschedule it (as a jira:version_updated now)')
    .argument('<versionId>', 'Jira version id', versionId)
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Use it after changing a project's policy or contacts, or when a webhook was lost. Needs
JIRA_SITE_URL and JIRA_EMAIL; the token comes from JIRA_API_TOKEN or Secrets Manager.
Exit 1 when Jira has no such version.

Example:
  herald replay 10001`,
    )
    .action((id: string, options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) =>
        (await import('#ops/commands/replay')).replayAction(ctx, id, options),
      ),
    );
};
