import { readFile } from 'node:fs/promises';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { type Contact, contact, normaliseEmail } from '#contracts/contact';
import { parseContract } from '#contracts/errors';
import { OpsError, UsageError } from '#ops/cli/errors';
import { EXIT_CODES, type ExitCode } from '#ops/cli/exitCodes';
import type { OpsContext } from '#ops/cli/OpsContext';
import type { Progress } from '#ops/cli/progress';
import { renderTable } from '#ops/cli/table';
import { type RejectedRow, readContactCsv } from '#ops/directory/contactCsv';
import { audienceWarning, projectAudiences, unknownAudienceProblem } from '#ops/directory/audienceCheck';
import { directoryOf } from '#ops/directory/directoryOf';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { mapLimit } from '#shared/mapLimit';

/** A contact as `herald contacts list` shows it. */
export interface ContactView extends Contact {
  project: string;
  /** True when the address opted out everywhere (unsubscribe link, bounce, `clients optout`). */
  optedOutGlobally: boolean;
  /** Set when the contact's audience is not in the project's policy (it falls back to `all`). */
  warning?: string | undefined;
}

/** GetItem calls in flight at once while checking global opt-outs. */
const OPT_OUT_CONCURRENCY = 8;

/** The contacts of one project, or of every project, with their global opt-out state. */
export const listContacts = async (directory: DirectoryPort, project?: string): Promise<ContactView[]> => {
  const projects = project !== undefined ? [project] : await directory.listProjects();
  const views: ContactView[] = [];
  for (const key of projects) {
    const contacts = await directory.listContacts(key);
    const policy = (await directory.getPolicy(key)) ?? DEFAULT_SEND_POLICY;
    const global = await mapLimit(contacts, OPT_OUT_CONCURRENCY, (c) => directory.isOptedOut(c.email));
    views.push(
      ...contacts.map((c, i) => {
        const warning = audienceWarning(policy, c.audience);
        return { project: key, ...c, optedOutGlobally: global[i] === true, ...(warning ? { warning } : {}) };
      }),
    );
  }
  return views.sort((a, b) => a.project.localeCompare(b.project) || a.email.localeCompare(b.email));
};

/**
 * Adds or replaces a contact; resolves to whether one with that address was there before.
 * @throws UsageError (exit 2) naming the project and the `audience` field when the project's
 *   policy does not define the contact's audience; nothing is stored.
 */
export const addContact = async (
  directory: DirectoryPort,
  project: string,
  input: Contact,
): Promise<{ project: string; contact: Contact; replaced: boolean }> => {
  const parsed = parseContract('contact', contact, input);
  const problem = unknownAudienceProblem(
    project,
    parsed.audience,
    await projectAudiences(directory)(project),
  );
  if (problem !== undefined) throw new UsageError(problem);
  const existing = await directory.getContact(project, parsed.email);
  await directory.putContact(project, parsed);
  return { project, contact: parsed, replaced: existing !== null };
};

/** What `herald contacts import` did. */
export interface ImportResult {
  file: string;
  /** Data rows in the file. */
  rows: number;
  /** Rows stored (0 on a dry run). */
  imported: number;
  /** Good rows (stored unless a dry run). */
  valid: number;
  rejected: RejectedRow[];
  dryRun: boolean;
}

/**
 * Imports a contacts CSV ({@link readContactCsv}): every good row is stored (added or replaced),
 * every bad row reported by line; bad rows never stop the good ones.
 * @throws OpsError naming the line when the directory fails mid-way (rows before it are stored).
 */
