import { describe, expect, it } from 'vitest';
import { tracedRetry } from '#retry/tracedRetry';
import { PermanentError, RetryableError } from '#shared/errors';

describe('Function: tracedRetry', () => {
  const retry = tracedRetry({ remainingTimeMs: () => 60_000, minDelayMs: 1, maxDelayMs: 1 });

  it('retries a retryable failure with the options it was built with, giving each attempt its signal', async () => {
    // Arrange
    const attempts: number[] = [];

    // Act
    const value = await retry('jira.get_version', async ({ attemptNumber, signal }) => {
      attempts.push(attemptNumber);
      expect(signal.aborted).toBe(false);
      if (attemptNumber < 3) throw new RetryableError('503');
      return 'ok';
    });

    // Assert
    expect(value).toBe('ok');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('takes a call that ignores its attempt, and rethrows a permanent failure at once', async () => {
    // Arrange
    let calls = 0;
    const refused = new PermanentError('jira_auth', 'no');

    // Act
    const result = retry('jira.get_project', async () => {
      calls += 1;
      throw refused;
    });

    // Assert
    await expect(result).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});
