import { describe, expect, it } from 'vitest';
import { ContractError } from '#contracts/errors';
import { DEFAULT_SEND_POLICY, parsePointSpecs } from '#contracts/sendPolicy';
import { OpsError, UsageError } from '#ops/cli/errors';
import { previewEmail, renderPreview } from '#ops/commands/preview';
import { silentLogger } from '#shared/logger';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeJira } from '#test/factories/FakeJira';
import { FakeLlm } from '#test/factories/FakeLlm';
import { shopVersion } from '#test/factories/jiraVersion';

const NOW = new Date('2030-03-01T12:00:00.000Z');

/** An LLM announcing every issue it was given, by its summary. */
const announcingLlm = () =>
  new FakeLlm(
    [
      (request) => ({
        subject: `${request.versionName} is coming`,
        preheader: 'What changes',
        intro: 'Here is what changes.',
        sections: [
          {
            heading: 'Changes',
            items: request.issues.map((issue) => ({ text: issue.summary, issueKeys: [issue.key] })),
          },
        ],
        outro: 'Thanks',
      }),
    ],
    { model: 'fake-model' },
  );

const setup = async (version: { released?: boolean; archived?: boolean; releaseDate?: string } = {}) => {
  const jira = new FakeJira();
  jira.versions.set('10001', shopVersion(version));
  jira.issues.set('10001', [
    { key: 'SHOP-1', summary: 'Faster checkout' },
    { key: 'SHOP-2', summary: 'Invoices as PDF' },
  ]);
  const directory = new FakeDirectory();
  await directory.putPolicy('SHOP', {
    points: parsePointSpecs('-1d@09:00,0d@09:00'),
    onRelease: false,
    timeZone: 'Europe/Berlin',
    defaultLocale: 'de',
  });
  return { jira, directory };
};

const deps = (jira: FakeJira, directory: FakeDirectory, llm?: FakeLlm) => ({
  jira,
  readVersion: jira.readVersion,
  llm,
  directory,
  now: () => NOW,
  logger: silentLogger(),
});

