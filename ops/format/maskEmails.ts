import { maskEmail } from '#shared/logger';

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;

/**
 * Masks every email address in a text (`j***@e***.com`): tables of queue messages show keys and
 * errors that may hold a recipient's address, and a terminal is often shared or recorded.
 * `--json` output keeps the data as it is.
 */
export const maskEmails = (text: string): string => text.replace(EMAIL, (email) => maskEmail(email));