export const importContacts = async (
  directory: DirectoryPort,
  file: { name: string; text: string },
  options: {
    project?: string | undefined;
    dryRun?: boolean | undefined;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportResult> => {
  const csv = readContactCsv(file.text, options.project);
  // A row whose audience its project's policy does not define is rejected like any bad row.
  const audiences = projectAudiences(directory);
  for (const row of [...csv.rows]) {
    const problem = unknownAudienceProblem(row.project, row.contact.audience, await audiences(row.project));
    if (problem === undefined) continue;
    csv.rows.splice(csv.rows.indexOf(row), 1);
    csv.rejected.push({ line: row.line, problems: [problem] });
  }
  csv.rejected.sort((a, b) => a.line - b.line);
  let imported = 0;
  if (!options.dryRun) {
    for (const row of csv.rows) {
      try {
        await directory.putContact(row.project, row.contact);
      } catch (err) {
        throw new OpsError(`import stopped at line ${row.line} after ${imported} row(s) were stored`, {
          cause: err,
        });
      }
      imported++;
      options.onProgress?.(imported, csv.rows.length);
    }
  }
  return {
    file: file.name,
    rows: csv.total,
    imported,
    valid: csv.rows.length,
    rejected: csv.rejected,
    dryRun: options.dryRun === true,
  };
};

/** `herald contacts list` as text. */
export const renderContacts = (views: readonly ContactView[]): string => {
  if (views.length === 0) return 'no contacts';
  return [
    renderTable(
      ['project', 'email', 'name', 'locale', 'time zone', 'opted out', 'audience'],
      views.map((v) => [
        v.project,
        v.email,
        v.name,
        v.locale,
        v.timeZone,
        v.optedOut ? 'yes (project)' : v.optedOutGlobally ? 'yes (global)' : 'no',
        v.warning ? `${v.audience} (!)` : (v.audience ?? 'all'),
      ]),
    ),
    '',
    `${views.length} contact(s)`,
    ...views.filter((v) => v.warning).map((v) => `warning: ${v.project} ${v.email}: ${v.warning}`),
  ].join('\n');
};

/** `herald contacts import` as text. */
export const renderImport = (result: ImportResult): string => {
  const lines = [
    result.dryRun
      ? `dry run: ${result.valid} of ${result.rows} row(s) of ${result.file} are valid; nothing was stored`
      : `imported ${result.imported} of ${result.rows} row(s) from ${result.file}`,
  ];
  if (result.rejected.length > 0) {
    lines.push(`rejected ${result.rejected.length} row(s):`);
    for (const row of result.rejected) lines.push(`  line ${row.line}: ${row.problems.join('; ')}`);
  }
  return lines.join('\n');
};

/** Options of `herald contacts list`. */
export interface ContactListOptions {
  project?: string | undefined;
  json?: boolean | undefined;
}

/** `herald contacts list`. */
export const listAction = async (ctx: OpsContext, options: ContactListOptions): Promise<ExitCode> => {
  const views = await listContacts(directoryOf(ctx), options.project);
  if (options.json) ctx.output.json({ contacts: views });
  else ctx.output.out(renderContacts(views));
  return EXIT_CODES.ok;
};

/** Options of `herald contacts add`. */
export interface ContactAddOptions {
  name?: string | undefined;
  locale?: string | undefined;
  tz?: string | undefined;
  optedOut?: boolean | undefined;
  audience?: string | undefined;
  json?: boolean | undefined;
}

/** `herald contacts add`: a bad locale or time zone is a ContractError (exit 2). */
export const addAction = async (
  ctx: OpsContext,
  project: string,
  email: string,
  options: ContactAddOptions,
): Promise<ExitCode> => {
  const result = await addContact(directoryOf(ctx), project, {
    email,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    ...(options.tz !== undefined ? { timeZone: options.tz } : {}),
    optedOut: options.optedOut === true,
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
  });
  if (options.json) ctx.output.json(result);
  else ctx.output.out(`${result.replaced ? 'updated' : 'added'} ${result.contact.email} in ${project}`);
  return EXIT_CODES.ok;
};

/** `herald contacts remove`: exit 1 when there is no such contact. */
export const removeAction = async (
  ctx: OpsContext,
  project: string,
  email: string,
  options: { json?: boolean | undefined },
): Promise<ExitCode> => {
  const removed = await directoryOf(ctx).removeContact(project, email);
  if (!removed) throw new OpsError(`${project} has no contact ${email}`);
  if (options.json) ctx.output.json({ project, email, removed });
  else ctx.output.out(`removed ${email} from ${project}`);
  return EXIT_CODES.ok;
};

/** Options of `herald contacts import`. */
export interface ContactImportOptions {
  project?: string | undefined;
  dryRun?: boolean | undefined;
  json?: boolean | undefined;
}

/** `herald contacts import`: exit 3 when rows were rejected, 2 when the file cannot be read. */
export const importAction = async (
  ctx: OpsContext,
  file: string,
  options: ContactImportOptions,
): Promise<ExitCode> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  let progress: Progress | undefined;
  const result = await importContacts(
    directoryOf(ctx),
    { name: file, text },
    {
      project: options.project,
      dryRun: options.dryRun,
      onProgress: (done, total) => {
        progress ??= ctx.progress('import', total);
        progress.update(done, total);
      },
    },
  ).finally(() => progress?.stop());
  if (options.json) ctx.output.json(result);
  else ctx.output.out(renderImport(result));
  return result.rejected.length > 0 ? EXIT_CODES.attention : EXIT_CODES.ok;
};

/** Options of `herald contacts optout`. */
export interface ContactOptOutOptions {
  reason: string;
  json?: boolean | undefined;
}

/** `herald contacts optout`. */
export const optOutAction = async (
  ctx: OpsContext,
  email: string,
  options: ContactOptOutOptions,
): Promise<ExitCode> => {
  await directoryOf(ctx).optOut(normaliseEmail(email), options.reason);
  if (options.json) ctx.output.json({ email, optedOut: true, reason: options.reason });
  else ctx.output.out(`opted out ${email} everywhere`);
  return EXIT_CODES.ok;
};
