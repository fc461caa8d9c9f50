import type { Command } from 'commander';
import type { ReportOptions } from '#ops/commands/report';
import { jsonOption } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

/** Defines `herald report` (its action is loaded when it runs). */
export const defineReport = (program: Command, runtime: CommandRuntime): void => {
  program
    .command('report')
    .description(
      'what happened to a release: per point × audience × locale, the draft (source, model, tokens, estimated cost) and its emails (planned, sent, delivered, bounced, complained, opted out, skipped); its dead letters',
    )
    .argument('<release...>', 'version id (10001), or project key and version name (SHOP 2026.12)')
    .addOption(jsonOption())
    .option('--html <file>', 'also write a self-contained HTML page with a delivery chart per point')
    .addHelpText(
      'after',
      `
Read from the ledger by key (the release's index row; no table scan), its pending schedules, and
the enrich, schedule, compose and send DLQs (peeked: nothing is consumed). The cost is an estimate
at OpenAI's list prices (unknown models are priced as gpt-4.1-mini). Addresses are masked in the
table; --json and --html show them whole.

Exit codes: 0 ok; 1 nothing is known of the release (no point fired, nothing scheduled) or AWS
cannot be reached; 2 bad usage.

Examples:
  herald report 10001 --env prod
  herald report SHOP 2026.12 --env prod --html report.html
  herald report 10001 --json | jq '.points[].totals'`,
    )
    .action((release: string[], options: ReportOptions, command: Command) =>
      runtime.run(command, async (ctx) =>
        (await import('#ops/commands/report')).reportAction(ctx, release, options),
      ),
    );
};
