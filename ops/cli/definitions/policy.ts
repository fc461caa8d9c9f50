import { type Command, InvalidArgumentError } from 'commander';
import { approvalLeadMs } from '#contracts/approval';
import { parseDurationSpec } from '#contracts/sendPolicy';
import type { AudienceSetOptions, PolicySetOptions } from '#ops/commands/policy';
import { jsonOption, projectKey } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/policy');

/** A share 0..1 (`0.8`). */
const share = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.8.');
  }
  return n;
};

/** A lateness duration 5m..48h (`6h`, `90m`, `1h30m`). */
const lateness = (value: string): string => {
  try {
    parseDurationSpec(value);
  } catch {
    throw new InvalidArgumentError('expected a duration from 5m to 48h, e.g. 6h, 90m or 1h30m.');
  }
  return value.trim();
};

/** An approval lead 15m..14d (`24h`, `2d`, `90m`). */
const approvalLead = (value: string): string => {
  if (approvalLeadMs(value) === undefined) {
    throw new InvalidArgumentError('expected a lead from 15m to 14d, e.g. 24h, 2d or 90m.');
  }
  return value.trim();
};

/** `hold` or `send`. */
const timeoutAction = (value: string): 'hold' | 'send' => {
  if (value === 'hold' || value === 'send') return value;
  throw new InvalidArgumentError('expected hold or send.');
};

/** `now` or `skip`. */
const catchUpMode = (value: string): 'now' | 'skip' => {
  if (value === 'now' || value === 'skip') return value;
  throw new InvalidArgumentError('expected now or skip.');
};

/** Defines `herald policy show|set` and `herald policy audience set|remove`. */
export const definePolicy = (program: Command, runtime: CommandRuntime): void => {
  const policy = program
    .command('policy')
    .description("a project's send policy: when emails go out, what they may say and how they look");
  defineShow(policy, runtime);
  defineSet(policy, runtime);
  defineAudience(policy, runtime);
};

/** `herald policy show`. */
const defineShow = (policy: Command, runtime: CommandRuntime): void => {
  policy
    .command('show')
    .description("show a project's send policy (or the default it gets)")
    .argument('<project>', 'Jira project key', projectKey)
    .addOption(jsonOption())
    .action((project: string, options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).showAction(ctx, project, options)),
    );
};

/** The help text after `herald policy set`'s options: what each group of settings does, with examples. */
const SET_HELP = `
Points are relative to the release date, in each contact's time zone: -7d@09:00 is 7 days before
at 09:00, 0d@09:00 the release day at 09:00, -2h two hours before midnight of the release day.
Releases already scheduled keep their schedules until they change in Jira or are replayed
(\`herald replay <versionId>\`).

A draft must mention at least --min-coverage of the release's issues, or compose asks the model
once more naming the missing ones, then uses the template. --verify-grounding adds one model call
per draft that judges each item against the issues it cites and removes unsupported items.

The scope is validated with Jira (POST /rest/api/3/jql/parse) before it is stored: a scope Jira
rejects is refused with Jira's message and position (exit 2). Without a reachable Jira
(JIRA_SITE_URL, JIRA_EMAIL, JIRA_API_TOKEN) the scope is refused unless --force. The default scope:
  (level IS EMPTY) AND (labels IS EMPTY OR labels NOT IN (internal, no-release-notes))
(JQL's != and NOT IN never match an empty field, hence "labels IS EMPTY OR").

References: client emails show no issue keys and no links by default (clients rarely reach the
vendor's Jira). --references keys shows plain keys; --references links links each key through
--link-template (a customer portal or public changelog), never to Jira. The envelope sender
(SENDER_EMAIL) and the SES configuration set do not change with --from-name or --reply-to.
Drafts already composed keep the presentation they were composed with.

A point goes out at most --max-lateness after its time (a point due on the release day never after
that local day ends); later it is recorded missed and not sent. A point already due when the
release is planned (created or moved late) is sent at once with --catch-up now while within that
lateness, else recorded missed. Both show in \`herald status\`.

Review before send: with --approvers, each point's drafts are written --approval-lead before it is
due and emailed to every approver with Approve and Hold links; at the send time an approved draft
goes out, a held one does not, and with no decision --on-timeout decides. A release that changes
after the review gets a new review email and the send waits for it (see README "Review before send").

--notify names the release owners: after each point's emails in a time zone settle (all delivered,
bounced or complained, or 15 minutes after they went out), one summary email with the figures of
\`herald report\` and what needs a person (bounces, complaints, dead letters) goes to each of them,
once. An address that is a client contact of the project is refused.

Examples:
  herald policy set SHOP --points "-7d@09:00,-1d@09:00,0d@09:00" --tz Europe/Berlin
  herald policy set SHOP --min-coverage 0.9 --verify-grounding
  herald policy set SHOP --scope "issuetype in (Story, Bug) AND level IS EMPTY"
  herald policy set SHOP --release-note-field customfield_10123
  herald policy set SHOP --references links --link-template "https://status.example.com/changes/{key}"
  herald policy set SHOP --from-name "Shop updates" --reply-to accounts@example.com
  herald policy set SHOP --footer "Example Shop Ltd · 1 Main Street · Springfield"
  herald policy set SHOP --max-lateness 3h --catch-up skip
  herald policy set SHOP --approvers lead@example.com,pm@example.com --approval-lead 24h --on-timeout hold
  herald policy set SHOP --no-approval
  herald policy set SHOP --notify release-owner@example.com,support-lead@example.com`;

