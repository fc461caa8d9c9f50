import { describe, expect, it } from 'vitest';
import { UsageError } from '#ops/cli/errors';
import { readContactCsv } from '#ops/directory/contactCsv';

describe('Function: readContactCsv', () => {
  it('reads the columns by header name in any order, with aliases, normalising each contact', () => {
    // Arrange
    const text =
      'Name,E-Mail Address,TZ,Locale,Opted_Out,project\nAda, Ada@Example.COM ,Europe/London,en,yes,shop\n';

    // Act
    const csv = readContactCsv(text);

    // Assert
    expect(csv.rejected).toEqual([]);
    expect(csv.rows).toEqual([
      {
        line: 2,
        project: 'SHOP',
        contact: {
          email: 'ada@example.com',
          name: 'Ada',
          locale: 'en',
          timeZone: 'Europe/London',
          optedOut: true,
        },
      },
    ]);
  });

  it('uses the default project for rows without one and leaves empty optional fields out', () => {
    // Act
    const csv = readContactCsv('email,name,locale\nbob@example.org,,\n', 'SHOP');

    // Assert
    expect(csv.rows).toEqual([
      { line: 2, project: 'SHOP', contact: { email: 'bob@example.org', optedOut: false } },
    ]);
  });

  it('rejects bad rows by line with every problem and keeps the good rows', () => {
    // Arrange
    const text = [
      'email,name,locale,timeZone,optedOut',
      'ada@example.com,Ada,en,Europe/London,no', // 2 good
      'not-an-email,Bad,en,UTC,no', // 3 bad email
      'carl@example.net,Carl,english!,Mars/Olympus,maybe', // 4 three problems
      'dora@example.com,Dora', // 5 too few fields
      'ADA@example.com,Ada again,en,UTC,no', // 6 duplicate of 2
      'eve@example.org,Eve,de,Europe/Berlin,1', // 7 good
    ].join('\n');

    // Act
    const csv = readContactCsv(text, 'SHOP');

    // Assert
    expect(csv.total).toBe(6);
    expect(csv.rows.map((r) => [r.line, r.contact.email])).toEqual([
      [2, 'ada@example.com'],
      [7, 'eve@example.org'],
    ]);
    expect(csv.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6]);
    expect(csv.rejected[0]?.problems).toEqual(['email: not an email address']);
    expect(csv.rejected[1]?.problems).toHaveLength(3);
    expect(csv.rejected[1]?.problems.join('\n')).toMatch(/optedOut: "maybe"/);
    expect(csv.rejected[1]?.problems.join('\n')).toMatch(/locale: /);
    expect(csv.rejected[1]?.problems.join('\n')).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(csv.rejected[2]?.problems).toEqual(['has 2 field(s); the header has 5']);
    expect(csv.rejected[3]?.problems).toEqual(['duplicate of line 2 (SHOP, same email)']);
  });

  it('rejects a row whose project is not a Jira project key', () => {
    // Act
    const csv = readContactCsv('email,project\nada@example.com,1shop\n');

    // Assert
    expect(csv.rejected).toEqual([{ line: 2, problems: ['project: "1SHOP" is not a Jira project key'] }]);
  });

  it.each([
    ['an unknown column', 'email,nmae\n', 'unknown column "nmae"'],
    ['a repeated column', 'email,tz,timezone\n', 'column timeZone appears twice'],
    ['no email column', 'name,locale\n', 'the header has no email column'],
    ['an empty file', '', 'the CSV file is empty'],
  ])('throws a UsageError for %s', (_, text, message) => {
    // Act
    const read = () => readContactCsv(text, 'SHOP');

    // Assert
    expect(read).toThrow(UsageError);
    expect(read).toThrow(message);
  });

  it('throws a UsageError when there is neither a project column nor a default project', () => {
    // Act
    const read = () => readContactCsv('email\nada@example.com\n');

    // Assert
    expect(read).toThrow('the CSV has no project column: give --project');
  });
});
