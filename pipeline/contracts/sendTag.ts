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

/** A value as an SES message tag accepts it: `[A-Za-z0-9_-]` (others become `_`), at most 256 characters. */
export const sesTagValue = (value: string): string =>
  value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