describe('Function: previewEmail', () => {
  it('writes the email of the policy’s first point with the LLM, in the policy’s locale and zone', async () => {
    // Arrange
    const { jira, directory } = await setup();
    const llm = announcingLlm();

    // Act
    const result = await previewEmail(deps(jira, directory, llm), { versionId: '10001', name: 'Ada' });

    // Assert
    expect(result).toMatchObject({
      projectKey: 'SHOP',
      versionName: 'Shop 2.0',
      point: '-1d@09:00',
      pointId: 'b1d0h0m0900',
      pointKind: 'before',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      // 2030-03-09 09:00 in Berlin (CET, UTC+1)
      dueAt: '2030-03-09T08:00:00.000Z',
      source: 'llm',
      model: 'fake-model',
      subject: 'Shop 2.0 is coming',
      issueKeys: ['SHOP-1', 'SHOP-2'],
    });
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]).toMatchObject({ locale: 'de', pointKind: 'before', daysBefore: 1 });
    expect(result.html).toContain('Faster checkout');
    expect(result.html).toContain('Ada');
    expect(result.html).not.toContain('{{');
    expect(result.text).not.toContain('{{');
    expect(result.html).toContain('https://example.com/unsubscribe?preview=1');
  });

  it('uses the template without an LLM, for the point and locale asked', async () => {
    // Arrange
    const { jira, directory } = await setup();

    // Act
    const result = await previewEmail(deps(jira, directory), {
      versionId: '10001',
      point: '0d@09:00',
      locale: 'en',
    });

    // Assert
    expect(result).toMatchObject({ source: 'template', point: '0d@09:00', locale: 'en', model: undefined });
    // The template lists the release's issues; by default (references none) without their keys.
    expect(result.text).toContain('Faster checkout');
    expect(result.text).toContain('Invoices as PDF');
    expect(result.issueKeys).toEqual(['SHOP-1', 'SHOP-2']);
    expect(result.text).not.toContain('SHOP-1');
    expect(result.fromName).toBe('Example Shop releases');
    expect(renderPreview(result)).toContain('from        Example Shop releases');
    expect(renderPreview(result)).toContain('Nothing was sent. Add --out email.html for the HTML part.');
  });

  it('prints coverage and the issues not mentioned', async () => {
    // Arrange
    const { jira, directory } = await setup();
    jira.issues.set('10001', [
      { key: 'SHOP-1', summary: 'Faster checkout' },
      { key: 'SHOP-2', summary: 'Invoices as PDF' },
      { key: 'SHOP-3', summary: 'Dark mode' },
    ]);
    const llm = announcingLlm();

    // Act
    const result = await previewEmail(deps(jira, directory, llm), { versionId: '10001' });

    // Assert
    expect(result.coverage).toEqual({ inScope: 3, mentioned: ['SHOP-1', 'SHOP-2', 'SHOP-3'], missing: [] });
    expect(renderPreview(result)).toMatch(/coverage\s+3\/3 \(every issue mentioned\)/);
    expect(
      renderPreview({
        ...result,
        coverage: { inScope: 3, mentioned: ['SHOP-1'], missing: ['SHOP-2', 'SHOP-3'] },
      }),
    ).toMatch(/coverage\s+1\/3 \(not mentioned: SHOP-2, SHOP-3\)/);
    expect(renderPreview(result)).not.toContain('verifier');
    const verified = renderPreview({
      ...result,
      verifier: { outcome: 'items_removed', model: 'gpt-verify' },
      removedItems: [
        { text: 'Dark mode for everyone', issueKeys: ['SHOP-3'], reason: 'SHOP-3 says nothing of that' },
      ],
    });
    expect(verified).toMatch(/verifier\s+items_removed \(gpt-verify\)/);
    expect(verified).toMatch(/removed\s+SHOP-3: SHOP-3 says nothing of that/);
  });

  it('previews the on-release email of a released version', async () => {
    // Arrange
    const { jira, directory } = await setup({ released: true });

    // Act
    const result = await previewEmail(deps(jira, directory), { versionId: '10001', point: 'onrelease' });

    // Assert
    expect(result).toMatchObject({ pointKind: 'on_release', pointId: 'onrelease', point: 'on release' });
    expect(result.dueAt).toBe(NOW.toISOString());
  });

  it.each([
    [
      { released: true },
      undefined,
      'compose would skip this point: already_released (try --point onrelease)',
    ],
    [{ archived: true }, undefined, 'compose would skip this point: archived'],
    [{}, 'onrelease', 'compose would skip this point: not_released'],
  ])('fails like compose would skip it for %j at point %s', async (version, point, message) => {
    // Arrange
    const { jira, directory } = await setup(version);

    // Act
    const run = previewEmail(deps(jira, directory), { versionId: '10001', point });

    // Assert
    await expect(run).rejects.toThrow(OpsError);
    await expect(run).rejects.toThrow(message);
  });

  it('fails with an OpsError for a version Jira does not have', async () => {
    // Arrange
    const { jira, directory } = await setup();

    // Act & Assert
    await expect(previewEmail(deps(jira, directory), { versionId: '999' })).rejects.toThrow(
      'version 999 not found in Jira',
    );
  });

  it('refuses a point spec it cannot read and a policy without points', async () => {
    // Arrange
    const { jira, directory } = await setup();
    const empty = new FakeDirectory();
    await empty.putPolicy('SHOP', { points: [], onRelease: false, timeZone: 'UTC', defaultLocale: 'en' });

    // Act & Assert
    await expect(
      previewEmail(deps(jira, directory), { versionId: '10001', point: 'tomorrow' }),
    ).rejects.toThrow(ContractError);
    await expect(previewEmail(deps(jira, empty), { versionId: '10001' })).rejects.toThrow(UsageError);
  });
});

