import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '#shared/config';
import {
  DLQ_RETENTION_SECONDS,
  queueName,
  rescheduleRedriveMaxReceiveCount,
  resourceName,
  STAGES,
  type StageName,
  topology,
} from '#topology/topology';
import { FUNCTION_NAMES, type FunctionName } from '../../infra/functionNames.ts';
import type { HeraldStack } from '../../infra/HeraldStack.ts';
import { sendConcurrency } from '../../infra/sendConcurrency.ts';
import { infraSettings } from '../../infra/settings.ts';
import { TRACING_ENVIRONMENT, XRAY_WRITE_ACTIONS } from '../../infra/tracing.ts';
import {
  countByType,
  flatten,
  resourcesOf,
  SYNTH_TIMEOUT_MS,
  type SynthesisedApp,
  synthApp,
  TEST_ACCOUNT,
} from './synthApp.ts';

const ENV = 'prod';
const REGION = 'eu-west-1';

type Resource = { Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

let synthesised: SynthesisedApp;
let stack: HeraldStack;
let template: Template;

/** Logical id of the resource of `type` whose `property` is `value`. */
const logicalId = (type: string, property: string, value: string): string => {
  const ids = Object.entries(resourcesOf(template, type))
    .filter(([, r]) => r.Properties[property] === value)
    .map(([id]) => id);
  expect(ids, `${type} with ${property}=${value}`).toHaveLength(1);
  return ids[0] as string;
};
const queueId = (name: string) => logicalId('AWS::SQS::Queue', 'QueueName', name);
const functionId = (name: FunctionName) =>
  logicalId('AWS::Lambda::Function', 'FunctionName', resourceName(name, ENV));
const queueArn = (name: string) => ({ 'Fn::GetAtt': [queueId(name), 'Arn'] });

/** Every allow statement of the policies attached to the role of function `name`. */
const statementsOf = (name: FunctionName): Statement[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId(name)] as Resource;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
/** Flattened resources a function's role may use `action` on. */
const resourcesAllowed = (name: FunctionName, action: string): string[] =>
  statementsOf(name)
    .filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action))
    .flatMap((s) => asArray(s.Resource).map(flatten))
    .sort();
const arnOf = (queue: string) => `<${queueId(queue)}.Arn>`;

beforeAll(() => {
  synthesised = synthApp({ envName: ENV, regions: REGION });
  stack = synthesised.stacks[0] as HeraldStack;
  template = synthesised.templates[0] as Template;
}, SYNTH_TIMEOUT_MS);

