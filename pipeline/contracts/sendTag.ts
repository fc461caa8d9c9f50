import { createHash } from 'node:crypto';

/**
 * Name of the SES message tag that carries an email's ledger key (`herald-send`). SES publishes
 * it back in every event of the email (`detail.mail.tags['herald-send']`), which is how the
 * feedback stage files SES's events under the send they belong to.
 */
export const SEND_TAG_NAME = 'herald-send';

/**
 * The SES tag value of a send key: the SHA-256 of the key, base64url (43 characters of
 * `[A-Za-z0-9_-]`, which every SES tag value accepts). A send key holds an email address and may
 * be longer than SES's 256-character limit, so it is not sent as it is; the ledger stores this
 * value on the send row (`sesTag`) to map it back.
 */
export const sendTag = (sendKey: string): string => createHash('sha256').update(sendKey).digest('base64url');

/** SES's limit on a message tag's name and value, characters. */
export const MAX_SES_TAG_LENGTH = 256;

/**
 * A tag name or value as SES accepts it: every character outside `[A-Za-z0-9_-]` made `_`, cut
 * to {@link MAX_SES_TAG_LENGTH} characters. May be empty (SES refuses an empty tag: drop it).
 */
export const sesTagText = (value: string): string =>
  value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_SES_TAG_LENGTH);

/**
 * Name of the SES message tag saying what an email is (`review` for an approver's review email;
 * absent on contacts' emails): the feedback stage files a review email's bounce as an approver
 * bounce.
 */
export const KIND_TAG_NAME = 'herald-kind';