/** `herald policy set`. */
const defineSet = (policy: Command, runtime: CommandRuntime): void => {
  policy
    .command('set')
    .description("change a project's send policy (settings not named keep their value)")
    .argument('<project>', 'Jira project key', projectKey)
    .option('--points <specs>', 'send points, comma-separated: [-]<days>d[<hours>h][<minutes>m][@HH:mm]')
    .option('--tz <zone>', 'IANA time zone of contacts that have none, e.g. Europe/Berlin')
    .option('--locale <locale>', 'language of contacts that have none, e.g. de')
    .option('--on-release', 'also send when the version is marked released')
    .option('--no-on-release', 'do not send when the version is marked released')
    .option(
      '--min-coverage <share>',
      'least share of issues a draft must mention, 0..1 (default 0.8 up to 30 issues)',
      share,
    )
    .option('--verify-grounding', 'check each item of a model-written draft with a second model call')
    .option('--no-verify-grounding', 'no second model call (the deterministic checks still run)')
    .option(
      '--scope <jql>',
      'JQL condition ANDed with fixVersion: the issues emails may mention ("default" resets)',
    )
    .option(
      '--release-note-field <id>',
      'custom field with the customer-facing release note, e.g. customfield_10123',
    )
    .option('--no-release-note-field', 'stop reading a release-note field')
    .option('--force', 'store a scope unchecked when Jira cannot be reached to validate it')
    .option('--references <mode>', 'what client emails show of issue keys: none (default), keys or links')
    .option(
      '--link-template <url>',
      'link of each key with --references links: https, with {key}; "" removes it',
    )
    .option('--from-name <name>', 'From display name; "" for the default (<project name> releases)')
    .option('--reply-to <address>', 'Reply-To address of the emails; "" removes it')
    .option('--footer <line>', 'last footer line, e.g. company name and postal address; "" removes it')
    .option(
      '--max-lateness <duration>',
      'how late a point may still go out, 5m..48h (default 6h; a release-day point never after that day)',
      lateness,
    )
    .option(
      '--catch-up <mode>',
      'a point already due when planned: now (send now) or skip (default now)',
      catchUpMode,
    )
    .option('--approvers <emails>', 'review before send: who approves each point, comma-separated')
    .option(
      '--approval-lead <duration>',
      'how long before each point the review email goes out, 15m..14d (default 24h)',
      approvalLead,
    )
    .option('--on-timeout <action>', 'no decision by the send time: hold (default) or send', timeoutAction)
    .option('--approval', 'turn review before send on (needs --approvers unless stored)')
    .option('--no-approval', 'turn review before send off: emails go out unreviewed')
    .option(
      '--notify <emails>',
      'owners\' summary after each point, comma-separated addresses (never a client of the project); "" removes them',
    )
    .addOption(jsonOption())
    .addHelpText('after', SET_HELP)
    .action((project: string, options: PolicySetOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).setAction(ctx, project, options)),
    );
};

/** `herald policy audience set|remove`. */
const defineAudience = (policy: Command, runtime: CommandRuntime): void => {
  const audience = policy
    .command('audience')
    .description('audiences of a project: who hears about which issues, and how the writer addresses them');

  audience
    .command('set')
    .description('add or replace an audience (its scope is ANDed with the project scope)')
    .argument('<project>', 'Jira project key', projectKey)
    .argument('<name>', 'audience name: 1-32 characters of a-z, 0-9, - and _')
    .option('--scope <jql>', 'extra JQL condition for this audience (default: the project scope alone)')
    .option(
      '--instructions <text>',
      'up to 500 characters for the writer: tone, what this audience cares about',
    )
    .option('--force', 'store a scope unchecked when Jira cannot be reached to validate it')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Contacts name their audience (herald contacts add --audience, or the CSV's audience column); a
contact without one, or with one the policy does not define, gets the emails of "all".
Instructions are the sending team's own words (trusted), never Jira data.

Example:
  herald policy audience set SHOP developers --scope "component = API" --instructions "Technical readers; name the endpoints."`,
    )
    .action((project: string, name: string, options: AudienceSetOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).audienceSetAction(ctx, project, name, options)),
    );

  audience
    .command('remove')
    .description('remove an audience; its contacts then get the emails of all')
    .argument('<project>', 'Jira project key', projectKey)
    .argument('<name>', 'audience name')
    .addOption(jsonOption())
    .action((project: string, name: string, options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) =>
        (await actions()).audienceRemoveAction(ctx, project, name, options),
      ),
    );
};
