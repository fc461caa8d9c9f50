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
      'max lateness      6h (default)',
      'catch up          now (default)',
    ]);
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
    expect(renderPolicy(after)).toMatch(/catch up\s+skip$/);
    await expect(tooLong).rejects.toThrow('"49h" is not a lateness');
    await expect(tooShort).rejects.toThrow('"4m" is not a lateness');
    expect(directory.policies.get('SHOP')).toEqual(after.policy);
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
