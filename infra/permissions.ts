/**
 * The IAM actions each kind of access grants, in one place so adapters and the stack agree.
 * Resources are always exact ARNs (see HeraldStack); these lists are the only verbs allowed.
 */
export const actions = {
  /** Directory reads: a contact list (Query), a policy or an opt-out (GetItem, BatchGetItem). */
  directoryRead: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  /** Opting an address out (unsubscribe link, bounce, complaint): read it, then write it. */
  directoryOptOut: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /** Ledger claims and records: conditional writes, lease release, reads. */
  ledgerReadWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  /** Reading a secret's value. */
  secretRead: ['secretsmanager:GetSecretValue'],
  /** Resolving a queue's URL and attributes (its ARN for Scheduler targets and DLQs). */
  queueLookup: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
  /** Sending one email (SES v2 SendEmail authorises as ses:SendEmail; v1 raw as ses:SendRawEmail). */
  sesSend: ['ses:SendEmail', 'ses:SendRawEmail'],
  /** Managing send-point schedules. */
  schedulesManage: [
    'scheduler:CreateSchedule',
    'scheduler:UpdateSchedule',
    'scheduler:DeleteSchedule',
    'scheduler:GetSchedule',
  ],
  /** Creating (or, when it exists, updating) a long-reschedule schedule. */
  schedulesCreate: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
  /** Listing schedules; IAM offers no resource type for it. */
  schedulesList: ['scheduler:ListSchedules'],
} as const satisfies Record<string, readonly string[]>;
