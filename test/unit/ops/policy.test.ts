import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { renderPolicy, setPolicy, showPolicy } from '#ops/commands/policy';
import { FakeDirectory } from './fakes.ts';

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
      'references        none',
      'from name         (project name + " releases")',
      'reply-to          (none)',
      'footer            (none)',
    ]);
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
