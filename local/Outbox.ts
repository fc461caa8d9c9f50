import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import * as z from 'zod';
import { LocalStackError } from './errors.ts';

/** One email the emulator's SES accepted, parsed from the raw MIME it kept. */
export interface OutboxEmail {
  /** SES message id. */
  id: string;
  from: string;
  to: string[];
  subject: string;
  /** Header name (lower-case) → value, as sent. */
  headers: Record<string, string>;
  html: string | undefined;
  text: string | undefined;
  /** The whole MIME message, exactly as SES received it. */
  raw: string;
  /** Display name of the From header (decoded), `''` when there is none. */
  fromName: string;
  /** Reply-To addresses, none when absent. */
  replyTo: string[];
}

const motoSesData = z.looseObject({
  ses: z
    .looseObject({
      RawMessage: z
        .array(z.looseObject({ id: z.string(), source: z.string().optional(), raw_data: z.string() }))
        .default([]),
    })
    .optional(),
});

const headerText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toUTCString();
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (value && typeof value === 'object' && 'value' in value)
    return String((value as { value: unknown }).value);
  return JSON.stringify(value);
};

/** Parses one raw MIME message into an {@link OutboxEmail}. */
export const parseRawEmail = async (id: string, raw: string): Promise<OutboxEmail> => {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const addresses = (field: typeof parsed.to): string[] =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) {
    const colon = line.line.indexOf(':');
    headers[line.key] =
      colon >= 0 ? line.line.slice(colon + 1).trim() : headerText(parsed.headers.get(line.key));
  }
  return {
    id,
    from: parsed.from?.value[0]?.address ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    headers,
    html: typeof parsed.html === 'string' ? parsed.html : undefined,
    text: parsed.text,
    raw,
    fromName: parsed.from?.value[0]?.name ?? '',
    replyTo: addresses(parsed.replyTo),
  };
};

/**
 * Reads every raw email the moto emulator's SES holds (`GET /moto-api/data.json`). Only moto
 * exposes sent mail; other emulators answer with an error naming the endpoint.
 */
export const readOutbox = async (endpoint: string): Promise<OutboxEmail[]> => {
  const url = new URL('/moto-api/data.json', endpoint);
  let body: unknown;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (cause) {
    throw new LocalStackError(`cannot read sent emails from ${url} (only moto server exposes them)`, {
      cause,
    });
  }
  const data = motoSesData.parse(body);
  return Promise.all((data.ses?.RawMessage ?? []).map((m) => parseRawEmail(m.id, m.raw_data)));
};

const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 50)
    .toLowerCase() || 'email';

/**
 * Writes emails into `dir` as `<n>-<subject>.eml` (the raw MIME, opens in any mail client) and
 * `<n>-<subject>.html` (the HTML part), skipping ids already in `written`.
 * @returns the paths of the new .eml files, in order.
 */
export const writeOutbox = async (
  dir: string,
  emails: readonly OutboxEmail[],
  written: Set<string> = new Set(),
): Promise<string[]> => {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const email of emails) {
    if (written.has(email.id)) continue;
    written.add(email.id);
    const base = join(
      dir,
      `${String(written.size).padStart(3, '0')}-${slug(email.subject)}-${slug(email.to[0] ?? '')}`,
    );
    await writeFile(`${base}.eml`, email.raw);
    if (email.html !== undefined) await writeFile(`${base}.html`, email.html);
    paths.push(`${base}.eml`);
  }
  return paths;
};
