import { describe, expect, it } from 'vitest';
import type { OneTimeSchedule } from '#adapters/scheduler/SchedulerPort';
import { fixture } from '#contracts/fixtures/index';
import { composeJobOfInput, newestSnapshotAt } from '#stages/schedule/scheduleInput';

const scheduleWith = (input: string): OneTimeSchedule => ({
  name: 'rh-10042-b1d0h0m0900-0a1b2c3d-0',
  at: '2026-12-14T09:00:00',
  timeZone: 'Europe/Berlin',
  targetArn: 'arn:aws:sqs:us-east-1:123456789012:herald-compose',
  input,
});

/** The compose-job fixture with `snapshotAt` set, or removed when undefined. */
const jobInput = (snapshotAt: number | undefined): string => {
  const job = fixture('compose-job') as { payload: Record<string, unknown> };
  if (snapshotAt === undefined) delete job.payload.snapshotAt;
  else job.payload.snapshotAt = snapshotAt;
  return JSON.stringify(job);
};

describe('Function: composeJobOfInput', () => {
  it('parses a compose.job Input and gives undefined for anything else', () => {
    // Act / Assert
    expect(composeJobOfInput(jobInput(42))?.payload).toMatchObject({ versionId: '10042', snapshotAt: 42 });
    expect(composeJobOfInput('not json')).toBeUndefined();
    expect(composeJobOfInput('{"kind":"send.job"}')).toBeUndefined();
  });
});

describe('Function: newestSnapshotAt', () => {
  it('gives the largest snapshotAt, ignoring Inputs without one or that are no compose.job', () => {
    // Arrange
    const schedules = [jobInput(1_000), 'garbage', jobInput(undefined), jobInput(3_000), jobInput(2_000)].map(
      scheduleWith,
    );

    // Act
    const newest = newestSnapshotAt(schedules);

    // Assert
    expect(newest).toBe(3_000);
  });

  it('is undefined when no schedule carries a snapshot time', () => {
    // Act / Assert
    expect(newestSnapshotAt([])).toBeUndefined();
    expect(newestSnapshotAt([scheduleWith(jobInput(undefined))])).toBeUndefined();
  });
});
