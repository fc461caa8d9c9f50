import * as z from 'zod';

/** The EventBridge `source` the webhook stage puts Jira events under. */
export const JIRA_EVENT_SOURCE = 'jira';

/**
 * An EventBridge event as an SQS target receives it: the webhook body is `detail`, the Jira
 * event name is `detail-type`. `detail` is validated by the ingest stage, not here, so that a
 * non-version event can be dropped rather than rejected.
 */
export const eventBridgeJiraEvent = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1, 'event id is required'),
  'detail-type': z.string().min(1, 'detail-type is required'),
  source: z.string().min(1, 'source is required'),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.record(z.string(), z.unknown(), { error: 'detail must be a JSON object' }),
});

/** A parsed EventBridge event carrying a Jira webhook. */
export type EventBridgeJiraEvent = z.output<typeof eventBridgeJiraEvent>;
