/**
 * The IAM actions each kind of access grants, in one place so adapters and the stack agree.
 * Resources are always exact ARNs (see HeraldStack); these lists are the only verbs allowed.
 * Each DynamoDB list is exactly the calls of the adapter methods named on it;
 * test/infra/permissions.test.ts runs those methods and checks that the two still match.
 */
export const actions = {
  /**
   * Enrich reading a project: DynamoDirectory.listContacts (Query), getPolicy and isOptedOut
   * (GetItem).
   */
  directoryRead: ['dynamodb:GetItem', 'dynamodb:Query'],
  /** Compose reading a project's send policy (scope, audiences, checks): DynamoDirectory.getPolicy (GetItem). */
  directoryPolicyRead: ['dynamodb:GetItem'],
  /** Send's check before each email: DynamoDirectory.isOptedOut (GetItem). */
  directoryOptOutCheck: ['dynamodb:GetItem'],
  /** Opting an address out (unsubscribe link, bounce, complaint): DynamoDirectory.optOut (PutItem). */
  directoryOptOut: ['dynamodb:PutItem'],
  /**
   * Compose's drafts: DynamoLedger.getDraft (GetItem), claimDraft (conditional UpdateItem, GetItem
   * after a lost condition) and putDraftIfAbsent (conditional PutItem, then GetItem when another
   * composer won); recordPointOutcome (UpdateItem of the release index, conditional PutItem: a
   * missed point); DynamoDeliveryRecords.recordFanOut (UpdateItem of the release index, PutItem of
   * the chunk's plan and the version's alias).
   */
  ledgerDrafts: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /**
   * Schedule's per-release watermark: DynamoLedger.claimRelease (conditional PutItem, GetItem
   * after a lost condition) and getReleaseWatermark (GetItem); getDraft (GetItem: was a past
   * point composed?) and recordPointOutcome (UpdateItem of the release index, conditional PutItem:
   * caught up or missed).
   */
  ledgerReleaseWatermark: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /**
   * Send's rows: DynamoLedger.getDraft (GetItem), claimSend, markSent, markRejected and
   * markAmbiguous (conditional UpdateItem, GetItem after a lost condition), giveBackSendClaim
   * (DeleteItem), getSesEvents (GetItem), getRelease (GetItem: the release re-check) and
   * recordSendOutcome (conditional PutItem: an email missed or skipped).
   */
  ledgerSends: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
  /**
   * Approval records of release points (policy `approval`): DynamoLedger.getApproval (GetItem),
   * putApprovalRevision, decide and settleApproval (GetItem, then a PutItem conditional on the
   * row's write counter). Compose's {@link ledgerDrafts} covers them; the webhook's approval pages
   * get this list alone.
   */
  ledgerApprovals: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  /**
   * Send's owners' summary reading a point's report: DynamoDeliveryRecords.readRelease (GetItem of
   * the release index, BatchGetItem of its rows) and readEmails (BatchGetItem); drafts through
   * ledgerSends' GetItem.
   */
  ledgerReport: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  /** The read half of {@link ledgerApprovals} (the webhook's reads are narrowed by {@link webhookLedgerKeys}). */
  ledgerApprovalReads: ['dynamodb:GetItem'],
  /** Feedback's record of SES's events per email: DynamoLedger.recordSesEvent (UpdateItem). */
  ledgerSesEvents: ['dynamodb:UpdateItem'],
  /** Reading a secret's value. */
  secretRead: ['secretsmanager:GetSecretValue'],
  /** Resolving a queue's URL and attributes (its ARN for Scheduler targets and DLQs). */
  queueLookup: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes'],
  /**
   * Sending one email: SesMailer's SES v2 SendEmail with Content.Raw. It authorises as
   * ses:SendEmail; ses:SendRawEmail goes along, as CDK's own EmailIdentity.grantSendEmail grants,
   * so a raw send is allowed whichever of the two SES checks.
   */
  sesSend: ['ses:SendEmail', 'ses:SendRawEmail'],
  /** Managing send-point schedules: list (then Get each), create/update (each the other's fallback), delete. */
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

/**
 * The ledger rows the internet-facing webhook may touch, as `dynamodb:LeadingKeys` patterns over
 * the table's partition key (`pk`, one string whose prefix names the row's kind): it reads
 * approval records (`approval#`, DynamoApprovals' APPROVAL_PREFIX) and drafts (`draft#`,
 * DynamoLedger's draft prefix), and writes approval records only: never a send row, an outcome
 * or a draft. test/infra/permissions.test.ts checks the keys a review link really uses.
 */
export const webhookLedgerKeys = {
  read: ['approval#*', 'draft#*'],
  write: ['approval#*'],
} as const;

/** An IAM condition allowing only items whose partition key matches one of `patterns`. */
export const leadingKeysLike = (patterns: readonly string[]): Record<string, Record<string, unknown>> => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
});
