import { describe, expect, it } from 'vitest';
import { JiraUnavailableError } from '#adapters/jira/errors';
import type { JqlCheck, JqlValidator } from '#adapters/jira/JiraPort';
import { ContractError } from '#contracts/errors';
import { OpsError, UsageError } from '#ops/cli/errors';
import { removeAudience, renderPolicy, setAudience, setPolicy, showPolicy } from '#ops/commands/policy';
import { FakeDirectory } from '#test/factories/FakeDirectory';

describe('Function: showPolicy', () => {
  it('shows the default policy for a project without one, marked as such', async () => {
    // Act
    const view = await showPolicy(new FakeDirectory(), 'SHOP');

    // Assert
    expect(view).toMatchObject({ isDefault: true, points: ['-7d@09:00', '-1d@09:00', '0d@09:00'] });
    expect(renderPolicy(view)).toContain('SHOP (no policy stored: the default applies)');
  });
});

describe('Function: setPolicy', () => {
  it('changes only what is named, starting from the stored policy', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await setPolicy(directory, 'SHOP', { points: '-7d@09:00,-1d@09:00,0d@09:00', timeZone: 'Europe/Berlin' });

    // Act
    const { before, after } = await setPolicy(directory, 'SHOP', { defaultLocale: 'de', onRelease: true });

    // Assert
    expect(before.policy.timeZone).toBe('Europe/Berlin');
    expect(after).toMatchObject({
      isDefault: false,
      points: ['-7d@09:00', '-1d@09:00', '0d@09:00'],
      policy: { timeZone: 'Europe/Berlin', defaultLocale: 'de', onRelease: true },
    });
    expect(directory.policies.get('SHOP')).toEqual(after.policy);
    expect(renderPolicy(after).split('\n')).toEqual([
      'project           SHOP',
      'points            -7d@09:00, -1d@09:00, 0d@09:00',
      'time zone         Europe/Berlin',
      'default locale    de',
      'on release        yes',
      'min coverage      default (0.8 up to 30 issues)',
      'verify grounding  no',
      'scope             (level IS EMPTY) AND (labels IS EMPTY OR labels NOT IN (internal, no-release-notes)) (default)',
      'release note      (none)',
      'audiences         all',
      'references        none',
      'from name         (project name + " releases")',
      'reply-to          (none)',
      'footer            (none)',
      'approval          off (emails go out unreviewed)',
      'max lateness      6h (default)',
      'catch up          now (default)',
      "notify            (none: no owners' summary)",
    ]);
  });

  it('stores the owners of --notify, removes them with an empty list, and shows them', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const { after } = await setPolicy(directory, 'SHOP', {
      notify: ' owner@example.com, lead@example.org,owner@example.com',
    });
    const { after: cleared } = await setPolicy(directory, 'SHOP', { notify: '' });

    // Assert
    expect(after.policy.notify).toEqual(['owner@example.com', 'lead@example.org']);
    expect(renderPolicy(after)).toMatch(/notify\s+owner@example\.com, lead@example\.org$/);
    expect(cleared.policy.notify).toBeUndefined();
    expect(directory.policies.get('SHOP')?.notify).toBeUndefined();
  });

  it('refuses an owner who is a client of the project, or a malformed address, and stores nothing', async () => {
    // Arrange
    const directory = new FakeDirectory();
    await directory.putContact('SHOP', { email: 'ada@example.com', locale: 'en', optedOut: false });

    // Act
    const client = setPolicy(directory, 'SHOP', { notify: 'owner@example.com,ada@example.com' });
    const malformed = setPolicy(directory, 'SHOP', { notify: 'not-an-address' });

    // Assert
    await expect(client).rejects.toThrow(
      new UsageError("ada@example.com is a client contact of SHOP: owners' summaries never go to clients"),
    );
    await expect(malformed).rejects.toBeInstanceOf(ContractError);
    expect(directory.policies.has('SHOP')).toBe(false);
  });

  it('stores maxLateness in its canonical form and catchUp, and refuses a lateness out of bounds', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const { after } = await setPolicy(directory, 'SHOP', { maxLateness: '90m', catchUp: 'skip' });
    const tooLong = setPolicy(directory, 'SHOP', { maxLateness: '49h' });
    const tooShort = setPolicy(directory, 'SHOP', { maxLateness: '4m' });

    // Assert
    expect(after.policy).toMatchObject({ maxLateness: '1h30m', catchUp: 'skip' });
    expect(renderPolicy(after)).toMatch(/max lateness\s+1h30m\n/);
    expect(renderPolicy(after)).toMatch(/catch up\s+skip\n/);
    await expect(tooLong).rejects.toThrow('"49h" is not a lateness');
    await expect(tooShort).rejects.toThrow('"4m" is not a lateness');
    expect(directory.policies.get('SHOP')).toEqual(after.policy);
  });

  it('sets the references and sender identity, and "" removes a setting again', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const { after } = await setPolicy(directory, 'SHOP', {
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      fromName: 'Shop updates',
      replyTo: 'Accounts@Example.com',
      footer: 'Example Shop Ltd · 1 Main Street',
    });
    const { after: cleared } = await setPolicy(directory, 'SHOP', {
      references: 'keys',
      linkTemplate: '',
      replyTo: '',
    });

    // Assert
    expect(after.policy).toMatchObject({
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      sender: {
        fromName: 'Shop updates',
        replyTo: 'accounts@example.com',
        footer: 'Example Shop Ltd · 1 Main Street',
      },
    });
    expect(renderPolicy(after)).toContain(
      'references        links (https://status.example.com/changes/{key})',
    );
    expect(cleared.policy.references).toBe('keys');
    expect(cleared.policy).not.toHaveProperty('linkTemplate');
    expect(cleared.policy.sender).toEqual({
      fromName: 'Shop updates',
      footer: 'Example Shop Ltd · 1 Main Street',
    });
    expect(directory.policies.get('SHOP')).toEqual(cleared.policy);
  });

  it('stores the content-trust settings minCoverage and verifyGrounding', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const { after } = await setPolicy(directory, 'SHOP', { minCoverage: 0.9, verifyGrounding: true });

    // Assert
    expect(directory.policies.get('SHOP')).toMatchObject({ minCoverage: 0.9, verifyGrounding: true });
    expect(renderPolicy(after)).toContain('min coverage      0.9');
    expect(renderPolicy(after)).toContain('verify grounding  yes');
  });

  it.each([
    [{ points: '-7x' }, 'is not a point'],
    [{ timeZone: 'Europe/Atlantis' }, 'unknown time zone'],
    [{ defaultLocale: 'english please' }, 'expected a locale tag'],
    [{ minCoverage: 1.5 }, 'minCoverage'],
    [{ references: 'links' }, 'needs a linkTemplate'],
    [{ references: 'links', linkTemplate: 'http://status.example.com/{key}' }, 'must be https'],
    [{ references: 'everything' }, 'references'],
    [{ replyTo: 'nobody' }, 'not an email address'],
  ])('refuses %j with a ContractError and stores nothing', async (changes, message) => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const run = setPolicy(directory, 'SHOP', changes);

    // Assert
    await expect(run).rejects.toThrow(ContractError);
    await expect(run).rejects.toThrow(message);
    expect(directory.policies.size).toBe(0);
  });
});

