import { type App, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { topology } from '#topology/topology';
import { readAppContext, stackNameOf } from './appContext.ts';
import { HeraldStack, type HeraldStackProps } from './HeraldStack.ts';

/** Code every function gets with `-c placeholderCode=true`: synthesis without `npm run build`. */
export const PLACEHOLDER_CODE =
  'export const handler = async () => { throw new Error("placeholder code: deploy the npm run build bundle"); };';

/**
 * Adds release-herald to `app` from its context (infra/appContext.ts): one {@link HeraldStack}
 * per region of `regions`, the first the primary that owns tables and secrets, each further one
 * a standby deployed after it; and cdk-nag's AwsSolutions checks, so synthesis fails on any
 * finding that is not acknowledged with a reason.
 * @returns the stacks, primary first.
 */
export const buildApp = (app: App): HeraldStack[] => {
  const context = readAppContext((key) => app.node.tryGetContext(key));
  const [primaryRegion, ...standbyRegions] = context.regions as [string, ...string[]];
  const account = context.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const stackName = stackNameOf(topology.prefix, context.envName);

  const shared: Omit<HeraldStackProps, 'env' | 'replication'> = {
    stackName,
    description: `release-herald${context.envName ? ` (${context.envName})` : ''}: Jira releases to client emails`,
    envName: context.envName,
    senderEmail: context.senderEmail,
    sesIdentity: context.sesIdentity,
    jiraSiteUrl: context.jiraSiteUrl,
    jiraEmail: context.jiraEmail,
    jiraMaxIssues: context.jiraMaxIssues,
    jiraTimeoutMs: context.jiraTimeoutMs,
    openaiModel: context.openaiModel,
    sesMaxSendRate: context.sesMaxSendRate,
    logLevel: context.logLevel,
    alarmEmail: context.alarmEmail,
    retainData: context.retainData,
    tracing: context.tracing,
    adotLayerArn: context.adotLayerArn,
    code: context.placeholderCode ? () => lambda.Code.fromInline(PLACEHOLDER_CODE) : undefined,
  };

  const primary = new HeraldStack(app, `${stackName}-${primaryRegion}`, {
    ...shared,
    env: { account, region: primaryRegion },
    replication: { role: 'primary', standbyRegions },
    homeRegion: primaryRegion,
    peerRegions: standbyRegions,
  });
  const stacks = [primary];
  for (const region of standbyRegions) {
    const standby = new HeraldStack(app, `${stackName}-${region}`, {
      ...shared,
      env: { account, region },
      replication: { role: 'standby' },
      homeRegion: primaryRegion,
      peerRegions: context.regions.filter((r) => r !== region),
    });
    // The standby uses the primary's table and secret replicas: deploy the primary first.
    standby.addStackDependency(primary);
    stacks.push(standby);
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stacks;
};
