import * as z from 'zod';
import { emailKey } from './fixtures.ts';

/** One email in the emulator's SES store, as far as counting needs it. */
export interface StoredEmail {
  id: string;
  to: string[];
  /** `X-Herald-Release`. */
  release: string | undefined;
  /** `X-Herald-Point`. */
  point: string | undefined;
}

const motoSes = z.looseObject({
  ses: z
    .looseObject({
      RawMessage: z.array(z.looseObject({ id: z.string(), raw_data: z.string() })).default([]),
    })
    .optional(),
});

/** The header block of a raw MIME message, unfolded, as lower-case name → value (first wins). */
export const rawHeaders = (raw: string): Map<string, string> => {
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
};

const ADDRESS = /[^\s<>,"]+@[^\s<>,"]+/g;

/**
 * Every email moto's SES holds (`GET /moto-api/data.json`), headers only, parsed by hand: fast
 * enough for thousands of messages, unlike a full MIME parse. `keep` picks this run's emails
 * (the store is shared by every environment of the emulator).
 */
export const readStoredEmails = async (
  endpoint: string,
  keep: (email: StoredEmail) => boolean = () => true,
): Promise<StoredEmail[]> => {
  const response = await fetch(new URL('/moto-api/data.json', endpoint));
  if (!response.ok) throw new Error(`GET /moto-api/data.json answered ${response.status}`);
  const data = motoSes.parse(await response.json());
  const emails: StoredEmail[] = [];
  for (const message of data.ses?.RawMessage ?? []) {
    const headers = rawHeaders(message.raw_data);
    const email: StoredEmail = {
      id: message.id,
      to: (headers.get('to')?.match(ADDRESS) ?? []).map((a) => a.toLowerCase()),
      release: headers.get('x-herald-release'),
      point: headers.get('x-herald-point'),
    };
    if (keep(email)) emails.push(email);
  }
  return emails;
};

/** Sent emails against what was expected. */
export interface DeliveryCount {
  expected: number;
  /** Emails in the store for this run (duplicates included). */
  sent: number;
  /** Distinct expected emails sent. */
  distinct: number;
  /** Emails beyond the first of their (release, point, recipient). */
  duplicates: number;
  /** Expected emails never sent. */
  missing: number;
  /** Emails sent that were not expected at all. */
  unexpected: number;
}

/** Counts sent emails against the expected `(release, point, recipient)` keys. */
export const countDeliveries = (
  expected: ReadonlySet<string>,
  emails: readonly StoredEmail[],
): DeliveryCount => {
  const seen = new Map<string, number>();
  for (const email of emails) {
    for (const to of email.to) {
      const key = emailKey(email.release ?? '?', email.point ?? '?', to);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  let distinct = 0;
  let duplicates = 0;
  let unexpected = 0;
  for (const [key, n] of seen) {
    if (expected.has(key)) distinct += 1;
    else unexpected += n;
    duplicates += n - 1;
  }
  return {
    expected: expected.size,
    sent: emails.reduce((sum, e) => sum + e.to.length, 0),
    distinct,
    duplicates,
    missing: expected.size - distinct,
    unexpected,
  };
};