/** A JQL validator answering from a map of query → Jira's errors (none: valid). */
const validator = (errors: Record<string, string[]> = {}) => {
  const asked: string[][] = [];
  const jql: JqlValidator = {
    checkJql: async (queries): Promise<JqlCheck[]> => {
      asked.push([...queries]);
      return queries.map((query) => ({ query, errors: errors[query] ?? [] }));
    },
  };
  return { asked, validation: { validator: async () => jql } };
};

describe('Function: setPolicy (scope)', () => {
  it('validates the scope with Jira and stores it', async () => {
    // Arrange
    const directory = new FakeDirectory();
    const jira = validator();

    // Act
    const { after, scopeCheck } = await setPolicy(
      directory,
      'SHOP',
      { scope: 'issuetype in (Story, Bug)', releaseNoteField: 'customfield_10123' },
      jira.validation,
    );

    // Assert
    expect(jira.asked).toEqual([['issuetype in (Story, Bug)']]);
    expect(scopeCheck).toEqual({ checked: true });
    expect(directory.policies.get('SHOP')).toMatchObject({
      scope: 'issuetype in (Story, Bug)',
      releaseNoteField: 'customfield_10123',
    });
    expect(after).toMatchObject({ scope: 'issuetype in (Story, Bug)', scopeIsDefault: false });
  });

  it("refuses a scope Jira rejects with Jira's message and position; stores nothing", async () => {
    // Arrange
    const directory = new FakeDirectory();
    const jira = validator({
      'labels =': ['Error in the JQL Query: Expecting a value (line 1, character 10)'],
    });

    // Act
    const run = setPolicy(directory, 'SHOP', { scope: 'labels = ' }, jira.validation);

    // Assert
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(
      'project SHOP: Jira rejects the scope "labels =": Error in the JQL Query: Expecting a value (line 1, character 10); nothing stored',
    );
    expect(directory.policies.size).toBe(0);
  });

  it('refuses when Jira cannot be reached, unless forced (then says it is unchecked)', async () => {
    // Arrange
    const directory = new FakeDirectory();
    const down = {
      validator: async (): Promise<JqlValidator> => ({
        checkJql: async () => {
          throw new JiraUnavailableError('Jira checkJql failed: connect ECONNREFUSED', {
            operation: 'checkJql',
            path: '/rest/api/3/jql/parse',
            status: undefined,
          });
        },
      }),
    };

    // Act
    const refused = await setPolicy(directory, 'SHOP', { scope: 'labels = a' }, down).catch(
      (e: unknown) => e,
    );
    const stored = directory.policies.size;
    const forced = await setPolicy(directory, 'SHOP', { scope: 'labels = a' }, { ...down, force: true });

    // Assert
    expect(refused).toBeInstanceOf(OpsError);
    expect((refused as Error).message).toMatch(
      /^project SHOP: cannot validate the scope with Jira .*Give --force/,
    );
    expect(stored).toBe(0);
    expect(forced.scopeCheck).toEqual({ checked: false, warning: expect.stringContaining('ECONNREFUSED') });
    expect(directory.policies.get('SHOP')?.scope).toBe('labels = a');
  });

  it('puts the default scope back with "default", asking Jira nothing', async () => {
    // Arrange
    const directory = new FakeDirectory();
    const jira = validator();
    await setPolicy(directory, 'SHOP', { scope: 'labels = a' }, jira.validation);

    // Act
    const { after } = await setPolicy(directory, 'SHOP', { scope: 'default' }, jira.validation);

    // Assert
    expect(jira.asked).toHaveLength(1);
    expect(directory.policies.get('SHOP')).not.toHaveProperty('scope');
    expect(after.scopeIsDefault).toBe(true);
  });

  it.each([
    ['labels = a ORDER BY key', 'leave out ORDER BY'],
    ['labels = a) OR (labels = b', 'unbalanced parentheses'],
  ])('refuses the scope %j before asking Jira', async (scope, message) => {
    // Arrange
    const jira = validator();

    // Act
    const run = setPolicy(new FakeDirectory(), 'SHOP', { scope }, jira.validation);

    // Assert
    await expect(run).rejects.toThrow(message);
    expect(jira.asked).toEqual([]);
  });
});

