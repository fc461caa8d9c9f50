import { describe, expect, it } from 'vitest';
import { UsageError } from '#ops/cli/errors';
import { parseCsv } from '#ops/directory/parseCsv';

describe('Function: parseCsv', () => {
  it.each([
    {
      behaviour: 'splits records on LF, CRLF and CR and numbers each by the line it starts on',
      text: 'a,b\nc,d\r\ne,f\rg,h',
      expected: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
        { line: 3, fields: ['e', 'f'] },
        { line: 4, fields: ['g', 'h'] },
      ],
    },
    {
      behaviour:
        'reads quoted fields with commas, doubled quotes and line breaks, keeping later line numbers right',
      text: 'email,name\n"ada@example.com","Lovelace, ""Ada""\nCountess"\nbob@example.com,Bob\n',
      expected: [
        { line: 1, fields: ['email', 'name'] },
        { line: 2, fields: ['ada@example.com', 'Lovelace, "Ada"\nCountess'] },
        { line: 4, fields: ['bob@example.com', 'Bob'] },
      ],
    },
  ])('$behaviour', ({ text, expected }) => {
    // Act
    const records = parseCsv(text);

    // Assert
    expect(records).toEqual(expected);
  });

  it('drops a byte order mark and skips blank lines without losing their line numbers', () => {
    // Arrange
    const text = '\uFEFFemail\n\nada@example.com\n\n\nbob@example.com\n';

    // Act
    const records = parseCsv(text);

    // Assert
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'email'],
      [3, 'ada@example.com'],
      [6, 'bob@example.com'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    // Act
    const records = parseCsv('a,,c,\n');

    // Assert
    expect(records).toEqual([{ line: 1, fields: ['a', '', 'c', ''] }]);
  });

  it('marks a record with a quote inside an unquoted field and goes on with the next one', () => {
    // Act
    const records = parseCsv('email,name\nada@example.com,Ada "the first"\nbob@example.com,Bob');

    // Assert
    expect(records[1]?.error).toMatch(/line 2: a quote inside an unquoted field/);
    expect(records[2]).toEqual({ line: 3, fields: ['bob@example.com', 'Bob'] });
  });

  it('throws a UsageError naming the line of a quoted field that is never closed', () => {
    // Act
    const parse = () => parseCsv('email,name\nada@example.com,Ada\nbob@example.com,"Bob\n');

    // Assert
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow('CSV line 3: a quoted field is never closed');
  });
});
