import * as z from 'zod';

/** Every Jira Cloud webhook event about a version (a "release"). */
export const VERSION_EVENTS = [
  'jira:version_created',
  'jira:version_updated',
  'jira:version_released',
  'jira:version_unreleased',
  'jira:version_deleted',
  'jira:version_moved',
  'jira:version_merged',
] as const;

/** One of {@link VERSION_EVENTS}. */
export type VersionEvent = (typeof VERSION_EVENTS)[number];

/** Jira's `yyyy-mm-dd` date with no time and no zone. */
export const jiraDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as yyyy-mm-dd')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'not a calendar date');

/** A numeric Jira id; Jira sends ids as strings, some tools send numbers. */
export const jiraId = z.union([
  z.string().regex(/^\d{1,18}$/, 'expected a numeric id'),
  z
    .number()
    .int()
    .nonnegative()
    .transform((n) => String(n)),
]);

/** The `version` object of a version webhook. Unknown fields are kept (Jira adds fields over time). */
export const jiraWebhookVersion = z.looseObject({
  self: z.string().optional(),
  id: jiraId,
  name: z.string().max(255, 'version name longer than 255 characters').optional(),
  description: z.string().optional(),
  archived: z.boolean().optional(),
  released: z.boolean().optional(),
  releaseDate: jiraDate.optional(),
  userReleaseDate: z.string().optional(),
  startDate: jiraDate.optional(),
  projectId: jiraId,
  overdue: z.boolean().optional(),
});

/** The body Jira Cloud POSTs for a version event. */
export const jiraVersionWebhook = z.looseObject({
  timestamp: z.number().int().nonnegative('timestamp must be epoch milliseconds'),
  webhookEvent: z.enum(VERSION_EVENTS, {
    error: () => `webhookEvent must be one of ${VERSION_EVENTS.join(', ')}`,
  }),
  version: jiraWebhookVersion,
  /** `_merged` names the version merged into; `_moved` may carry neighbours. Kept loose. */
  mergedTo: z.unknown().optional(),
});

/** A parsed Jira version webhook. */
export type JiraVersionWebhook = z.output<typeof jiraVersionWebhook>;

/** True when a loose webhook body looks like a version event (cheap pre-check before parsing). */
export const isVersionEventName = (value: unknown): value is VersionEvent =>
  typeof value === 'string' && (VERSION_EVENTS as readonly string[]).includes(value);
