import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { loadConfig } from '#shared/config';
import { REPLICATION_ALLOWANCE_SECONDS } from '#shared/regionRole';
import {
  queueName,
  type RetryProfile,
  rescheduleRedriveMaxReceiveCount,
  resourceName,
  STAGES,
  type StageName,
  topology,
} from '#topology/topology';
import { Alarms } from './constructs/Alarms.ts';
import { Dashboard } from './constructs/Dashboard.ts';
import { DataStores } from './constructs/DataStores.ts';
import { HeraldFunction } from './constructs/HeraldFunction.ts';
import { JiraIngress } from './constructs/JiraIngress.ts';
import { MailFeedback } from './constructs/MailFeedback.ts';
import { ReplicationAlarms } from './constructs/ReplicationAlarms.ts';
import { SchedulerWiring } from './constructs/SchedulerWiring.ts';
import { StageFunction } from './constructs/StageFunction.ts';
import { StageQueues } from './constructs/StageQueues.ts';
import type { FunctionName } from './functionNames.ts';
import { actions, leadingKeysLike, webhookLedgerKeys } from './permissions.ts';
import { assertRequestTimeoutFits } from './requestTimeouts.ts';
import { type SendConcurrency, sendConcurrency } from './sendConcurrency.ts';
import { infraSettings } from './settings.ts';
import { adotLayerArn } from './tracing.ts';

/**
 * Whether SQS keeps ApproximateReceiveCount when it redrives `<stage>` to `<stage>-reschedule`.
 * AWS does not document it (moto keeps it; LocalStack changed its emulation to what it believes
 * AWS does). Assuming it does is the safe side: the reschedule queue's redrive then allows the
 * stage's receives plus the rescheduler's, so the rescheduler gets at least its
 * `topology.rescheduleQueue.maxReceiveCount` attempts whichever way AWS counts (twice as many if
 * the count restarts). Assuming it does not would, if it does, pass a message on to the DLQ at
 * its first receive on the reschedule queue.
 */
const RECEIVE_COUNT_CARRIES_OVER = true;

/**
 * HERALD_RETRY_PROFILE of every function that reads it. Set explicitly rather than left to the
 * config's default, so that no change of that default can put AWS on the `fast` test ladder.
 */
const RETRY_PROFILE: RetryProfile = 'standard';

/** How this stack takes part in a multi-region deployment. */
export type Replication =
  /** Owns the tables and secrets and replicates them to `standbyRegions` (may be empty). */
  | { readonly role: 'primary'; readonly standbyRegions: readonly string[] }
  /** Uses the local replicas of the tables and secrets another region's primary stack owns. */
  | { readonly role: 'standby' };

/** Options of {@link HeraldStack}. */
export interface HeraldStackProps extends StackProps {
  /** Environment name in every resource name (`herald-<env>-…`); empty for none. */
  readonly envName: string;
  /** From address of every email; an SES verified identity (the address or its domain). */
  readonly senderEmail: string;
  /**
   * SES identity the send function may send as. Default the sender's domain; the sender address
   * itself is always allowed too (whichever of the two is verified).
   */
  readonly sesIdentity?: string;
  /** Jira Cloud site, e.g. https://acme.atlassian.net. */
  readonly jiraSiteUrl: string;
  /** Jira account the API token belongs to. */
  readonly jiraEmail: string;
  /** JIRA_MAX_ISSUES. Default the config's (500). */
  readonly jiraMaxIssues?: number;
  /**
   * JIRA_TIMEOUT_MS of enrich and compose, milliseconds. Default the config's (20,000). Must be
   * at most half of each function's timeout (synthesis fails otherwise).
   */
  readonly jiraTimeoutMs?: number;
  /** OPENAI_MODEL. Default the config's. */
  readonly openaiModel?: string;
  /** LOG_LEVEL of every function. Default the config's (info). */
  readonly logLevel?: string;
  /**
   * The SES account's send rate, emails per second: sets the send stage's concurrency, batch size
   * and per-process pacing (SES_SEND_RATE_PER_SECOND). Default `topology.ses.maxSendRatePerSecond`.
   */
  readonly sesMaxSendRate?: number;
  /** SEND_LEASE_SECONDS. Default the config's (120). */
  readonly sendLeaseSeconds?: number;
  /** Email address subscribed to the alarm topic at deploy time. Default none (subscribe by hand). */
  readonly alarmEmail?: string;
  /** Keep tables and secrets on stack deletion and protect tables from deletion. Default true. */
  readonly retainData?: boolean;
  /** Multi-region role. Default a primary with no standby region. */
  readonly replication?: Replication;
  /**
   * The deployment's primary region (HERALD_HOME_REGION of compose and send): the region that
   * composes and sends until `herald region activate` records a switch. Default this stack's region.
   */
  readonly homeRegion?: string;
  /**
   * The deployment's other regions: one ledger replication-latency alarm each. Default none.
   */
  readonly peerRegions?: readonly string[];
  /** Code of each function. Default the esbuild bundle `dist/<name>` (run `npm run build` first). */
  readonly code?: (name: FunctionName) => lambda.Code;
  /**
   * Send every function's spans to X-Ray through the ADOT layer with active tracing
   * (infra/tracing.ts). Default true.
   */
  readonly tracing?: boolean;
  /** ARN of the ADOT JavaScript layer. Default `adotLayerArn(<this stack's region>)`. */
  readonly adotLayerArn?: string;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The default code of a function: its bundle from `npm run build` (`dist/<name>/index.mjs`). */
export const bundledCode = (name: FunctionName): lambda.Code => {
  const dir = join(repoRoot, 'dist', name);
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new Error(
      `${dir}/index.mjs is missing: run npm run build (or synthesise with -c placeholderCode=true)`,
    );
  }
  return lambda.Code.fromAsset(dir);
};