describe('Function: setAudience', () => {
  it('adds an audience with its scope (checked with Jira) and instructions, and removes it again', async () => {
    // Arrange
    const directory = new FakeDirectory();
    const jira = validator();

    // Act
    await setAudience(
      directory,
      'SHOP',
      { name: 'Developers', scope: 'component = API', instructions: 'Technical readers.' },
      jira.validation,
    );
    const stored = directory.policies.get('SHOP')?.audiences;
    const after = await removeAudience(directory, 'SHOP', 'developers');

    // Assert
    expect(jira.asked).toEqual([['component = API']]);
    expect(stored).toEqual([
      { name: 'developers', scope: 'component = API', instructions: 'Technical readers.' },
    ]);
    expect(after.policy.audiences).toBeUndefined();
  });

  it('refuses instructions longer than 500 characters', async () => {
    // Act
    const run = setAudience(new FakeDirectory(), 'SHOP', { name: 'ops', instructions: 'x'.repeat(501) });

    // Assert
    await expect(run).rejects.toThrow('instructions are at most 500 characters');
  });
});

describe('Function: setPolicy (approval)', () => {
  it('turns review before send on with approvers and defaults, changes one setting, and turns it off', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const on = await setPolicy(directory, 'SHOP', {
      approval: { approvers: 'lead@example.com, pm@example.org' },
    });
    const later = await setPolicy(directory, 'SHOP', { approval: { onTimeout: 'send', lead: '2d' } });
    const off = await setPolicy(directory, 'SHOP', { approval: { enabled: false } });

    // Assert
    expect(on.after.policy.approval).toEqual({
      approvers: ['lead@example.com', 'pm@example.org'],
      lead: '24h',
      onTimeout: 'hold',
    });
    expect(later.after.policy.approval).toEqual({
      approvers: ['lead@example.com', 'pm@example.org'],
      lead: '2d',
      onTimeout: 'send',
    });
    expect(renderPolicy(later.after)).toContain(
      'lead@example.com, pm@example.org; review 2d before each point; no decision by the send time: send',
    );
    expect(off.after.policy.approval).toBeUndefined();
    expect(renderPolicy(off.after)).toContain('off (emails go out unreviewed)');
    expect((await directory.getPolicy('SHOP'))?.approval).toBeUndefined();
  });

  it('refuses settings without approvers, --no-approval with settings, a bad lead or address; stores nothing', async () => {
    // Arrange
    const directory = new FakeDirectory();

    // Act
    const noApprovers = setPolicy(directory, 'SHOP', { approval: { lead: '24h' } });
    const offWithSettings = setPolicy(directory, 'SHOP', { approval: { enabled: false, onTimeout: 'send' } });
    const badLead = setPolicy(directory, 'SHOP', {
      approval: { approvers: 'lead@example.com', lead: '10m' },
    });
    const badAddress = setPolicy(directory, 'SHOP', { approval: { approvers: 'lead-at-example.com' } });

    // Assert
    await expect(noApprovers).rejects.toBeInstanceOf(UsageError);
    await expect(offWithSettings).rejects.toBeInstanceOf(UsageError);
    await expect(badLead).rejects.toThrow(/between 15m and 14d/);
    await expect(badAddress).rejects.toBeInstanceOf(ContractError);
    expect(await directory.getPolicy('SHOP')).toBeNull();
  });
});
