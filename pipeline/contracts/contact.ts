import * as z from 'zod';
import { audienceName } from './issueScope.ts';
import { locale, timeZone } from './timeZone.ts';

/** Lower-cases and trims an address: the directory, ledger and opt-out keys all use this form. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** An email address; kept deliberately simple (SES is the final judge). */
export const emailAddress = z
  .string()
  .trim()
  .max(254, 'email address longer than 254 characters')
  .regex(/^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/, 'not an email address')
  .transform(normaliseEmail);

/** A client contact of one Jira project, as the client directory stores it. */
export const contact = z.object({
  email: emailAddress,
  /** Display name used in the greeting; optional. */
  name: z.string().trim().max(200).optional(),
  /**
   * Language of the emails this contact receives. No default here: when absent, enrich uses the
   * project's `policy.defaultLocale`.
   */
  locale: locale.optional(),
  /** Local time zone for send points; falls back to the project's policy time zone. */
  timeZone: timeZone.optional(),
  /** Never send to an opted-out contact. */
  optedOut: z.boolean().default(false),
  /**
   * The audience of the policy this contact belongs to. Default (absent) `all`; a name the policy
   * does not define falls back to `all` with a warning.
   */
  audience: audienceName.optional(),
});

/** A client contact. */
export type Contact = z.output<typeof contact>;

/** A recipient inside a message: what the compose and send stages need of a contact. */
export const recipient = z.object({
  email: emailAddress,
  name: z.string().max(200).optional(),
  locale: locale,
  /** The contact's audience; absent means `all`. */
  audience: audienceName.optional(),
});

/** A recipient inside a message. */
export type Recipient = z.output<typeof recipient>;