/**
 * release-herald on AWS, built from pipeline/topology/topology.ts: per stage a queue trio and a
 * function; the webhook entry, bus and rule; the rescheduler; the Scheduler group and role;
 * tables and empty secrets; the SES configuration set publishing its events to the feedback function; alarms.
 * Every function has its own role with exact-ARN statements (see {@link HeraldStack.grantAccess}).
 */
export class HeraldStack extends Stack {
  /** Queue trio per stage. */
  readonly queues: Record<StageName, StageQueues>;
  /** Every function by name. */
  readonly functions: Record<FunctionName, HeraldFunction>;
  readonly data: DataStores;
  readonly scheduling: SchedulerWiring;
  readonly ingress: JiraIngress;
  readonly mail: MailFeedback;
  readonly alarms: Alarms;
  /** The CloudWatch dashboard: stage metrics, DLQ depths, oldest message ages. */
  readonly dashboard: Dashboard;
  /** Concurrency, batch size and per-process rate of the send stage (SES rate bound). */
  readonly sendPacing: SendConcurrency;

  constructor(scope: Construct, id: string, props: HeraldStackProps) {
    super(scope, id, props);
    const env = props.envName;
    const code = props.code ?? bundledCode;
    const replication = props.replication ?? { role: 'primary', standbyRegions: [] };
    const logRetentionDays = infraSettings.logRetentionDays;

    this.data = new DataStores(this, 'Data', {
      envName: env,
      mode: replication.role === 'primary' ? 'owner' : 'replica',
      replicaRegions: replication.role === 'primary' ? replication.standbyRegions : [],
      retainData: props.retainData ?? true,
    });

    this.queues = Object.fromEntries(
      STAGES.map((name) => [
        name,
        new StageQueues(this, `Queues-${name}`, {
          stage: topology.stages[name],
          envName: env,
          rescheduleVisibilitySeconds: topology.rescheduleQueue.visibilityTimeoutSeconds,
          rescheduleMaxReceiveCount: rescheduleRedriveMaxReceiveCount(name, {
            receiveCountCarriesOver: RECEIVE_COUNT_CARRIES_OVER,
          }),
        }),
      ]),
    ) as Record<StageName, StageQueues>;

    this.scheduling = new SchedulerWiring(this, 'Scheduler', {
      groupName: resourceName(topology.scheduleGroup, env),
      // Send points target compose; long reschedules target the main queue of any stage.
      targetQueues: STAGES.map((s) => this.queues[s].main),
      // Send points dead-letter to compose's DLQ; a long reschedule to its own stage's DLQ.
      deadLetterQueues: STAGES.map((s) => this.queues[s].dlq),
    });

    // Each function gets only the variables it reads (pipeline/shared/config.ts); unset ones
    // fall back to the config's defaults.
    const common: Record<string, string> = {
      ...(env ? { HERALD_ENV: env } : {}),
      ...(props.logLevel ? { LOG_LEVEL: props.logLevel } : {}),
    };
    const retryProfile = { HERALD_RETRY_PROFILE: RETRY_PROFILE };
    const jira = {
      JIRA_SITE_URL: props.jiraSiteUrl,
      JIRA_EMAIL: props.jiraEmail,
      ...(props.jiraTimeoutMs !== undefined ? { JIRA_TIMEOUT_MS: String(props.jiraTimeoutMs) } : {}),
    };
    this.checkRequestTimeouts(props.jiraTimeoutMs);
    const schedulerRole = { SCHEDULER_ROLE_ARN: this.scheduling.role.roleArn };
    const configurationSetName = resourceName(topology.ses.configurationSet, env);

    this.ingress = new JiraIngress(this, 'Ingress', {
      busName: resourceName(topology.bus, env),
      rule: {
        name: resourceName(topology.rule.name, env),
        source: topology.rule.source,
        detailTypePrefix: topology.rule.detailTypePrefix,
      },
      ruleDlqName: resourceName(topology.rule.deadLetterQueue, env),
      targetRetry: topology.ruleTargetRetry,
      ingestQueue: this.queues.ingest.main,
      webhook: {
        functionName: resourceName('webhook', env),
        description: 'release-herald: Jira webhook (HMAC) and one-click unsubscribe',
        code: code('webhook'),
        settings: topology.webhook.fn,
        environment: common,
        logRetentionDays,
      },
    });
    // The function URL ends in '/'; the webhook function serves unsubscribe links under it.
    const unsubscribeBaseUrl = Fn.join('', [this.ingress.url.url, 'unsubscribe']);
    // The Approve/Hold links of review emails (policy approval) land on the same function URL.
    const reviewBaseUrl = Fn.join('', [this.ingress.url.url, 'review']);

    this.mail = new MailFeedback(this, 'Mail', {
      configurationSetName,
      ruleName: resourceName(topology.feedback.rule, env),
      dlqName: resourceName(topology.feedback.deadLetterQueue, env),
      targetRetry: topology.ruleTargetRetry,
      functionRetryAttempts: infraSettings.feedbackRetryAttempts,
      feedback: {
        functionName: resourceName('feedback', env),
        description: 'release-herald: opts contacts out on SES bounces and complaints',
        code: code('feedback'),
        settings: topology.feedback.fn,
        environment: common,
        logRetentionDays,
      },
    });

    const send = topology.stages.send;
    this.sendPacing = sendConcurrency({
      maxSendRatePerSecond: props.sesMaxSendRate ?? topology.ses.maxSendRatePerSecond,
      stageMaxConcurrency: send.fn.maxConcurrency,
      batchSize: send.batchSize,
      timeoutSeconds: send.fn.timeoutSeconds,
    });
    // Compose and send claim, so they run in the active region only (#shared/regionGate).
    const homeRegion = { HERALD_HOME_REGION: props.homeRegion ?? this.region };
    const stageEnvironment: Record<StageName, Record<string, string>> = {
      ingest: { ...common, ...retryProfile },
      enrich: { ...common, ...retryProfile, ...jira },
      schedule: { ...common, ...retryProfile, ...schedulerRole },
      compose: {
        ...common,
        ...retryProfile,
        ...jira,
        ...(props.jiraMaxIssues !== undefined ? { JIRA_MAX_ISSUES: String(props.jiraMaxIssues) } : {}),
        ...(props.openaiModel ? { OPENAI_MODEL: props.openaiModel } : {}),
        REVIEW_BASE_URL: reviewBaseUrl,
        ...homeRegion,
      },
      send: {
        ...common,
        ...retryProfile,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: configurationSetName,
        UNSUBSCRIBE_BASE_URL: unsubscribeBaseUrl,
        SES_SEND_RATE_PER_SECOND: String(this.sendPacing.perInstanceRatePerSecond),
        ...(props.sendLeaseSeconds !== undefined
          ? { SEND_LEASE_SECONDS: String(props.sendLeaseSeconds) }
          : {}),
        ...homeRegion,
      },
    };
    const stageFunctions = Object.fromEntries(
      STAGES.map((name) => {
        const stageFunction = new StageFunction(this, `Stage-${name}`, {
          stage: topology.stages[name],
          queues: this.queues[name],
          functionName: resourceName(name, env),
          description: `release-herald: ${name} stage`,
          code: code(name),
          environment: stageEnvironment[name],
          logRetentionDays,
          ...(name === 'send'
            ? { maxConcurrency: this.sendPacing.maxConcurrency, batchSize: this.sendPacing.batchSize }
            : {}),
        });
        return [name, stageFunction.handler];
      }),
    ) as Record<StageName, HeraldFunction>;

    const rescheduler = new HeraldFunction(this, 'Rescheduler', {
      functionName: resourceName('rescheduler', env),
      description: 'release-herald: puts rescheduled messages back on their stage queue',
      code: code('rescheduler'),
      settings: topology.rescheduler.fn,
      environment: { ...common, ...retryProfile, ...schedulerRole },
      logRetentionDays,
    });
    for (const stage of STAGES) {
      rescheduler.fn.addEventSource(
        new SqsEventSource(this.queues[stage].reschedule, {
          batchSize: topology.rescheduler.batchSize,
          reportBatchItemFailures: true,
          maxConcurrency: topology.rescheduler.fn.maxConcurrency,
        }),
      );
    }

    this.functions = {
      webhook: this.ingress.webhook,
      ...stageFunctions,
      rescheduler,
      feedback: this.mail.feedback,
    };
    this.grantAccess(props.senderEmail, props.sesIdentity, configurationSetName);
    if (props.tracing ?? true) {
      const layer = lambda.LayerVersion.fromLayerVersionArn(
        this,
        'AdotLayer',
        props.adotLayerArn ?? adotLayerArn(this.region),
      );
      for (const fn of Object.values(this.functions)) fn.enableTracing(layer);
    }

    this.alarms = new Alarms(this, 'Alarms', {
      topicName: resourceName(topology.alarmTopic, env),
      deadLetterQueues: [
        ...STAGES.map((s) => ({ name: queueName(s, 'dlq', env), queue: this.queues[s].dlq })),
        { name: resourceName(topology.rule.deadLetterQueue, env), queue: this.ingress.ruleDlq },
        { name: resourceName(topology.feedback.deadLetterQueue, env), queue: this.mail.dlq },
      ],
      mainQueues: STAGES.map((s) => ({
        name: queueName(s, 'main', env),
        queue: this.queues[s].main,
        alarms: topology.stages[s].alarms,
      })),
      periodSeconds: infraSettings.alarmPeriodSeconds,
      email: props.alarmEmail,
    });

    const watched = (kind: 'main' | 'reschedule' | 'dlq') =>
      STAGES.map((s) => ({ name: queueName(s, kind, env), queue: this.queues[s][kind] }));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      // Dashboards are global to the account: one per region of a multi-region deployment.
      dashboardName: `${resourceName(infraSettings.dashboardName, env)}-${this.region}`,
      envName: env,
      stages: STAGES,
      mainQueues: watched('main'),
      rescheduleQueues: watched('reschedule'),
      deadLetterQueues: [
        ...watched('dlq'),
        { name: resourceName(topology.rule.deadLetterQueue, env), queue: this.ingress.ruleDlq },
        { name: resourceName(topology.feedback.deadLetterQueue, env), queue: this.mail.dlq },
      ],
      periodSeconds: infraSettings.alarmPeriodSeconds,
    });

    new ReplicationAlarms(this, 'Replication', {
      tableName: this.data.ledger.name,
      receivingRegions: props.peerRegions ?? [],
      thresholdMs: REPLICATION_ALLOWANCE_SECONDS * 1000,
      periodSeconds: infraSettings.alarmPeriodSeconds,
      topic: this.alarms.topic,
    });

    this.acknowledgeFindings(props.tracing ?? true);

    new CfnOutput(this, 'JiraWebhookUrl', {
      value: Fn.join('', [this.ingress.url.url, 'webhook']),
      description: 'URL to register as the Jira webhook (its secret: the webhook-secret value)',
    });
    new CfnOutput(this, 'UnsubscribeBaseUrl', { value: unsubscribeBaseUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'SchedulerRoleArn', { value: this.scheduling.role.roleArn });
    new CfnOutput(this, 'ConfigurationSetName', { value: configurationSetName });
    for (const [key, secret] of Object.entries(this.data.secrets)) {
      new CfnOutput(this, `SecretName${key}`, { value: secret.name, description: `Secret to put (${key})` });
    }
  }

  /**
   * Least privilege, function by function. Receive/delete/ChangeMessageVisibility on consumed
   * queues come with the event sources; sends to a stage's own reschedule queue and DLQ come
   * with {@link StageFunction}; PutEvents on the bus with {@link JiraIngress}. Everything here is
   * an exact ARN except the two Scheduler grants acknowledged in {@link acknowledgeFindings}.
   */
  private grantAccess(
    senderEmail: string,
    sesIdentity: string | undefined,
    configurationSetName: string,
  ): void {
    const { directory, ledger, secrets } = this.data;
    const q = this.queues;
    const f = this.functions;

    // Least privilege against the handlers as they are: webhook opts out (PutItem) and decides
    // review links (below), feedback opts out and records SES events (UpdateItem); enrich reads a
    // project; compose reads the policy and keeps drafts; send checks opt-outs and keeps its rows
    // (infra/permissions.ts names the adapter methods behind each list).
    f.webhook.allow(actions.secretRead, [secrets.webhookSecret.arn, secrets.signingKeys.arn]);
    f.webhook.allow(actions.directoryOptOut, [directory.arn]);
    // The approval pages (policy approval) open Approve/Hold links with the review keys and
    // record the decision on the point's approval record.
    f.webhook.allow(actions.secretRead, [secrets.reviewSigningKeys.arn]);
    // Public endpoint: only approval rows and drafts, by partition-key prefix (LeadingKeys).
    f.webhook.allow(actions.ledgerApprovalReads, [ledger.arn], leadingKeysLike(webhookLedgerKeys.read));
    f.webhook.allow(
      actions.ledgerApprovals.filter((a) => !(actions.ledgerApprovalReads as readonly string[]).includes(a)),
      [ledger.arn],
      leadingKeysLike(webhookLedgerKeys.write),
    );
    // ... and check that the approver is still in the project's policy.
    f.webhook.allow(actions.directoryPolicyRead, [directory.arn]);

    q.enrich.main.grantSendMessages(f.ingest.role);

    f.enrich.allow(actions.secretRead, [secrets.jiraApiToken.arn]);
    f.enrich.allow(actions.directoryRead, [directory.arn]);
    q.schedule.main.grantSendMessages(f.enrich.role);

    this.scheduling.grantScheduling(f.schedule, topology.schedulePrefix, actions.schedulesManage);
    f.schedule.allow(actions.schedulesList, ['*']);
    // Its schedules target compose and dead-letter to compose's DLQ: it resolves both ARNs.
    f.schedule.allow(actions.queueLookup, [q.compose.main.queueArn, q.compose.dlq.queueArn]);
    // Snapshots of a release are ordered by its watermark in the ledger; a point already due goes
    // straight to compose, and a snapshot overtaken by a newer one asks enrich for a re-plan.
    f.schedule.allow(actions.ledgerReleaseWatermark, [ledger.arn]);
    q.compose.main.grantSendMessages(f.schedule.role);
    q.enrich.main.grantSendMessages(f.schedule.role);

    f.compose.allow(actions.secretRead, [secrets.jiraApiToken.arn, secrets.openaiApiKey.arn]);
    f.compose.allow(actions.ledgerDrafts, [ledger.arn]);
    // The project's policy: its scope and audiences decide which issues each email may mention;
    // minCoverage and verifyGrounding what a draft must pass; references and sender identity how it looks.
    f.compose.allow(actions.directoryPolicyRead, [directory.arn]);
    q.send.main.grantSendMessages(f.compose.role);
    // Review emails' links are sealed with the review keys; a send waiting for an approver's
    // decision puts its job back on its own queue with a delay.
    f.compose.allow(actions.secretRead, [secrets.reviewSigningKeys.arn]);
    q.compose.main.grantSendMessages(f.compose.role);
    // A release whose date moved under a due point asks enrich to re-plan it.
    q.enrich.main.grantSendMessages(f.compose.role);

    const domain = senderEmail.slice(senderEmail.lastIndexOf('@') + 1);
    const identities = [...new Set([sesIdentity ?? domain, senderEmail])];
    f.send.allow(actions.sesSend, [
      ...identities.map((identity) =>
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      ),
      this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName }),
    ]);
    f.send.allow(actions.ledgerSends, [ledger.arn]);
    // The owners' summary of a point (a point.summary on the send queue): it reads the point's
    // report and, while the point is not settled, puts itself back on the queue, delayed.
    f.send.allow(actions.ledgerReport, [ledger.arn]);
    q.send.main.grantSendMessages(f.send.role);
    f.send.allow(actions.directoryOptOutCheck, [directory.arn]);
    // Send signs unsubscribe links with the signing keys only: it cannot forge a Jira webhook.
    f.send.allow(actions.secretRead, [secrets.signingKeys.arn]);

    // grantSendMessages includes GetQueueUrl and GetQueueAttributes: the rescheduler resolves a
    // main queue's ARN as the target of a long reschedule.
    for (const stage of STAGES) {
      q[stage].main.grantSendMessages(f.rescheduler.role);
      q[stage].dlq.grantSendMessages(f.rescheduler.role);
    }
    this.scheduling.grantScheduling(f.rescheduler, topology.reschedulePrefix, actions.schedulesCreate);

    f.feedback.allow(actions.directoryOptOut, [directory.arn]);
    f.feedback.allow(actions.ledgerSesEvents, [ledger.arn]);
  }

  /**
   * Refuses request timeouts that do not fit their function (see {@link assertRequestTimeoutFits}):
   * Jira's in enrich and compose, OpenAI's in compose. Unset ones are the config's defaults.
   */
  private checkRequestTimeouts(jiraTimeoutMs: number | undefined): void {
    const defaults = loadConfig({});
    const jira = jiraTimeoutMs ?? defaults.JIRA_TIMEOUT_MS;
    for (const name of ['enrich', 'compose'] as const) {
      assertRequestTimeoutFits({
        functionName: name,
        variable: 'JIRA_TIMEOUT_MS',
        requestTimeoutMs: jira,
        functionTimeoutSeconds: topology.stages[name].fn.timeoutSeconds,
      });
    }
    assertRequestTimeoutFits({
      functionName: 'compose',
      variable: 'OPENAI_TIMEOUT_MS',
      requestTimeoutMs: defaults.OPENAI_TIMEOUT_MS,
      functionTimeoutSeconds: topology.stages.compose.fn.timeoutSeconds,
    });
  }

  /**
   * The cdk-nag AwsSolutions findings this design accepts, each on the narrowest construct and,
   * for IAM wildcards, for the one resource pattern only (so any new wildcard still fails).
   */
  private acknowledgeFindings(tracing: boolean): void {
    const f = this.functions;
    const wildcard = (handler: HeraldFunction, resource: string, reason: string) =>
      Validations.of(handler.role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
    if (tracing) {
      for (const handler of Object.values(f)) {
        wildcard(
          handler,
          '*',
          'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing: the ADOT layer exports spans through ' +
            'the X-Ray daemon) have no resource type in IAM (they only accept "*"); the statement allows those two actions.',
        );
      }
    }
    wildcard(
      f.schedule,
      this.nagArn(this.scheduling.scheduleArn(topology.schedulePrefix)),
      'Send-point schedule names are made at run time (release, point, zone, chunk); the grant is limited ' +
        `to the ${this.scheduling.groupName} group and the "${topology.schedulePrefix}" name prefix.`,
    );
    wildcard(
      f.schedule,
      '*',
      'scheduler:ListSchedules has no resource type in IAM (it only accepts "*"); the statement allows that one action.',
    );
    wildcard(
      f.rescheduler,
      this.nagArn(this.scheduling.scheduleArn(topology.reschedulePrefix)),
      'Long-reschedule schedule names are made at run time; the grant is limited to create/update in the ' +
        `${this.scheduling.groupName} group under the "${topology.reschedulePrefix}" name prefix.`,
    );
    for (const secret of this.node.findAll().filter((c) => c instanceof secretsmanager.CfnSecret)) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Third-party credentials (Jira API token, OpenAI key) and the Jira webhook secret are issued outside ' +
          'AWS and cannot be rotated by a Secrets Manager rotation function; the signing keys rotate by list ' +
          '(new key first, old keys kept while their links must work), which a rotation function cannot ' +
          'time; docs/DEPLOY.md gives each manual rotation.',
      });
    }
    Validations.of(this.ingress.ruleDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a DLQ: the dead-letter target of the EventBridge rule feeding the ingest queue ' +
        '(cdk-nag only recognises DLQs named in queue redrive policies or Lambda DeadLetterConfig).',
    });
  }

  /** An ARN as cdk-nag prints it in a finding id (pseudo parameters as `<AWS::Name>`). */
  private nagArn(arn: string): string {
    const resolved: unknown = this.resolve(arn);
    if (typeof resolved === 'string') return resolved;
    const parts = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return parts.map((p) => (typeof p === 'string' ? p : `<${(p as { Ref: string }).Ref}>`)).join('');
  }
}
