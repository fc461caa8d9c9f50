import * as z from 'zod';
import { emailAddress } from './contact.ts';

/**
 * What a client email shows of the Jira issues it talks about:
 * - `none`: neither keys nor links (the default: clients rarely know or reach the vendor's Jira);
 * - `keys`: the plain keys (`ABC-12`) after each item, no links;
 * - `links`: each key linked through the policy's `linkTemplate` (a customer portal, a public
 *   changelog), never to the Jira site.
 * The draft record keeps the cited keys whatever the mode, for the checks and for reviewers.
 */
export const REFERENCE_MODES = ['none', 'keys', 'links'] as const;

/** One of {@link REFERENCE_MODES}. */
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

/** The placeholder a {@link linkTemplate} must contain; the issue key replaces it. */
export const LINK_TEMPLATE_KEY = '{key}';

/**
 * An https URL with `{key}` where the issue key goes, e.g.
 * `https://status.example.com/changes/{key}`: no credentials, at most 500 characters.
 */
export const linkTemplate = z
  .string()
  .trim()
  .max(500, 'link template longer than 500 characters')
  .superRefine((value, ctx) => {
    if (!value.includes(LINK_TEMPLATE_KEY)) {
      ctx.addIssue({ code: 'custom', message: `link template must contain ${LINK_TEMPLATE_KEY}` });
      return;
    }
    // No other braces: a draft's only `{{...}}` must be the template's own placeholders.
    if (/[{}]/.test(value.replaceAll(LINK_TEMPLATE_KEY, ''))) {
      ctx.addIssue({
        code: 'custom',
        message: `link template may hold no braces besides ${LINK_TEMPLATE_KEY}`,
      });
      return;
    }
    let url: URL;
    try {
      url = new URL(value.replaceAll(LINK_TEMPLATE_KEY, 'ABC-1'));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'link template is not an absolute URL' });
      return;
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'link template must be https' });
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'link template must not carry credentials' });
    }
  });

/** One line without control characters (header-safe). */
const oneLine = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} longer than ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    .regex(/^[^\u0000-\u001f\u007f]*$/, `${what} must be one line without control characters`);

/**
 * Who a project's emails come from, as the client sees it. The envelope sender (SENDER_EMAIL)
 * and the SES configuration set do not change.
 */
export const senderIdentity = z.object({
  /** Display name of the From header. Default the Jira project name + " releases". */
  fromName: oneLine(100, 'sender display name').optional(),
  /** Reply-To address (e.g. the account team). Default none: replies go to the From address. */
  replyTo: emailAddress.optional(),
  /** A last footer line, e.g. the company name and postal address. Default none. */
  footer: oneLine(300, 'footer line').optional(),
});

/** A project's sender identity. */
export type SenderIdentity = z.output<typeof senderIdentity>;

/** Suffix of the default From display name (`<project name> releases`). */
export const DEFAULT_FROM_NAME_SUFFIX = ' releases';
