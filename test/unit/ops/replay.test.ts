import { describe, expect, it } from 'vitest';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import { OpsError } from '#ops/cli/errors';
import { replayRelease } from '#ops/commands/replay';
import { FakeJira } from '#test/factories/FakeJira';
import { FakeQueue } from '#test/factories/FakeQueue';
import { shopVersion } from '#test/factories/jiraVersion';

const NOW = new Date('2030-03-01T12:00:00.000Z');

describe('Function: replayRelease', () => {
  it('puts a release.changed (jira:version_updated, now) for the version on the enrich queue', async () => {
    // Arrange
    const jira = new FakeJira();
    jira.versions.set('10001', shopVersion());
    const queue = new FakeQueue();

    // Act
    const result = await replayRelease(
      { readVersion: jira.readVersion, queue, env: 't', now: () => NOW },
      '10001',
    );

    // Assert
    expect(result).toMatchObject({
      queue: 'herald-t-enrich',
      projectId: '10000',
      event: 'jira:version_updated',
    });
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]?.queueName).toBe('herald-t-enrich');
    const envelope = releaseChangedMessage.parse(JSON.parse(queue.sent[0]?.message.body ?? ''));
    expect(envelope).toMatchObject({
      kind: 'release.changed',
      key: `10001:jira:version_updated:${NOW.getTime()}`,
      reschedules: 0,
      payload: {
        event: 'jira:version_updated',
        versionId: '10001',
        projectId: '10000',
        occurredAt: NOW.getTime(),
        hint: { name: 'Shop 2.0', releaseDate: '2030-03-10', released: false, archived: false },
      },
    });
  });

  it('fails with an OpsError pointing at schedules cancel when Jira has no such version', async () => {
    // Arrange
    const queue = new FakeQueue();

    // Act
    const run = replayRelease(
      { readVersion: new FakeJira().readVersion, queue, env: '', now: () => NOW },
      '404',
    );

    // Assert
    await expect(run).rejects.toThrow(OpsError);
    await expect(run).rejects.toThrow('herald schedules cancel --release 404');
    expect(queue.sent).toEqual([]);
  });
});
