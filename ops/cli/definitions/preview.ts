import { type Command, InvalidArgumentError } from 'commander';
import { locale } from '#contracts/timeZone';
import type { PreviewCommandOptions } from '#ops/commands/preview';
import { jsonOption, versionId } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const localeArgument = (value: string): string => {
  if (!locale.safeParse(value).success)
    throw new InvalidArgumentError('expected a locale such as en or de-DE.');
  return value;
};

/** Defines `herald preview`. */
export const definePreview = (program: Command, runtime: CommandRuntime): void => {
  program
    .command('preview')
    .description('compose the email of a release point without sending it')
    .argument('<versionId>', 'Jira version id', versionId)
    .option('--point <spec>', "send point: -1d@09:00, a point id or onrelease (default: the policy's first)")
    .option('--locale <locale>', "language (default: the project policy's)", localeArgument)
    .option('--name <name>', 'recipient name in the greeting')
    .option('--template', 'use the template, not the LLM (no OpenAI call)')
    .option('--out <file>', 'write the HTML part to this file')
    .option(
      '--audience <name>',
      "the audience whose scope is shown and email composed (default: all; every audience's scope is shown)",
    )
    .option(
      '--scope-only',
      'show what each audience hears about (in scope, left out and why); compose nothing',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Same path as the compose stage (Jira read → LLM or template → render); no draft is stored, no email
sent. Needs JIRA_SITE_URL and JIRA_EMAIL; the token and the OpenAI key come from JIRA_API_TOKEN /
OPENAI_API_KEY or Secrets Manager. Exit 1 when compose would skip the point (stale release).
Each audience's scope is listed first: + in scope, - left out with the reason (security level,
label, project scope, audience scope).

Examples:
  herald preview 10001 --point -1d@09:00 --locale de --out email.html
  herald preview 10001 --audience developers --scope-only`,
    )
    .action((version: string, options: PreviewCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) =>
        (await import('#ops/commands/preview')).previewAction(ctx, version, options),
      ),
    );
};
