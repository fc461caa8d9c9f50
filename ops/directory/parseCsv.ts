import { UsageError } from '#ops/cli/errors';

/** One record of a CSV text. */
export interface CsvRecord {
  /** Line (1-based) the record starts on. */
  line: number;
  fields: string[];
  /** Why the record is malformed (a quote inside an unquoted field); its fields are then unreliable. */
  error?: string | undefined;
}

/**
 * Parses CSV (RFC 4180): comma-separated fields, records ended by LF, CRLF or CR, fields in
 * double quotes may hold commas, line breaks and `""` for a quote. A leading byte order mark is
 * dropped and blank lines are skipped. Fields are returned as written (not trimmed).
 * @throws UsageError naming the line when a quoted field is never closed (the rest of the file
 *   cannot be read).
 */
export const parseCsv = (input: string): CsvRecord[] => {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let error: string | undefined;
  let quoted = false;
  let quoteLine = 0;
  let fieldStarted = false;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '' && error === undefined;
    if (!blank) records.push({ line: recordLine, fields, ...(error !== undefined ? { error } : {}) });
    fields = [];
    error = undefined;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (!fieldStarted && field === '') {
        quoted = true;
        quoteLine = line;
        fieldStarted = true;
      } else {
        error ??= `line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`;
        field += ch;
      }
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new UsageError(`CSV line ${quoteLine}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
};
