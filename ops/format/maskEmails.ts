import { maskEmailsIn } from '#shared/logger';

/**
 * Masks every email address in a text (`j***@e***.com`): tables of queue messages show keys and
 * errors that may hold a recipient's address, and a terminal is often shared or recorded.
 * `--json` output keeps the data as it is. The same matching as the logs ({@link maskEmailsIn}).
 */
export const maskEmails = (text: string): string => maskEmailsIn(text);
