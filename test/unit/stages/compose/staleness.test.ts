import { describe, expect, it } from 'vitest';
import type { ComposeJob } from '#contracts/composeJob';
import type { VersionState } from '#contracts/releaseSnapshot';
import { checkStaleness, type Staleness } from '#stages/compose/staleness';

const version = (overrides: Partial<VersionState> = {}): VersionState => ({
  id: '10042',
  name: 'Billing 2.4',
  releaseDate: '2026-12-15',
  released: false,
  archived: false,
  ...overrides,
});

type Job = Pick<ComposeJob, 'pointKind' | 'releaseDate'>;
const before: Job = { pointKind: 'before', releaseDate: '2026-12-15' };
const onRelease: Job = { pointKind: 'on_release', releaseDate: '2026-12-15' };

describe('Function: checkStaleness', () => {
  it.each<[string, Job, VersionState | null, Staleness]>([
    ['a before point of an unchanged active version is fresh', before, version(), { stale: false }],
    ['a deleted version is stale', before, null, { stale: true, reason: 'deleted' }],
    ['a deleted version is stale for on-release too', onRelease, null, { stale: true, reason: 'deleted' }],
    [
      'an archived version is stale',
      before,
      version({ archived: true }),
      { stale: true, reason: 'archived' },
    ],
    [
      'an archived released version is stale for on-release',
      onRelease,
      version({ archived: true, released: true }),
      { stale: true, reason: 'archived' },
    ],
    [
      'a moved release date is stale',
      before,
      version({ releaseDate: '2026-12-22' }),
      { stale: true, reason: 'release_date_moved' },
    ],
    [
      'a removed release date is stale',
      before,
      version({ releaseDate: undefined }),
      { stale: true, reason: 'release_date_moved' },
    ],
    [
      'a before point after the version was released is stale',
      before,
      version({ released: true }),
      { stale: true, reason: 'already_released' },
    ],
    [
      'an on-release point of a released version is fresh',
      onRelease,
      version({ released: true }),
      { stale: false },
    ],
    [
      'an on-release point of a released version with a moved date is fresh',
      onRelease,
      version({ released: true, releaseDate: '2027-01-01' }),
      { stale: false },
    ],
    [
      'an on-release point of an unreleased version is stale',
      onRelease,
      version({ released: false }),
      { stale: true, reason: 'not_released' },
    ],
  ])('%s', (_name, job, fresh, expected) => {
    // Act
    const result = checkStaleness(job, fresh);

    // Assert
    expect(result).toEqual(expected);
  });
});