describe('Function: previewEmail (audiences)', () => {
  const withAudiences = async () => {
    const { jira, directory } = await setup();
    jira.issues.set('10001', [
      { key: 'SHOP-1', summary: 'Faster checkout', components: ['Web'] },
      { key: 'SHOP-2', summary: 'Invoices as PDF', components: ['API'] },
      { key: 'SHOP-3', summary: 'Refactor the cart', labels: ['internal'] },
      { key: 'SHOP-4', summary: 'Fix session leak', securityLevel: 'Staff' },
    ]);
    const policy = await directory.getPolicy('SHOP');
    await directory.putPolicy('SHOP', {
      ...(policy as NonNullable<typeof policy>),
      audiences: [{ name: 'developers', scope: 'component = API' }],
    });
    return { jira, directory };
  };

  it("lists every audience's issues in scope and the left-out ones with the reason", async () => {
    // Arrange
    const { jira, directory } = await withAudiences();

    // Act
    const result = await previewEmail(deps(jira, directory), { versionId: '10001', scopeOnly: true });

    // Assert
    expect(result.notComposed).toBe('scope only: nothing composed');
    expect(result.subject).toBeUndefined();
    expect(result.audiences).toEqual([
      {
        audience: 'all',
        inScope: [
          { key: 'SHOP-1', summary: 'Faster checkout' },
          { key: 'SHOP-2', summary: 'Invoices as PDF' },
        ],
        leftOut: [
          { key: 'SHOP-3', reason: 'label', detail: 'internal' },
          { key: 'SHOP-4', reason: 'security_level', detail: 'Staff' },
        ],
      },
      {
        audience: 'developers',
        audienceScope: 'component = API',
        inScope: [{ key: 'SHOP-2', summary: 'Invoices as PDF' }],
        leftOut: [
          { key: 'SHOP-1', reason: 'audience_scope', detail: 'developers' },
          { key: 'SHOP-3', reason: 'label', detail: 'internal' },
          { key: 'SHOP-4', reason: 'security_level', detail: 'Staff' },
        ],
      },
    ]);
    expect(renderPreview(result)).toContain('  - SHOP-4  left out: security level (Staff)');
  });

  it("composes the asked audience's email from its scope only", async () => {
    // Arrange
    const { jira, directory } = await withAudiences();
    const llm = announcingLlm();

    // Act
    const result = await previewEmail(deps(jira, directory, llm), {
      versionId: '10001',
      audience: 'developers',
    });

    // Assert
    expect(llm.requests.map((r) => r.issues.map((i) => i.key))).toEqual([['SHOP-2']]);
    expect(result).toMatchObject({ audience: 'developers', issueKeys: ['SHOP-2'] });
    expect(result.audiences.map((a) => a.audience)).toEqual(['developers']);
  });

  it('composes nothing and says why when the audience has no issue in scope', async () => {
    // Arrange
    const { jira, directory } = await withAudiences();
    await directory.putPolicy('SHOP', {
      ...DEFAULT_SEND_POLICY,
      audiences: [{ name: 'mobile', scope: 'component = Mobile' }],
    });

    // Act
    const result = await previewEmail(deps(jira, directory, announcingLlm()), {
      versionId: '10001',
      audience: 'mobile',
    });

    // Assert
    expect(result.notComposed).toBe(
      'no issue in the scope of audience mobile: compose would send it nothing',
    );
    expect(renderPreview(result)).toContain('compose would send this audience nothing: no issue in scope');
  });

  it('refuses an audience the policy does not define, naming the ones it has', async () => {
    // Arrange
    const { jira, directory } = await withAudiences();

    // Act / Assert
    await expect(
      previewEmail(deps(jira, directory), { versionId: '10001', audience: 'partners' }),
    ).rejects.toThrow('project SHOP has no audience "partners"; it has all, developers');
  });
});
