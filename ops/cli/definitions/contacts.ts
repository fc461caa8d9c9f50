import type { Command } from 'commander';
import type {
  ContactAddOptions,
  ContactImportOptions,
  ContactListOptions,
  ContactOptOutOptions,
} from '#ops/commands/contacts';
import { emailArgument, jsonOption, projectKey } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/contacts');

/**
 * Defines `herald contacts list|add|remove|import|optout` (`herald clients …` is kept as an alias:
 * it was the command's name before "client" was kept for SDK clients).
 */
export const defineContacts = (program: Command, runtime: CommandRuntime): void => {
  const contacts = program
    .command('contacts')
    .alias('clients')
    .description('the directory of contacts: who gets the emails of a project (alias: clients)');

  contacts
    .command('list')
    .description('list contacts (of one project, or of all)')
    .option('--project <key>', 'only this Jira project', projectKey)
    .addOption(jsonOption())
    .action((options: ContactListOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).listAction(ctx, options)),
    );

  contacts
    .command('add')
    .description('add a contact to a project (or replace the one with that address)')
    .argument('<project>', 'Jira project key', projectKey)
    .argument('<email>', 'email address', emailArgument)
    .option('--name <name>', 'display name used in the greeting')
    .option('--locale <locale>', "language of the emails (default: the project policy's)")
    .option('--tz <zone>', "IANA time zone of the send points (default: the project policy's)")
    .option('--opted-out', 'store the contact opted out of this project')
    .option('--audience <name>', "audience of the project's policy (default: all)")
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExample:\n  herald contacts add SHOP ada@example.com --name Ada --locale en --tz Europe/London',
    )
    .action((project: string, email: string, options: ContactAddOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).addAction(ctx, project, email, options)),
    );

  contacts
    .command('remove')
    .description('remove a contact from a project')
    .argument('<project>', 'Jira project key', projectKey)
    .argument('<email>', 'email address', emailArgument)
    .addOption(jsonOption())
    .addHelpText('after', '\nExit 1 when the project has no such contact.')
    .action((project: string, email: string, options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).removeAction(ctx, project, email, options)),
    );

  contacts
    .command('import')
    .description('add or replace contacts from a CSV file; bad rows are reported by line, good rows kept')
    .argument('<csv>', 'CSV file with a header row')
    .option('--project <key>', 'project of rows without a project column or value', projectKey)
    .option('--dry-run', 'check every row; store nothing')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
CSV columns (header row, any order; email required):
  email, project, name, locale, timeZone (or tz), optedOut (yes/no/true/false/1/0),
  audience (an audience of the project's policy; empty: all)

Exit 3 when rows were rejected (the good ones were imported); 2 when the file cannot be read or
its header is unusable (nothing imported).

Example:
  herald contacts import contacts.csv --project SHOP`,
    )
    .action((file: string, options: ContactImportOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).importAction(ctx, file, options)),
    );

  contacts
    .command('optout')
    .description('opt an address out of every project (the send stage never mails it again)')
    .argument('<email>', 'email address', emailArgument)
    .option('--reason <text>', 'why, kept with the opt-out', 'cli')
    .addOption(jsonOption())
    .action((email: string, options: ContactOptOutOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).optOutAction(ctx, email, options)),
    );
};