describe('Function: HeraldStack', () => {
  describe('resources', () => {
    it('creates the resources the topology describes, counted by type', () => {
      const stages = STAGES.length;
      const dlqs = stages + 2; // stage DLQs, the ingest rule's DLQ, the feedback DLQ
      expect(countByType(template)).toEqual({
        'AWS::SQS::Queue': stages * 3 + 2,
        'AWS::SQS::QueuePolicy': stages * 3 + 2,
        'AWS::Lambda::Function': FUNCTION_NAMES.length,
        'AWS::Lambda::EventSourceMapping': stages * 2,
        'AWS::Lambda::Url': 1,
        'AWS::Lambda::Permission': 3,
        'AWS::Lambda::EventInvokeConfig': 1,
        'AWS::Logs::LogGroup': FUNCTION_NAMES.length,
        'AWS::IAM::Role': FUNCTION_NAMES.length + 1,
        'AWS::IAM::Policy': FUNCTION_NAMES.length + 1,
        'AWS::Events::EventBus': 1,
        'AWS::Events::Rule': 2,
        'AWS::Scheduler::ScheduleGroup': 1,
        'AWS::DynamoDB::GlobalTable': Object.keys(topology.tables).length,
        'AWS::SecretsManager::Secret': Object.keys(topology.secrets).length,
        'AWS::SES::ConfigurationSet': 1,
        'AWS::SES::ConfigurationSetEventDestination': 1,
        'AWS::SNS::Topic': 1,
        'AWS::SNS::TopicPolicy': 1,
        'AWS::CloudWatch::Alarm': dlqs + stages,
        'AWS::CloudWatch::Dashboard': 1,
      });
    });

    it('synthesises for the account and region given in the context', () => {
      expect(stack.account).toBe(TEST_ACCOUNT);
      expect(stack.region).toBe(REGION);
      expect(stack.stackName).toBe(`${topology.prefix}-${ENV}`);
    });
  });

  describe('queues', () => {
    it.each(STAGES)(
      'gives %s a main queue redriving to its reschedule queue after the topology maxReceiveCount',
      (s) => {
        const stage = topology.stages[s];
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: queueName(s, 'main', ENV),
          VisibilityTimeout: stage.visibilityTimeoutSeconds,
          MessageRetentionPeriod: stage.retentionSeconds,
          RedrivePolicy: {
            deadLetterTargetArn: queueArn(queueName(s, 'reschedule', ENV)),
            maxReceiveCount: stage.retry.maxReceiveCount,
          },
        });
        expect(stage.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * stage.fn.timeoutSeconds);
      },
    );

    it.each(STAGES)(
      'gives %s a reschedule queue that redrives to its DLQ and outlasts the rescheduler',
      (s) => {
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: queueName(s, 'reschedule', ENV),
          VisibilityTimeout: topology.rescheduleQueue.visibilityTimeoutSeconds,
          MessageRetentionPeriod: topology.stages[s].retentionSeconds,
          RedrivePolicy: {
            deadLetterTargetArn: queueArn(queueName(s, 'dlq', ENV)),
            maxReceiveCount: rescheduleRedriveMaxReceiveCount(s, { receiveCountCarriesOver: true }),
          },
        });
        expect(topology.rescheduleQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
          6 * topology.rescheduler.fn.timeoutSeconds,
        );
      },
    );

    it.each(STAGES)(
      'gives the rescheduler at least its attempts at a %s message however SQS counts receives across a redrive',
      (s) => {
        const redrive = (resourcesOf(template, 'AWS::SQS::Queue')[queueId(queueName(s, 'reschedule', ENV))]
          ?.Properties.RedrivePolicy ?? {}) as { maxReceiveCount: number };
        const attempts = topology.rescheduleQueue.maxReceiveCount;
        // Count carried over from the main queue: the main queue's receives are already spent.
        expect(redrive.maxReceiveCount - topology.stages[s].retry.maxReceiveCount).toBeGreaterThanOrEqual(
          attempts,
        );
        // Count restarted on the reschedule queue.
        expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(attempts);
      },
    );

    it('has no redrive policy the topology does not describe', () => {
      const redrives = Object.entries(resourcesOf(template, 'AWS::SQS::Queue'))
        .filter(([, q]) => q.Properties.RedrivePolicy !== undefined)
        .map(([id, q]) => {
          const policy = q.Properties.RedrivePolicy as {
            deadLetterTargetArn: unknown;
            maxReceiveCount: number;
          };
          return `${id} -> ${flatten(policy.deadLetterTargetArn)} after ${policy.maxReceiveCount}`;
        });
      const expected = STAGES.flatMap((s) => [
        `${queueId(queueName(s, 'main', ENV))} -> ${arnOf(queueName(s, 'reschedule', ENV))} after ${topology.stages[s].retry.maxReceiveCount}`,
        `${queueId(queueName(s, 'reschedule', ENV))} -> ${arnOf(queueName(s, 'dlq', ENV))} after ${rescheduleRedriveMaxReceiveCount(s, { receiveCountCarriesOver: true })}`,
      ]);
      expect(redrives.sort()).toEqual(expected.sort());
    });

    it('keeps every DLQ 14 days with no redrive of its own', () => {
      const dlqNames = [
        ...STAGES.map((s) => queueName(s, 'dlq', ENV)),
        resourceName(topology.rule.deadLetterQueue, ENV),
        resourceName(topology.feedback.deadLetterQueue, ENV),
      ];
      for (const name of dlqNames) {
        template.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: name,
          MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
          RedrivePolicy: Match.absent(),
        });
      }
    });

    it('encrypts every queue and denies it to requests without TLS', () => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const denied = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).flatMap((p) =>
        (
          p.Properties.PolicyDocument as { Statement: (Statement & { Condition: unknown })[] }
        ).Statement.filter(
          (s) =>
            s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
        ).flatMap((s) => asArray(s.Resource).map(flatten)),
      );
      expect(denied.sort()).toEqual(
        Object.keys(queues)
          .map((id) => `<${id}.Arn>`)
          .sort(),
      );
    });
  });

  describe('functions', () => {
    const settingsOf = (name: FunctionName) => {
      if (name === 'webhook' || name === 'feedback') return topology[name].fn;
      if (name === 'rescheduler') return topology.rescheduler.fn;
      return topology.stages[name].fn;
    };

    it.each(FUNCTION_NAMES)(
      'runs %s on nodejs24.x arm64 with the memory and timeout of the topology',
      (name) => {
        const settings = settingsOf(name);
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: resourceName(name, ENV),
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: settings.memoryMb,
          Timeout: settings.timeoutSeconds,
          LoggingConfig: { LogGroup: Match.anyValue() },
        });
      },
    );

    it.each(STAGES)(
      'feeds %s from its main queue with partial batch failures and the topology batch size',
      (s) => {
        const stage = topology.stages[s];
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: queueArn(queueName(s, 'main', ENV)),
          FunctionName: { Ref: functionId(s) },
          BatchSize: stage.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: {
            MaximumConcurrency: s === 'send' ? stack.sendPacing.maxConcurrency : stage.fn.maxConcurrency,
          },
        });
      },
    );

    it('bounds the send stage concurrency by the SES send rate', () => {
      const send = topology.stages.send;
      const derived = sendConcurrency({
        maxSendRatePerSecond: topology.ses.maxSendRatePerSecond,
        stageMaxConcurrency: send.fn.maxConcurrency,
        batchSize: send.batchSize,
        timeoutSeconds: send.fn.timeoutSeconds,
      });
      expect(stack.sendPacing).toEqual(derived);
      expect(derived.batchSize).toBe(send.batchSize);
      expect(derived.maxConcurrency * derived.perInstanceRatePerSecond).toBeLessThanOrEqual(
        topology.ses.maxSendRatePerSecond,
      );
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: resourceName('send', ENV),
        Environment: {
          Variables: Match.objectLike({ SES_SEND_RATE_PER_SECOND: String(derived.perInstanceRatePerSecond) }),
        },
      });
    });

    it(
      'synthesises for an SES sandbox account at 1 email/s with smaller send batches and paced processes',
      () => {
        // arrange / act
        const sandbox = synthApp({ envName: ENV, regions: REGION, sesMaxSendRate: '1' });
        const sandboxTemplate = sandbox.templates[0] as Template;
        const sandboxStack = sandbox.stacks[0] as HeraldStack;

        // assert: 2 processes at 0.5 email/s, each sending at most 7 emails in half its 30 s timeout.
        expect(sandboxStack.sendPacing).toEqual({
          maxConcurrency: 2,
          perInstanceRatePerSecond: 0.5,
          batchSize: 7,
        });
        sandboxTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          BatchSize: 7,
          ScalingConfig: { MaximumConcurrency: 2 },
        });
        sandboxTemplate.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: resourceName('send', ENV),
          Environment: { Variables: Match.objectLike({ SES_SEND_RATE_PER_SECOND: '0.5' }) },
        });
        expect(configSchema.parse({ SES_SEND_RATE_PER_SECOND: '0.5' }).SES_SEND_RATE_PER_SECOND).toBe(0.5);
      },
      SYNTH_TIMEOUT_MS,
    );

    it.each(STAGES)('feeds the rescheduler from the %s reschedule queue', (s) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: queueArn(queueName(s, 'reschedule', ENV)),
        FunctionName: { Ref: functionId('rescheduler') },
        BatchSize: topology.rescheduler.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: topology.rescheduler.fn.maxConcurrency },
      });
    });

    it('reports batch item failures on every event source mapping', () => {
      const mappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping'));
      expect(mappings).toHaveLength(STAGES.length * 2);
      for (const m of mappings)
        expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    });

    it('exposes the webhook as a function URL without AWS auth (its HMAC check authenticates)', () => {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        TargetFunctionArn: { 'Fn::GetAtt': [functionId('webhook'), 'Arn'] },
      });
    });

    it('gives the send function its sender, configuration set and unsubscribe base URL', () => {
      const urlId = Object.keys(resourcesOf(template, 'AWS::Lambda::Url'))[0] as string;
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: resourceName('send', ENV),
        Environment: {
          Variables: Match.objectLike({
            HERALD_ENV: ENV,
            SENDER_EMAIL: 'releases@example.com',
            SES_CONFIGURATION_SET: resourceName(topology.ses.configurationSet, ENV),
            UNSUBSCRIBE_BASE_URL: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [urlId, 'FunctionUrl'] }, 'unsubscribe']],
            },
          }),
        },
      });
    });

    it('outputs the Jira webhook URL and the unsubscribe base URL under the function URL', () => {
      const urlId = Object.keys(resourcesOf(template, 'AWS::Lambda::Url'))[0] as string;
      const under = (path: string) => ({
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [urlId, 'FunctionUrl'] }, path]] },
      });
      template.hasOutput('JiraWebhookUrl', under('webhook'));
      template.hasOutput('UnsubscribeBaseUrl', under('unsubscribe'));
    });

    it('gives schedule and rescheduler the Scheduler role ARN and enrich and compose the Jira site', () => {
      const roleArn = {
        'Fn::GetAtt': [stack.getLogicalId(stack.scheduling.role.node.defaultChild as never), 'Arn'],
      };
      for (const name of ['schedule', 'rescheduler'] as const) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: resourceName(name, ENV),
          Environment: { Variables: Match.objectLike({ SCHEDULER_ROLE_ARN: roleArn }) },
        });
      }
      for (const name of ['enrich', 'compose'] as const) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: resourceName(name, ENV),
          Environment: {
            Variables: Match.objectLike({
              JIRA_SITE_URL: 'https://example.atlassian.net',
              JIRA_EMAIL: 'jira-bot@example.com',
            }),
          },
        });
      }
    });
  });

  describe('environment', () => {
    const variablesOf = (name: FunctionName): Record<string, unknown> => {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId(name)] as Resource;
      return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    };

    it('gives each function exactly the variables its handler reads', () => {
      // Every function also gets the ADOT layer's wrapper (tracing is on by default).
      const base = ['NODE_OPTIONS', 'HERALD_ENV', ...Object.keys(TRACING_ENVIRONMENT)];
      const queueDriven = [...base, 'HERALD_RETRY_PROFILE'];
      const jira = ['JIRA_SITE_URL', 'JIRA_EMAIL'];
      const expected: Record<FunctionName, string[]> = {
        webhook: base,
        ingest: queueDriven,
        enrich: [...queueDriven, ...jira],
        schedule: [...queueDriven, 'SCHEDULER_ROLE_ARN'],
        compose: [...queueDriven, ...jira, 'HERALD_HOME_REGION', 'REVIEW_BASE_URL'],
        send: [
          ...queueDriven,
          'HERALD_HOME_REGION',
          'SENDER_EMAIL',
          'SES_CONFIGURATION_SET',
          'UNSUBSCRIBE_BASE_URL',
          'SES_SEND_RATE_PER_SECOND',
        ],
        rescheduler: [...queueDriven, 'SCHEDULER_ROLE_ARN'],
        feedback: base,
      };
      for (const name of FUNCTION_NAMES) {
        expect(Object.keys(variablesOf(name)).sort(), name).toEqual([...expected[name]].sort());
      }
    });

    it('sets only variables pipeline/shared/config.ts reads (and Node options)', () => {
      const known = new Set([...Object.keys(configSchema.shape), 'NODE_OPTIONS']);
      for (const name of FUNCTION_NAMES) {
        const unknown = Object.keys(variablesOf(name)).filter((v) => !known.has(v));
        expect(unknown, name).toEqual([]);
      }
    });

    it.each(['compose', 'send'] as const)(
      'makes %s of a one-region deploy its own home region, with no replication alarm',
      (name) => {
        expect(variablesOf(name).HERALD_HOME_REGION).toBe(REGION);
        expect(JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Alarm'))).not.toContain(
          'ReplicationLatency',
        );
      },
    );

    it.each([...STAGES, 'rescheduler'] as const)(
      'runs the %s retry ladder on the standard profile, set explicitly',
      (name) => {
        expect(variablesOf(name).HERALD_RETRY_PROFILE).toBe('standard');
      },
    );
  });

  describe('events', () => {
    it('routes version events only from the custom bus to the ingest queue, with a DLQ', () => {
      const busId = logicalId('AWS::Events::EventBus', 'Name', resourceName(topology.bus, ENV));
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: resourceName(topology.rule.name, ENV),
        EventBusName: { Ref: busId },
        EventPattern: {
          source: [topology.rule.source],
          'detail-type': [{ prefix: topology.rule.detailTypePrefix }],
        },
        Targets: [
          Match.objectLike({
            Arn: queueArn(queueName('ingest', 'main', ENV)),
            DeadLetterConfig: { Arn: queueArn(resourceName(topology.rule.deadLetterQueue, ENV)) },
            RetryPolicy: {
              MaximumEventAgeInSeconds: topology.ruleTargetRetry.maximumEventAgeSeconds,
              MaximumRetryAttempts: topology.ruleTargetRetry.maximumRetryAttempts,
            },
          }),
        ],
      });
    });

    it('sends the SES events of its configuration set (send, delivery, bounce, complaint, reject, delay) to the feedback function, with a DLQ', () => {
      const configurationSet = resourceName(topology.ses.configurationSet, ENV);
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint', 'reject', 'deliveryDelay'],
          EventBridgeDestination: { EventBusArn: Match.anyValue() },
        },
      });
      const [destination] = Object.values(
        resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination'),
      );
      const eventDestination = destination?.Properties.EventDestination as {
        EventBridgeDestination: { EventBusArn: unknown };
      };
      expect(flatten(eventDestination.EventBridgeDestination.EventBusArn)).toMatch(/:event-bus\/default$/);
      const feedbackDlq = queueArn(resourceName(topology.feedback.deadLetterQueue, ENV));
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: resourceName(topology.feedback.rule, ENV),
        EventBusName: 'default',
        EventPattern: {
          source: ['aws.ses'],
          'detail-type': [
            'Email Bounced',
            'Email Complaint Received',
            'Email Sent',
            'Email Delivered',
            'Email Rejected',
            'Email Delivery Delayed',
          ],
          detail: { mail: { tags: { 'ses:configuration-set': [configurationSet] } } },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionId('feedback'), 'Arn'] },
            DeadLetterConfig: { Arn: feedbackDlq },
            RetryPolicy: {
              MaximumEventAgeInSeconds: topology.ruleTargetRetry.maximumEventAgeSeconds,
              MaximumRetryAttempts: topology.ruleTargetRetry.maximumRetryAttempts,
            },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: resourceName('feedback', ENV),
        DeadLetterConfig: { TargetArn: feedbackDlq },
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId('feedback') },
        MaximumRetryAttempts: infraSettings.feedbackRetryAttempts,
      });
    });
  });

  describe('scheduler', () => {
    it('creates the schedule group of the topology', () => {
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', {
        Name: resourceName(topology.scheduleGroup, ENV),
      });
    });

    it('lets only Scheduler, for this account and group, assume the schedule role', () => {
      const roleId = stack.getLogicalId(stack.scheduling.role.node.defaultChild as never);
      const role = resourcesOf(template, 'AWS::IAM::Role')[roleId] as Resource;
      const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
      expect(trust).toHaveLength(1);
      expect(trust[0]).toMatchObject({
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } },
      });
      const condition = trust[0]?.Condition as { ArnEquals: Record<string, unknown> };
      expect(flatten(condition.ArnEquals['aws:SourceArn'])).toBe(
        `arn:aws:scheduler:${REGION}:${TEST_ACCOUNT}:schedule-group/${resourceName(topology.scheduleGroup, ENV)}`,
      );
    });

    it('lets the schedule role only send to the stage main queues and DLQs', () => {
      const roleId = stack.getLogicalId(stack.scheduling.role.node.defaultChild as never);
      const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      expect(statements.flatMap((s) => asArray(s.Action))).toEqual(['sqs:SendMessage']);
      // Send points target compose and dead-letter to its DLQ; long reschedules target any main
      // queue and dead-letter to that stage's DLQ.
      const expected = [
        ...STAGES.map((s) => arnOf(queueName(s, 'main', ENV))),
        ...STAGES.map((s) => arnOf(queueName(s, 'dlq', ENV))),
      ];
      expect(statements.flatMap((s) => asArray(s.Resource).map(flatten)).sort()).toEqual(expected.sort());
    });
  });

  describe('data', () => {
    it('creates on-demand tables with point-in-time recovery, the ledger with a TTL', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: resourceName(topology.tables.directory, ENV),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Replicas: [
          Match.objectLike({
            Region: REGION,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      });
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: resourceName(topology.tables.ledger, ENV),
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          Match.objectLike({
            Region: REGION,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      });
    });

    it('retains the tables and protects them from deletion by default', () => {
      for (const table of Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))) {
        expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
        expect(
          (table.Properties as { Replicas: { DeletionProtectionEnabled: boolean }[] }).Replicas[0],
        ).toMatchObject({
          DeletionProtectionEnabled: true,
        });
      }
    });

    it('creates every secret of the topology empty: no value and no generated value in the template', () => {
      const secrets = Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret'));
      expect(secrets.map((s) => s.Properties.Name).sort()).toEqual(
        Object.values(topology.secrets)
          .map((n) => resourceName(n, ENV))
          .sort(),
      );
      for (const secret of secrets) {
        expect(secret.Properties.SecretString).toBeUndefined();
        expect(secret.Properties.GenerateSecretString).toBeUndefined();
      }
    });
  });

  describe('alarms', () => {
    const topicRef = () => ({ Ref: stack.getLogicalId(stack.alarms.topic.node.defaultChild as never) });
    const dlqNames = () => [
      ...STAGES.map((s) => queueName(s, 'dlq', ENV)),
      resourceName(topology.rule.deadLetterQueue, ENV),
      resourceName(topology.feedback.deadLetterQueue, ENV),
    ];

    it('alarms on every DLQ as soon as it holds a message', () => {
      for (const name of dlqNames()) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(name), 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topicRef()],
        });
      }
      const depthAlarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
      );
      expect(depthAlarms).toHaveLength(dlqNames().length);
    });

    it.each(STAGES)('alarms when the oldest %s message is older than the ladder allows', (s: StageName) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(queueName(s, 'main', ENV)), 'QueueName'] } },
        ],
        Threshold: topology.stages[s].alarms.oldestMessageAgeSeconds,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicRef()],
      });
    });

    it('publishes alarms to a TLS-only topic', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: resourceName(topology.alarmTopic, ENV),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('IAM', () => {
    it('scopes every statement to named ARNs, except the one ListSchedules statement and the X-Ray write statements', () => {
      const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
        (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
      );
      expect(statements.length).toBeGreaterThan(0);
      const group = resourceName(topology.scheduleGroup, ENV);
      const allowedPatterns = [
        `arn:aws:scheduler:${REGION}:${TEST_ACCOUNT}:schedule/${group}/${topology.schedulePrefix}*`,
        `arn:aws:scheduler:${REGION}:${TEST_ACCOUNT}:schedule/${group}/${topology.reschedulePrefix}*`,
      ];
      const wildcardActions: string[] = [];
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
        const resources = asArray(statement.Resource).map(flatten);
        if (resources.includes('*')) {
          // X-Ray's write actions (active tracing) accept only "*", as ListSchedules does.
          // CDK merges a role's "*" statements: schedule's holds ListSchedules and the X-Ray actions.
          for (const action of asArray(statement.Action)) {
            expect(['scheduler:ListSchedules', ...XRAY_WRITE_ACTIONS]).toContain(action);
            wildcardActions.push(action);
          }
          expect(resources).toEqual(['*']);
          continue;
        }
        for (const resource of resources) {
          if (resource.includes('*')) expect(allowedPatterns).toContain(resource);
        }
      }
      // ListSchedules once; the X-Ray actions once per function role (tracing is on by default).
      expect(wildcardActions.filter((a) => a === 'scheduler:ListSchedules')).toHaveLength(1);
      for (const action of XRAY_WRITE_ACTIONS) {
        expect(wildcardActions.filter((a) => a === action)).toHaveLength(FUNCTION_NAMES.length);
      }
    });

    it('attaches no managed policy to any role', () => {
      for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('lets each stage send only to its own reschedule queue and DLQ and to the queues it feeds', () => {
      const next: Record<StageName, string[]> = {
        ingest: [queueName('enrich', 'main', ENV)],
        enrich: [queueName('schedule', 'main', ENV)],
        // Points already due go straight to compose; overtaken snapshots ask enrich to re-plan.
        schedule: [queueName('compose', 'main', ENV), queueName('enrich', 'main', ENV)],
        // Compose asks enrich to re-plan a release whose date moved under a due point, and a send
        // waiting for an approver's decision puts its job back on compose's own queue.
        compose: [
          queueName('send', 'main', ENV),
          queueName('enrich', 'main', ENV),
          queueName('compose', 'main', ENV),
        ].sort(),
        // The owners' summary of a point waits on the send queue (it puts itself back, delayed).
        send: [queueName('send', 'main', ENV)],
      };
      for (const s of STAGES) {
        const expected = [queueName(s, 'reschedule', ENV), queueName(s, 'dlq', ENV), ...next[s]].map(arnOf);
        expect(resourcesAllowed(s, 'sqs:SendMessage'), s).toEqual(expected.sort());
        expect(resourcesAllowed(s, 'sqs:ReceiveMessage'), s).toEqual([arnOf(queueName(s, 'main', ENV))]);
        expect(resourcesAllowed(s, 'sqs:ChangeMessageVisibility'), s).toEqual([
          arnOf(queueName(s, 'main', ENV)),
        ]);
      }
    });

    it('lets the rescheduler consume every reschedule queue and send to every main queue and DLQ', () => {
      expect(resourcesAllowed('rescheduler', 'sqs:ReceiveMessage')).toEqual(
        STAGES.map((s) => arnOf(queueName(s, 'reschedule', ENV))).sort(),
      );
      expect(resourcesAllowed('rescheduler', 'sqs:SendMessage')).toEqual(
        STAGES.flatMap((s) => [arnOf(queueName(s, 'main', ENV)), arnOf(queueName(s, 'dlq', ENV))]).sort(),
      );
    });

    it('gives each function only the secrets it reads', () => {
      const secretRef = (key: keyof typeof topology.secrets) =>
        `<${logicalId('AWS::SecretsManager::Secret', 'Name', resourceName(topology.secrets[key], ENV))}>`;
      const expected: Partial<Record<FunctionName, string[]>> = {
        // The review keys open (webhook) and seal (compose) Approve/Hold links; no other function has them.
        webhook: [
          secretRef('webhookSecret'),
          secretRef('signingKeys'),
          secretRef('reviewSigningKeys'),
        ].sort(),
        enrich: [secretRef('jiraApiToken')],
        compose: [
          secretRef('jiraApiToken'),
          secretRef('openaiApiKey'),
          secretRef('reviewSigningKeys'),
        ].sort(),
        // The signing keys only: send can sign unsubscribe links but never forge a Jira webhook.
        send: [secretRef('signingKeys')],
      };
      for (const name of FUNCTION_NAMES) {
        expect(resourcesAllowed(name, 'secretsmanager:GetSecretValue'), name).toEqual(expected[name] ?? []);
      }
    });

    it('gives each function exactly the table actions its handler uses, on its table only', () => {
      const directory = `<${logicalId('AWS::DynamoDB::GlobalTable', 'TableName', resourceName(topology.tables.directory, ENV))}.Arn>`;
      const ledger = `<${logicalId('AWS::DynamoDB::GlobalTable', 'TableName', resourceName(topology.tables.ledger, ENV))}.Arn>`;
      const expected: Partial<Record<FunctionName, string[]>> = {
        // webhook: opt-outs, and on review links the policy's approvers (GetItem) and decisions on
        // approval records (GetItem + conditional PutItem).
        webhook: [
          `${directory} dynamodb:GetItem`,
          `${directory} dynamodb:PutItem`,
          `${ledger} dynamodb:GetItem`,
          `${ledger} dynamodb:PutItem`,
        ],
        enrich: [`${directory} dynamodb:GetItem`, `${directory} dynamodb:Query`],
        // A point outcome is listed in its release's index row (UpdateItem) for herald report.
        schedule: [
          `${ledger} dynamodb:GetItem`,
          `${ledger} dynamodb:PutItem`,
          `${ledger} dynamodb:UpdateItem`,
        ],
        // compose reads the project's send policy (scope, audiences, minCoverage, verifyGrounding).
        // compose claims a draft before the model call (claimDraft: a conditional UpdateItem).
        compose: [
          `${directory} dynamodb:GetItem`,
          `${ledger} dynamodb:GetItem`,
          `${ledger} dynamodb:PutItem`,
          `${ledger} dynamodb:UpdateItem`,
        ],
        // send records an email missed or skipped (release changed) with a conditional PutItem.
        // The owners' summary reads a point's report by key (BatchGetItem).
        send: [
          `${directory} dynamodb:GetItem`,
          `${ledger} dynamodb:BatchGetItem`,
          `${ledger} dynamodb:DeleteItem`,
          `${ledger} dynamodb:GetItem`,
          `${ledger} dynamodb:PutItem`,
          `${ledger} dynamodb:UpdateItem`,
        ],
        feedback: [`${directory} dynamodb:PutItem`, `${ledger} dynamodb:UpdateItem`],
      };
      for (const name of FUNCTION_NAMES) {
        const granted = statementsOf(name)
          .filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')))
          .flatMap((s) =>
            asArray(s.Resource).flatMap((r) => asArray(s.Action).map((a) => `${flatten(r)} ${a}`)),
          );
        expect(granted.sort(), name).toEqual(expected[name] ?? []);
      }
    });

    it("narrows the public webhook's ledger access to approval rows (write) and approval rows and drafts (read)", () => {
      const ledger = `<${logicalId('AWS::DynamoDB::GlobalTable', 'TableName', resourceName(topology.tables.ledger, ENV))}.Arn>`;
      const onLedger = statementsOf('webhook')
        .filter((s) => asArray(s.Resource).map(flatten).includes(ledger))
        .map((s) => ({ actions: asArray(s.Action).sort(), condition: s.Condition }));
      expect(onLedger).toEqual([
        {
          actions: ['dynamodb:GetItem'],
          condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['approval#*', 'draft#*'] } },
        },
        {
          actions: ['dynamodb:PutItem'],
          condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['approval#*'] } },
        },
      ]);
    });

    it('lets only send use SES, as the sender identity with the configuration set', () => {
      const configurationSet = resourceName(topology.ses.configurationSet, ENV);
      const ses = (resource: string) => `arn:aws:ses:${REGION}:${TEST_ACCOUNT}:${resource}`;
      expect(resourcesAllowed('send', 'ses:SendEmail')).toEqual(
        [
          ses('identity/example.com'),
          ses('identity/releases@example.com'),
          ses(`configuration-set/${configurationSet}`),
        ].sort(),
      );
      for (const name of FUNCTION_NAMES.filter((n) => n !== 'send')) {
        expect(resourcesAllowed(name, 'ses:SendEmail'), name).toEqual([]);
      }
    });

    it('lets schedule manage send-point schedules and rescheduler create long reschedules, passing only the schedule role', () => {
      const group = resourceName(topology.scheduleGroup, ENV);
      const schedules = (prefix: string) =>
        `arn:aws:scheduler:${REGION}:${TEST_ACCOUNT}:schedule/${group}/${prefix}*`;
      const roleArn = `<${stack.getLogicalId(stack.scheduling.role.node.defaultChild as never)}.Arn>`;
      for (const action of ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'GetSchedule']) {
        expect(resourcesAllowed('schedule', `scheduler:${action}`)).toEqual([
          schedules(topology.schedulePrefix),
        ]);
      }
      expect(resourcesAllowed('rescheduler', 'scheduler:CreateSchedule')).toEqual([
        schedules(topology.reschedulePrefix),
      ]);
      expect(resourcesAllowed('rescheduler', 'scheduler:DeleteSchedule')).toEqual([]);
      for (const name of ['schedule', 'rescheduler'] as const) {
        const passRole = statementsOf(name).filter((s) => asArray(s.Action).includes('iam:PassRole'));
        expect(passRole).toHaveLength(1);
        expect(passRole[0]?.Condition).toEqual({
          StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        });
        expect(asArray(passRole[0]?.Resource).map(flatten)).toEqual([roleArn]);
      }
      expect(resourcesAllowed('schedule', 'sqs:GetQueueAttributes')).toEqual(
        expect.arrayContaining([
          arnOf(queueName('compose', 'main', ENV)),
          arnOf(queueName('compose', 'dlq', ENV)),
        ]),
      );
    });

    it('lets only the webhook put events, on the custom bus', () => {
      const busId = logicalId('AWS::Events::EventBus', 'Name', resourceName(topology.bus, ENV));
      for (const name of FUNCTION_NAMES) {
        expect(resourcesAllowed(name, 'events:PutEvents'), name).toEqual(
          name === 'webhook' ? [`<${busId}.Arn>`] : [],
        );
      }
    });
  });

  describe('cdk-nag', () => {
    it('leaves no AwsSolutions finding, error or warning, unacknowledged', () => {
      const report = new AwsSolutionsChecks().validateScope(synthesised.app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    });

    it('acknowledges only the findings the design accepts, each with a reason', () => {
      const acknowledged: { path: string; id: string; reason: string }[] = [];
      for (const construct of synthesised.app.node.findAll()) {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            acknowledged.push({ path: construct.node.path, id: id.replace(/^Annotation::/, ''), reason });
          }
        }
      }
      const group = resourceName(topology.scheduleGroup, ENV);
      const arn = `arn:aws:scheduler:${REGION}:${TEST_ACCOUNT}:schedule/${group}`;
      expect(acknowledged.map((a) => a.id).sort()).toEqual(
        [
          `AwsSolutions-IAM5[Resource::${arn}/${topology.schedulePrefix}*]`,
          'AwsSolutions-IAM5[Resource::*]',
          // The X-Ray write statement of active tracing, once per function role.
          ...FUNCTION_NAMES.map(() => 'AwsSolutions-IAM5[Resource::*]'),
          `AwsSolutions-IAM5[Resource::${arn}/${topology.reschedulePrefix}*]`,
          ...Object.keys(topology.secrets).map(() => 'AwsSolutions-SMG4'),
          'AwsSolutions-SQS3',
        ].sort(),
      );
      for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
    });
  });
});
