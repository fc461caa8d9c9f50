import { resolve } from 'node:path';
import { type OutboxEmail, readOutbox, writeOutbox } from '#local/Outbox';
import { UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import { renderTable } from '#ops/cli/table';
import { pointLabel } from '#ops/format/pointLabel';

/** Filters of {@link filterOutbox}. */
export interface OutboxFilter {
  /** Only emails to this address. */
  to?: string | undefined;
  /** Only emails of this release (`X-Herald-Release`). */
  release?: string | undefined;
  /** Only emails whose subject contains this (case-insensitive). */
  subject?: string | undefined;
  /** Only the last N. */
  limit?: number | undefined;
}

/** An email as `herald outbox --json` prints it (the raw MIME is left out; `--out` writes it). */
export interface OutboxView {
  id: string;
  from: string;
  to: string[];
  subject: string;
  release: string | undefined;
  point: string | undefined;
  source: string | undefined;
  headers: Record<string, string>;
  text: string | undefined;
  html: string | undefined;
}

/** The emails matching every filter, in the order the emulator holds them (oldest first). */
export const filterOutbox = (emails: readonly OutboxEmail[], filter: OutboxFilter): OutboxEmail[] => {
  const subject = filter.subject?.toLowerCase();
  const matching = emails.filter(
    (e) =>
      (filter.to === undefined || e.to.some((address) => address.toLowerCase() === filter.to)) &&
      (filter.release === undefined || e.headers['x-herald-release'] === filter.release) &&
      (subject === undefined || e.subject.toLowerCase().includes(subject)),
  );
  return filter.limit === undefined ? matching : matching.slice(-filter.limit);
};

/** The JSON view of an email. */
export const outboxViewOf = (email: OutboxEmail): OutboxView => ({
  id: email.id,
  from: email.from,
  to: email.to,
  subject: email.subject,
  release: email.headers['x-herald-release'],
  point: email.headers['x-herald-point'],
  source: email.headers['x-herald-draft-source'],
  headers: email.headers,
  text: email.text,
  html: email.html,
});

/** `herald outbox` as text. */
export const renderOutbox = (emails: readonly OutboxEmail[]): string => {
  if (emails.length === 0) return 'no emails';
  return [
    renderTable(
      ['#', 'to', 'subject', 'release', 'point', 'written by'],
      emails.map((e, i) => [
        i + 1,
        e.to.join(', '),
        e.subject,
        e.headers['x-herald-release'],
        e.headers['x-herald-point'] === undefined ? undefined : pointLabel(e.headers['x-herald-point']),
        e.headers['x-herald-draft-source'],
      ]),
      ['right'],
    ),
    '',
    `${emails.length} email(s)`,
  ].join('\n');
};

/** Options of `herald outbox`. */
export interface OutboxOptions extends OutboxFilter {
  out?: string | undefined;
  json?: boolean | undefined;
}

/** `herald outbox`: exit 2 without an emulator endpoint. */
export const outboxAction = async (ctx: OpsContext, options: OutboxOptions): Promise<ExitCode> => {
  const endpoint = ctx.aws.endpoint;
  if (endpoint === undefined) {
    throw new UsageError('outbox reads the local emulator: give --endpoint (or set AWS_ENDPOINT_URL)');
  }
  const emails = filterOutbox(await readOutbox(endpoint), options);
  const written = options.out === undefined ? [] : await writeOutbox(resolve(options.out), emails);
  if (options.json) ctx.output.json({ emails: emails.map(outboxViewOf), written });
  else {
    ctx.output.out(renderOutbox(emails));
    if (options.out !== undefined) ctx.output.out(`wrote ${written.length} email(s) to ${options.out}`);
  }
  return EXIT_CODES.ok;
};
