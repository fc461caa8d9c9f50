import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import type { ActivateOptions } from '#ops/commands/region';
import { awsRegion } from '#contracts/activeRegion';
import { DEFAULT_DRAIN_SECONDS } from '#ops/region/defaultDrain';
import { HANDOVER_GUARD_SECONDS, REPLICATION_ALLOWANCE_SECONDS } from '#shared/regionRole';
import { integerIn, jsonOption } from '../parsers.ts';
import type { CommandRuntime } from '../program.ts';

const actions = () => import('#ops/commands/region');

/** Parses an AWS region name, for commander. */
const regionName = (value: string): string => {
  const parsed = awsRegion.safeParse(value.trim());
  if (!parsed.success) throw new InvalidArgumentError('expected an AWS region such as eu-west-1.');
  return parsed.data;
};

/** Defines `herald region show|activate`. */
export const defineRegion = (program: Command, runtime: CommandRuntime): void => {
  const region = program
    .command('region')
    .description('multi-region: which region composes and sends (active/passive switch)');

  region
    .command('show')
    .description('show the active region as the --region replica of the ledger records it')
    .addOption(jsonOption())
    .action((options: { json?: boolean }, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).showAction(ctx, options)),
    );

  region
    .command('activate')
    .description('make one region compose and send, after a drain; every other region becomes passive')
    .addArgument(new Argument('<region>', 'the region to activate').argParser(regionName))
    .addOption(
      new Option(
        '--drain <seconds>',
        `seconds until it starts (the previous region stops ${HANDOVER_GUARD_SECONDS} s before)`,
      )
        .argParser(integerIn(0, 86_400, 'seconds'))
        .default(DEFAULT_DRAIN_SECONDS),
    )
    .option(
      '--force',
      `allow a drain under ${HANDOVER_GUARD_SECONDS} s or a switch while one is in progress (previous region down)`,
    )
    .option('-y, --yes', 'do not ask (needed when stdin is not a terminal)')
    .addOption(jsonOption())
    .addHelpText(
      'after',
      `
Run it against the region being activated (--region), so the switch is written there even
when the other region is down. Compose and send read the record before every claim:
- the new region waits (its records are retried) until the drain ends;
- the previous one finishes its queued work until ${HANDOVER_GUARD_SECONDS} s before that (the send
  timeout plus a ${REPLICATION_ALLOWANCE_SECONDS} s replication allowance), then is passive;
- in a passive region a compose job is a logged no-op (compose_skipped_region_passive) and a
  send job goes to the send DLQ with reason region_passive (redrive it after a failback).
Then point the Jira webhook at the new region and re-plan upcoming releases there
(herald replay <versionId> --region <region>). docs/DEPLOY.md, "A second region", has the
failover and failback steps and the failure cases.

Exit 2 for a drain under ${HANDOVER_GUARD_SECONDS} s or a switch in progress without --force; 1 when another switch
was recorded meanwhile or the prompt was declined.

Example:
  herald region activate us-west-2 --region us-west-2 --env prod --yes`,
    )
    .action((name: string, options: ActivateOptions, command: Command) =>
      runtime.run(command, async (ctx) => (await actions()).activateAction(ctx, name, options)),
    );
};
