import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DLQ_RETENTION_SECONDS } from '#topology/topology';
import { type FunctionSettings, HeraldFunction, type HeraldFunctionProps } from './HeraldFunction.ts';
import { secureQueueProps } from './StageQueues.ts';

/** Options of {@link JiraIngress}. */
export interface JiraIngressProps {
  /** Physical name of the custom bus. */
  readonly busName: string;
  /** The version-events rule: physical name, `source` and `detail-type` prefix it matches. */
  readonly rule: { readonly name: string; readonly source: string; readonly detailTypePrefix: string };
  /** Physical name of the rule's DLQ. */
  readonly ruleDlqName: string;
  /** Retry policy of the rule's target. */
  readonly targetRetry: { readonly maximumEventAgeSeconds: number; readonly maximumRetryAttempts: number };
  /** The ingest stage's main queue. */
  readonly ingestQueue: sqs.IQueue;
  /** The webhook function. */
  readonly webhook: Omit<HeraldFunctionProps, 'settings'> & { readonly settings: FunctionSettings };
}

/**
 * Where Jira events enter: the webhook function behind a Lambda function URL (no AWS auth: the
 * handler's HMAC check of `X-Hub-Signature` is the authentication, and unsubscribe links carry
 * their own sealed token under the signing keys) puts events on the custom bus; one rule routes version events only
 * (`source` and `detail-type` prefix from the topology) to the ingest queue, with retries and a
 * DLQ for events it cannot deliver.
 */
export class JiraIngress extends Construct {
  readonly bus: events.EventBus;
  readonly rule: events.Rule;
  readonly ruleDlq: sqs.Queue;
  readonly webhook: HeraldFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: JiraIngressProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: props.busName });
    this.ruleDlq = new sqs.Queue(this, 'RuleDlq', {
      ...secureQueueProps,
      queueName: props.ruleDlqName,
      retentionPeriod: Duration.seconds(DLQ_RETENTION_SECONDS),
    });
    this.rule = new events.Rule(this, 'VersionEvents', {
      ruleName: props.rule.name,
      description: 'Jira version events from the webhook to the ingest queue',
      eventBus: this.bus,
      eventPattern: {
        source: [props.rule.source],
        detailType: events.Match.prefix(props.rule.detailTypePrefix),
      },
    });
    this.rule.addTarget(
      new targets.SqsQueue(props.ingestQueue, {
        deadLetterQueue: this.ruleDlq,
        maxEventAge: Duration.seconds(props.targetRetry.maximumEventAgeSeconds),
        retryAttempts: props.targetRetry.maximumRetryAttempts,
      }),
    );

    this.webhook = new HeraldFunction(this, 'Webhook', props.webhook);
    this.webhook.allow(['events:PutEvents'], [this.bus.eventBusArn]);
    this.url = this.webhook.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }
}
