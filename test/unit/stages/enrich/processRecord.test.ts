import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '#contracts/contact';
import { wrap } from '#contracts/envelope';
import { ContractError } from '#contracts/errors';
import type { ReleaseChanged } from '#contracts/releaseChanged';
import { type ReleaseSnapshot, releaseSnapshotMessage, type VersionState } from '#contracts/releaseSnapshot';
import { DEFAULT_SEND_POLICY, parsePointSpecs, type SendPolicy } from '#contracts/sendPolicy';
import { RetryableError } from '#shared/errors';
import { type EnrichDeps, processRecord, releaseStateOf } from '#stages/enrich/processRecord';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeJira } from '#test/factories/FakeJira';
import { FakeQueue } from '#test/factories/FakeQueue';
import { sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';

const SCHEDULE = 'herald-schedule';
const READ_AT = Date.parse('2026-01-01T00:00:05Z');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const change: ReleaseChanged = {
  event: 'jira:version_updated',
  versionId: '10001',
  projectId: '10000',
  occurredAt: 1767225600000,
  hint: { name: 'v1.0' },
};

const activeVersion: VersionState = {
  id: '10001',
  name: 'v1.0',
  description: 'First release',
  releaseDate: '2026-02-01',
  released: false,
  archived: false,
};

const policy: SendPolicy = {
  ...DEFAULT_SEND_POLICY,
  points: parsePointSpecs('-3d@10:00'),
  onRelease: true,
  timeZone: 'Europe/Berlin',
  defaultLocale: 'de',
};

const contact = (email: string, extra: Partial<Contact> = {}): Contact => ({
  email,
  locale: 'en',
  optedOut: false,
  ...extra,
});

/** A release.changed record; `traceparent: null` sends none. */
const recordOf = (payload: ReleaseChanged = change, traceparent: string | null = TRACEPARENT) =>
  sqsRecord({
    body: JSON.stringify(wrap('release.changed', 'k-10001', payload, traceparent ?? undefined)),
    queueName: 'herald-enrich',
  });

const setup = () => {
  const jira = new FakeJira();
  jira.projects.set('10000', { id: '10000', key: 'ABC', name: 'Alpha' });
  jira.versions.set('10001', activeVersion);
  const directory = new FakeDirectory();
  const queue = new FakeQueue();
  const deps: EnrichDeps = { jira, directory, queue, now: () => new Date(READ_AT) };
  return { jira, directory, queue, deps };
};

const snapshotSent = (queue: FakeQueue): ReleaseSnapshot => {
  const bodies = queue.bodies(SCHEDULE);
  expect(bodies).toHaveLength(1);
  return releaseSnapshotMessage.parse(bodies[0]).payload;
};

describe('Function: processRecord (enrich)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits an active snapshot with the policy and each recipient under the same key and trace', async () => {
    // Arrange
    const { directory, queue, deps } = setup();
    directory.policies.set('ABC', policy);
    directory.contacts.set('ABC', [
      contact('ana@example.com', { name: 'Ana', locale: 'pt-BR', timeZone: 'America/Sao_Paulo' }),
      contact('bo@example.org', { locale: 'de' }),
    ]);
    const log = memoryLogger();

    // Act
    await processRecord(recordOf(), recordContext(log.logger), deps);

    // Assert
    const message = releaseSnapshotMessage.parse(queue.bodies(SCHEDULE)[0]);
    expect(message).toMatchObject({
      kind: 'release.snapshot',
      key: 'k-10001',
      traceparent: TRACEPARENT,
      reschedules: 0,
    });
    expect(message.payload).toEqual({
      event: 'jira:version_updated',
      occurredAt: 1767225600000,
      versionId: '10001',
      projectId: '10000',
      projectKey: 'ABC',
      state: 'active',
      version: activeVersion,
      readAt: READ_AT,
      policy,
      recipients: [
        { email: 'ana@example.com', name: 'Ana', locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
        { email: 'bo@example.org', locale: 'de', timeZone: 'Europe/Berlin' },
      ],
    });
    expect(log.events('release_enriched')).toEqual([
      expect.objectContaining({ versionId: '10001', state: 'active', recipients: 2 }),
    ]);
    expect(JSON.stringify(log.lines)).not.toMatch(/ana@example\.com|bo@example\.org/);
  });

  it("falls back to the policy's time zone for a contact without one", async () => {
    const { directory, queue, deps } = setup();
    directory.policies.set('ABC', { ...policy, timeZone: 'Asia/Tokyo' });
    directory.contacts.set('ABC', [contact('cy@example.net')]);

    await processRecord(recordOf(), recordContext(), deps);

    expect(snapshotSent(queue).recipients).toEqual([
      { email: 'cy@example.net', locale: 'en', timeZone: 'Asia/Tokyo' },
    ]);
  });

  it("gives a contact without a locale the policy's default locale", async () => {
    // Arrange
    const { directory, queue, deps } = setup();
    directory.policies.set('ABC', { ...policy, defaultLocale: 'fr-CA' });
    const { locale: _none, ...noLocale } = contact('cy@example.net');
    directory.contacts.set('ABC', [noLocale, contact('di@example.net', { locale: 'pt-BR' })]);

    // Act
    await processRecord(recordOf(), recordContext(), deps);

    // Assert
    expect(snapshotSent(queue).recipients).toEqual([
      { email: 'cy@example.net', locale: 'fr-CA', timeZone: 'Europe/Berlin' },
      { email: 'di@example.net', locale: 'pt-BR', timeZone: 'Europe/Berlin' },
    ]);
  });

  it('stamps the snapshot with the clock taken before Jira was read', async () => {
    // Arrange: the clock moves on while Jira answers.
    const { jira, queue, deps } = setup();
    let clock = READ_AT;
    const read = jira.getVersion.bind(jira);
    vi.spyOn(jira, 'getVersion').mockImplementation(async (id) => {
      clock += 5_000;
      return read(id);
    });

    // Act
    await processRecord(recordOf(), recordContext(), { ...deps, now: () => new Date(clock) });

    // Assert
    expect(snapshotSent(queue).readAt).toBe(READ_AT);
  });

  it('skips contacts opted out in the project and addresses opted out globally', async () => {
    // Arrange
    const { directory, queue, deps } = setup();
    directory.contacts.set('ABC', [
      contact('keep@example.com'),
      contact('project-out@example.com', { optedOut: true }),
      contact('global-out@example.com'),
    ]);
    await directory.optOut('global-out@example.com', 'unsubscribe_link');

    // Act
    await processRecord(recordOf(), recordContext(), deps);

    // Assert
    expect(snapshotSent(queue).recipients.map((r) => r.email)).toEqual(['keep@example.com']);
  });

  it('uses the default policy when the project has none', async () => {
    const { directory, queue, deps } = setup();
    directory.contacts.set('ABC', [contact('ana@example.com')]);

    await processRecord(recordOf(), recordContext(), deps);

    const snapshot = snapshotSent(queue);
    expect(snapshot.policy).toEqual(DEFAULT_SEND_POLICY);
    expect(snapshot.recipients).toEqual([{ email: 'ana@example.com', locale: 'en', timeZone: 'UTC' }]);
  });

  it('emits a deleted snapshot with no version and no recipients when Jira answers 404', async () => {
    // Arrange
    const { jira, directory, queue, deps } = setup();
    jira.versions.clear();
    directory.contacts.set('ABC', [contact('ana@example.com')]);

    // Act
    await processRecord(recordOf({ ...change, event: 'jira:version_deleted' }), recordContext(), deps);

    // Assert
    expect(snapshotSent(queue)).toMatchObject({
      event: 'jira:version_deleted',
      projectKey: 'ABC',
      state: 'deleted',
      version: null,
      recipients: [],
    });
  });

  it('emits an archived snapshot for an archived version, even when also released', async () => {
    const { jira, directory, queue, deps } = setup();
    jira.versions.set('10001', { ...activeVersion, archived: true, released: true });
    directory.contacts.set('ABC', [contact('ana@example.com')]);

    await processRecord(recordOf(), recordContext(), deps);

    const snapshot = snapshotSent(queue);
    expect(snapshot.state).toBe('archived');
    expect(snapshot.version).toMatchObject({ archived: true });
  });

  it('emits a released snapshot for a released version', async () => {
    const { jira, directory, queue, deps } = setup();
    jira.versions.set('10001', { ...activeVersion, released: true });
    directory.contacts.set('ABC', [contact('ana@example.com')]);

    await processRecord(recordOf({ ...change, event: 'jira:version_released' }), recordContext(), deps);

    const snapshot = snapshotSent(queue);
    expect(snapshot.state).toBe('released');
    expect(snapshot.recipients).toHaveLength(1);
  });

  it('sends to the environment-specific schedule queue and omits an absent traceparent', async () => {
    const { queue, deps } = setup();

    await processRecord(recordOf(change, null), recordContext(), { ...deps, env: 'dev' });

    expect(queue.sent.map((s) => s.queueName)).toEqual(['herald-dev-schedule']);
    expect(queue.bodies('herald-dev-schedule')[0]).not.toHaveProperty('traceparent');
  });

  it('throws a ContractError for a body that is not a release.changed envelope', async () => {
    const { queue, deps } = setup();
    const body = JSON.stringify(wrap('send.job', 'k', { versionId: '1' }));

    await expect(processRecord(sqsRecord({ body }), recordContext(), deps)).rejects.toBeInstanceOf(
      ContractError,
    );
    await expect(processRecord(sqsRecord({ body: 'nope' }), recordContext(), deps)).rejects.toBeInstanceOf(
      ContractError,
    );
    expect(queue.sent).toEqual([]);
  });

  it('retries a throttled Jira read within the call', async () => {
    // Arrange
    vi.useFakeTimers();
    const { jira, queue, deps } = setup();
    const getVersion = vi
      .spyOn(jira, 'getVersion')
      .mockRejectedValueOnce(new RetryableError('429 from Jira', { retryAfterSeconds: 1 }));

    // Act
    const done = processRecord(recordOf(), recordContext(), deps);
    await vi.runAllTimersAsync();
    await done;

    // Assert
    expect(getVersion).toHaveBeenCalledTimes(2);
    expect(snapshotSent(queue).state).toBe('active');
  });

  it('lets a project lookup failure fail the record without emitting', async () => {
    const { jira, queue, deps } = setup();
    jira.projects.clear();

    await expect(processRecord(recordOf(), recordContext(), deps)).rejects.toThrow(/project 10000 not found/);
    expect(queue.sent).toEqual([]);
  });
});

describe('Function: releaseStateOf', () => {
  it('maps a Jira version to its lifecycle state', () => {
    expect(releaseStateOf(null)).toBe('deleted');
    expect(releaseStateOf({ ...activeVersion, archived: true, released: true })).toBe('archived');
    expect(releaseStateOf({ ...activeVersion, released: true })).toBe('released');
    expect(releaseStateOf(activeVersion)).toBe('active');
  });
});
