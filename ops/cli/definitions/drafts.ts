import { type Command, InvalidArgumentError } from 'commander';
import type { DecideCommandOptions, EditCommandOptions, ShowCommandOptions } from '#ops/commands/drafts';
import { integerIn, jsonOption, versionId } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/drafts');

/** `json` or `yaml`. */
const editFormat = (value: string): 'json' | 'yaml' => {
  if (value === 'json' || value === 'yaml') return value;
  throw new InvalidArgumentError('expected json or yaml.');
};

const KEY_HELP = 'approval key (from drafts list) or draft key';

/** Defines `herald drafts list|show|approve|hold|edit`. */
export const defineDrafts = (program: Command, runtime: CommandRuntime): void => {
  const drafts = program
    .command('drafts')
    .description('drafts waiting for review (policy approval): list, read, approve, hold, edit')
    .addHelpText(
      'after',
      `
With a project's policy "approval", each release point's drafts are written ahead of the send time
and held for a decision. Approvers decide through the Approve/Hold links of their review email;
an operator can decide here too (recorded as via cli, by --by or $USER).`,
    );
  defineList(drafts, runtime);
  defineShow(drafts, runtime);
  for (const decision of ['approve', 'hold'] as const) defineDecide(drafts, runtime, decision);
  defineEdit(drafts, runtime);
};

/** `herald drafts list`. */
const defineList = (drafts: Command, runtime: CommandRuntime): void => {
  drafts
    .command('list')
    .description("every release point's approval record: state, revision, send time, last decision")
    .option('--pending', 'only the points still waiting for a decision')
    .option('--release <versionId>', 'only the points of this release', versionId)
    .addOption(jsonOption())
    .addHelpText('after', '\nExample:\n  herald drafts list --pending')
    .action((options: { pending?: boolean; release?: string; json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).listAction(ctx, options)),
    );
};

/** `herald drafts show`. */
const defineShow = (drafts: Command, runtime: CommandRuntime): void => {
  drafts
    .command('show')
    .description("a point's drafts (subject and plain text), or one draft")
    .argument('<key>', KEY_HELP)
    .option(
      '--html <file>',
      'also write the HTML part to this file (one file per draft: <file>.<locale>.<audience>.html)',
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nExample:\n  herald drafts show approval:10001:b1d0h0m0900@2026-03-08 --html review.html',
    )
    .action((key: string, options: ShowCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).showAction(ctx, key, options)),
    );
};

/** `herald drafts approve` and `herald drafts hold`. */
const defineDecide = (drafts: Command, runtime: CommandRuntime, decision: 'approve' | 'hold'): void => {
  drafts
    .command(decision)
    .description(
      decision === 'approve'
        ? "approve the point's current drafts: they go out at the send time"
        : "hold the point's current drafts: nothing is sent unless someone approves before the send time",
    )
    .argument('<key>', KEY_HELP)
    .option('--by <name>', 'who decides, recorded with the decision (default: $USER)')
    .option(
      '--revision <n>',
      'decide only if the point is still at this revision (as drafts show printed it)',
      integerIn(1, 1_000_000, 'revision'),
    )
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Acts on the revision the record holds now. A draft key (draft:…[#r<n>]) must be a draft of that
revision, and --revision must be it: otherwise nothing changes (exit 1) and the error names the
current revision, so nothing you did not read is decided. Deciding the same way twice changes
nothing (exit 0); exit 1 once the send time settled the point.

Example:
  herald drafts ${decision} approval:10001:b1d0h0m0900@2026-03-08 --revision 2 --by ana`,
    )
    .action((key: string, options: DecideCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).decideAction(ctx, decision, key, options)),
    );
};

/** `herald drafts edit`. */
const defineEdit = (drafts: Command, runtime: CommandRuntime): void => {
  drafts
    .command('edit')
    .description("edit one draft's content in $EDITOR: it becomes a new revision to approve")
    .argument('<draftKey>', 'draft key (from drafts show)')
    .option('--format <format>', 'json or yaml (default json)', editFormat)
    .option('--by <name>', 'who edits, recorded on the revision (default: $USER)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Opens $VISUAL/$EDITOR (default vi) on the draft's structured content: subject, preheader, intro,
sections (heading, items with issueKeys) and outro. The edit passes the same checks as the model's
(every cited key in the audience's scope, numbers and names backed by the cited issues, no links,
addresses or phone numbers, coverage); when it does, the point gets a new revision (source
edited, pending approval) and the approvers a new review email. When a check fails nothing is
stored and each failed check is named. Needs JIRA_SITE_URL and JIRA_EMAIL (the scope is read fresh).

Example:
  EDITOR=nano herald drafts edit draft:10001:b1d0h0m0900@2026-03-08:en --format yaml`,
    )
    .action((key: string, options: EditCommandOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).editAction(ctx, key, options)),
    );
};
