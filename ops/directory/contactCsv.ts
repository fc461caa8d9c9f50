import { type Contact, contact } from '#contracts/contact';
import { describeIssues } from '#contracts/errors';
import { UsageError } from '#ops/cli/errors';
import { parseCsv } from './parseCsv.ts';

/** Jira project keys, as the directory stores them. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,19}$/;

/** The columns a contacts CSV may have (header names, case and `_`/`-`/space insensitive). */
export const CONTACT_CSV_COLUMNS = [
  'email',
  'project',
  'name',
  'locale',
  'timeZone',
  'optedOut',
  'audience',
] as const;

/** One of {@link CONTACT_CSV_COLUMNS}. */
export type ContactCsvColumn = (typeof CONTACT_CSV_COLUMNS)[number];

const ALIASES: Record<string, ContactCsvColumn> = {
  email: 'email',
  emailaddress: 'email',
  project: 'project',
  projectkey: 'project',
  name: 'name',
  locale: 'locale',
  language: 'locale',
  timezone: 'timeZone',
  tz: 'timeZone',
  optedout: 'optedOut',
  optout: 'optedOut',
  audience: 'audience',
};

const normaliseHeader = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

/** A good row: the contact to store and its project. */
export interface ContactRow {
  /** Line of the CSV the row starts on (1 is the header). */
  line: number;
  project: string;
  contact: Contact;
}

/** A rejected row and every problem found in it. */
export interface RejectedRow {
  line: number;
  problems: string[];
}

/** What a contacts CSV holds. */
export interface ContactCsv {
  /** Data rows read (good and rejected). */
  total: number;
  rows: ContactRow[];
  rejected: RejectedRow[];
}

/**
 * Reads a contacts CSV: a header row naming the columns (`email` required; `project`, `name`,
 * `locale`, `timeZone`/`tz`, `optedOut`, `audience` optional; order free), then one contact per row. Each row
 * is checked with the contact contract; a bad row is rejected with every problem, by line, and
 * the good rows are kept. A second row for the same project and email is rejected as a duplicate.
 * @param defaultProject project of rows without a `project` value (`--project`).
 * @throws UsageError when the header is unusable (no `email`, an unknown or repeated column, no
 *   project column and no default project) or a quoted field is never closed.
 */
export const readContactCsv = (text: string, defaultProject?: string): ContactCsv => {
  const [header, ...records] = parseCsv(text);
  if (header === undefined)
    throw new UsageError('the CSV file is empty; expected a header row such as email,name,locale');
  const columns = header.fields.map((name) => {
    const column = ALIASES[normaliseHeader(name)];
    if (column === undefined) {
      throw new UsageError(
        `CSV line ${header.line}: unknown column "${name.trim()}"; expected ${CONTACT_CSV_COLUMNS.join(', ')}`,
      );
    }
    return column;
  });
  for (const column of new Set(columns)) {
    if (columns.indexOf(column) !== columns.lastIndexOf(column)) {
      throw new UsageError(`CSV line ${header.line}: column ${column} appears twice`);
    }
  }
  if (!columns.includes('email'))
    throw new UsageError(`CSV line ${header.line}: the header has no email column`);
  if (!columns.includes('project') && defaultProject === undefined) {
    throw new UsageError('the CSV has no project column: give --project');
  }

  const rows: ContactRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const problems: string[] = [];
    if (record.error !== undefined) problems.push(record.error.replace(/^line \d+: /, ''));
    if (record.fields.length !== columns.length) {
      problems.push(`has ${record.fields.length} field(s); the header has ${columns.length}`);
    }
    const value = (column: ContactCsvColumn): string | undefined => {
      const index = columns.indexOf(column);
      const v = index >= 0 ? record.fields[index]?.trim() : undefined;
      return v === '' ? undefined : v;
    };
    const project = (value('project') ?? defaultProject ?? '').toUpperCase();
    if (!PROJECT_KEY.test(project)) problems.push(`project: "${project}" is not a Jira project key`);
    const optedOutText = (value('optedOut') ?? '').toLowerCase();
    if (!TRUE.has(optedOutText) && !FALSE.has(optedOutText)) {
      problems.push(`optedOut: "${optedOutText}" is not yes/no/true/false/1/0`);
    }
    const parsed = contact.safeParse({
      email: value('email') ?? '',
      name: value('name'),
      locale: value('locale'),
      timeZone: value('timeZone'),
      optedOut: TRUE.has(optedOutText),
      audience: value('audience'),
    });
    if (!parsed.success) problems.push(...describeIssues(parsed.error));
    if (problems.length === 0 && parsed.success) {
      const key = `${project}/${parsed.data.email}`;
      const first = seen.get(key);
      if (first !== undefined) problems.push(`duplicate of line ${first} (${project}, same email)`);
      else seen.set(key, record.line);
    }
    if (problems.length > 0 || !parsed.success) rejected.push({ line: record.line, problems });
    else rows.push({ line: record.line, project, contact: parsed.data });
  }
  return { total: records.length, rows, rejected };
};
