import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HeraldFunction } from './HeraldFunction.ts';

/** Options of {@link SchedulerWiring}. */
export interface SchedulerWiringProps {
  /** Physical schedule group name (`resourceName(topology.scheduleGroup, env)`). */
  readonly groupName: string;
  /** Queues schedules deliver to: compose (send points) and every main queue (long reschedules). */
  readonly targetQueues: sqs.IQueue[];
  /** Queues Scheduler dead-letters undeliverable schedules to (the DLQs schedules name). */
  readonly deadLetterQueues: sqs.IQueue[];
}

/**
 * The EventBridge Scheduler side: one schedule group and the role schedules run as. The role
 * trusts only scheduler.amazonaws.com acting for this account's group and may only
 * sqs:SendMessage to the target and dead-letter queues (Scheduler sends its dead-letter events
 * with the schedule's role).
 */
export class SchedulerWiring extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  /** ARN of the group (the `aws:SourceArn` Scheduler presents). */
  readonly groupArn: string;
  /** Physical group name. */
  readonly groupName: string;

  constructor(scope: Construct, id: string, props: SchedulerWiringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = props.groupName;
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: props.groupName });
    this.groupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: props.groupName,
    });
    this.role = new iam.Role(this, 'Role', {
      description: `Role of the schedules in ${props.groupName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.groupArn },
        },
      }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [...props.targetQueues, ...props.deadLetterQueues].map((q) => q.queueArn),
      }),
    );
  }

  /**
   * ARN pattern of the schedules in the group whose names start with `namePrefix`. Schedule
   * names are chosen at run time (release, point, zone, chunk), hence the trailing wildcard.
   */
  scheduleArn(namePrefix: string): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/${namePrefix}*`,
    });
  }

  /**
   * Lets `handler` manage schedules named `namePrefix…` in the group with `actions`, and pass the
   * schedule role to Scheduler (and to nothing else).
   */
  grantScheduling(handler: HeraldFunction, namePrefix: string, actions: readonly string[]): void {
    handler.allow(actions, [this.scheduleArn(namePrefix)]);
    handler.allow(['iam:PassRole'], [this.role.roleArn], {
      StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  }
}
