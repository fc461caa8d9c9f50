import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { DEFAULT_SEND_POLICY } from '#contracts/sendPolicy';
import { OpsError, UsageError } from '#ops/cli/errors';
import {
  addContact,
  importContacts,
  listContacts,
  renderContacts,
  renderImport,
} from '#ops/commands/contacts';
import { FakeDirectory } from '#test/factories/FakeDirectory';

const CSV = [
  'email,name,locale,tz',
  'ada@example.com,Ada,en,Europe/London',
  'broken,Nobody,en,UTC',
  'bob@example.org,Bob,de,Europe/Berlin',
  'carl@example.net,Carl,en,Nowhere/City',
].join('\n');

describe('Function: importContacts', () => {
  it('stores the good rows and reports each bad row by line', async () => {
    // Arrange
    const directory = new FakeDirectory();
    const progress: number[] = [];

    // Act
    const result = await importContacts(
      directory,
      { name: 'contacts.csv', text: CSV },
      { project: 'SHOP', onProgress: (done) => progress.push(done) },
    );

    // Assert
    expect(result).toMatchObject({ rows: 4, valid: 2, imported: 2, dryRun: false });
    expect(result.rejected).toEqual([
      { line: 3, problems: ['email: not an email address'] },
      { line: 5, problems: [expect.stringContaining('unknown time zone "Nowhere/City"')] },
    ]);
    expect((await directory.listContacts('SHOP')).map((c) => c.email)).toEqual([
      'ada@example.com',
      'bob@example.org',
    ]);
    expect(progress).toEqual([1, 2]);
    expect(renderImport(result)).toBe(
      [
        'imported 2 of 4 row(s) from contacts.csv',
        'rejected 2 row(s):',
        '  line 3: email: not an email address',
        `  line 5: ${result.rejected[1]?.problems[0]}`,
      ].join('\n'),
    );
  });

  it('stores nothing on a dry run', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const result = await importContacts(
      directory,
      { name: 'c.csv', text: CSV },
      { project: 'SHOP', dryRun: true },
    );

    // Assert
    expect(result).toMatchObject({ valid: 2, imported: 0, dryRun: true });
    expect(await directory.listProjects()).toEqual([]);
  });

  it('names the line where the directory failed, keeping the rows stored before it', async () => {
    // Arrange
    const directory = new FakeDirectory();
    directory.failOn = 'bob@example.org';

    // Act
    const run = importContacts(directory, { name: 'c.csv', text: CSV }, { project: 'SHOP' });

    // Assert
    await expect(run).rejects.toThrow(OpsError);
    await expect(run).rejects.toThrow('import stopped at line 4 after 1 row(s) were stored');
    expect((await directory.listContacts('SHOP')).map((c) => c.email)).toEqual(['ada@example.com']);
  });
});

describe('Function: addContact', () => {
  it('says whether the address was already there', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const first = await addContact(directory, 'SHOP', { email: 'Ada@Example.com', optedOut: false });
    const second = await addContact(directory, 'SHOP', {
      email: 'ada@example.com',
      name: 'Ada',
      optedOut: false,
    });

    // Assert
    expect(first).toMatchObject({ replaced: false, contact: { email: 'ada@example.com' } });
    expect(second).toMatchObject({ replaced: true, contact: { name: 'Ada' } });
  });

  it('refuses a bad time zone with a ContractError and stores nothing', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const run = addContact(directory, 'SHOP', {
      email: 'ada@example.com',
      timeZone: 'Mars/Base',
      optedOut: false,
    });

    // Assert
    await expect(run).rejects.toThrow(ContractError);
    expect(await directory.listContacts('SHOP')).toEqual([]);
  });
});

describe('Function: listContacts', () => {
  it('lists every project’s contacts sorted, with project and global opt-outs', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await directory.putContact('SHOP', { email: 'zoe@example.com', optedOut: true });
    await directory.putContact('SHOP', { email: 'ada@example.com', name: 'Ada', optedOut: false });
    await directory.putContact('APP', { email: 'bob@example.org', locale: 'de', optedOut: false });
    await directory.optOut('bob@example.org', 'unsubscribe');

    // Act
    const views = await listContacts(directory);

    // Assert
    expect(views.map((v) => [v.project, v.email, v.optedOut, v.optedOutGlobally])).toEqual([
      ['APP', 'bob@example.org', false, true],
      ['SHOP', 'ada@example.com', false, false],
      ['SHOP', 'zoe@example.com', true, false],
    ]);
    // The audience column (issue 9): `all` when the contact names none.
    expect(renderContacts(views).split('\n')).toEqual([
      'PROJECT  EMAIL            NAME  LOCALE  TIME ZONE  OPTED OUT      AUDIENCE',
      'APP      bob@example.org  -     de      -          yes (global)   all',
      'SHOP     ada@example.com  Ada   -       -          no             all',
      'SHOP     zoe@example.com  -     -       -          yes (project)  all',
      '',
      '3 contact(s)',
    ]);
  });

  it('warns about a contact whose audience the policy no longer defines: it gets the emails of all', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await directory.putPolicy('SHOP', { ...DEFAULT_SEND_POLICY, audiences: [{ name: 'developers' }] });
    await directory.putContact('SHOP', { email: 'ada@example.com', optedOut: false, audience: 'developers' });
    await directory.putContact('SHOP', { email: 'bob@example.com', optedOut: false, audience: 'partners' });

    // Act
    const views = await listContacts(directory, 'SHOP');

    // Assert
    expect(views.map((v) => [v.email, v.audience, v.warning])).toEqual([
      ['ada@example.com', 'developers', undefined],
      ['bob@example.com', 'partners', 'audience "partners" is not in the policy: gets the emails of all'],
    ]);
    expect(renderContacts(views).split('\n').at(-1)).toBe(
      'warning: SHOP bob@example.com: audience "partners" is not in the policy: gets the emails of all',
    );
  });
});

describe('Function: addContact (audience)', () => {
  it('stores a contact in an audience the policy defines', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await directory.putPolicy('SHOP', { ...DEFAULT_SEND_POLICY, audiences: [{ name: 'developers' }] });

    // Act
    const result = await addContact(directory, 'SHOP', {
      email: 'ada@example.com',
      optedOut: false,
      audience: 'Developers',
    });

    // Assert
    expect(result.contact.audience).toBe('developers');
  });

  it('refuses an audience the policy does not define, naming the project and the field; stores nothing', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const run = addContact(directory, 'SHOP', {
      email: 'ada@example.com',
      optedOut: false,
      audience: 'partners',
    });

    // Assert
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/^audience: project SHOP defines no audience "partners"/);
    expect(await directory.listContacts('SHOP')).toEqual([]);
  });
});

describe('Function: importContacts (audience)', () => {
  it('reads the audience column and rejects, by line, rows whose audience the policy does not define', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await directory.putPolicy('SHOP', { ...DEFAULT_SEND_POLICY, audiences: [{ name: 'developers' }] });
    const csv = [
      'email,audience',
      'ada@example.com,developers',
      'bob@example.com,partners',
      'cy@example.com,',
    ].join('\n');

    // Act
    const result = await importContacts(directory, { name: 'c.csv', text: csv }, { project: 'SHOP' });

    // Assert
    expect(result).toMatchObject({ rows: 3, valid: 2, imported: 2 });
    expect(result.rejected).toEqual([
      { line: 3, problems: [expect.stringContaining('defines no audience "partners"')] },
    ]);
    expect((await directory.listContacts('SHOP')).map((c) => [c.email, c.audience])).toEqual([
      ['ada@example.com', 'developers'],
      ['cy@example.com', undefined],
    ]);
  });
});
