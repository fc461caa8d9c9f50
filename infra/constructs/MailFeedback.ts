import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SES_FEEDBACK_DETAIL_TYPES } from '#stages/feedback/sesFeedbackEvent';
import { DLQ_RETENTION_SECONDS } from '#topology/topology';
import { type FunctionSettings, HeraldFunction, type HeraldFunctionProps } from './HeraldFunction.ts';
import { secureQueueProps } from './StageQueues.ts';

/**
 * EventBridge detail-types of the SES events the rule routes to the feedback function (the
 * feedback stage's own list): bounces and complaints opt a contact out, and every one is recorded
 * in the ledger per email.
 */
export const FEEDBACK_DETAIL_TYPES = SES_FEEDBACK_DETAIL_TYPES;

/** Options of {@link MailFeedback}. */
export interface MailFeedbackProps {
  /** Physical name of the SES configuration set every email is sent with. */
  readonly configurationSetName: string;
  /** Physical name of the rule on the default bus. */
  readonly ruleName: string;
  /** Physical name of the DLQ of the rule and the function. */
  readonly dlqName: string;
  /** Retry policy of the rule's target. */
  readonly targetRetry: { readonly maximumEventAgeSeconds: number; readonly maximumRetryAttempts: number };
  /** Asynchronous retries of the function, 0..2. */
  readonly functionRetryAttempts: number;
  /** The feedback function. */
  readonly feedback: Omit<HeraldFunctionProps, 'settings' | 'deadLetterQueue' | 'retryAttempts'> & {
    readonly settings: FunctionSettings;
  };
}

/**
 * SES feedback: the configuration set publishes SEND, DELIVERY, BOUNCE, COMPLAINT, REJECT and
 * DELIVERY_DELAY events to the default event bus (the only bus SES delivers to); a rule matching
 * this configuration set only invokes the feedback function asynchronously, which records each
 * event in the ledger per email (the send stage reads them to settle an unknown SendEmail
 * outcome) and opts bounced or complaining contacts out in the directory.
 * Events the rule cannot deliver, and invocations that still fail after retries, land in one DLQ.
 */
export class MailFeedback extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly rule: events.Rule;
  readonly dlq: sqs.Queue;
  readonly feedback: HeraldFunction;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
      ],
    });

    this.dlq = new sqs.Queue(this, 'Dlq', {
      ...secureQueueProps,
      queueName: props.dlqName,
      retentionPeriod: Duration.seconds(DLQ_RETENTION_SECONDS),
    });
    this.feedback = new HeraldFunction(this, 'Feedback', {
      ...props.feedback,
      deadLetterQueue: this.dlq,
      retryAttempts: props.functionRetryAttempts,
    });
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: `SES events of ${props.configurationSetName} to the feedback function`,
      eventBus: defaultBus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...FEEDBACK_DETAIL_TYPES],
        // Several environments may share an account's default bus: match ours only.
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.feedback.fn, {
        deadLetterQueue: this.dlq,
        maxEventAge: Duration.seconds(props.targetRetry.maximumEventAgeSeconds),
        retryAttempts: props.targetRetry.maximumRetryAttempts,
      }),
    );
  }
}
