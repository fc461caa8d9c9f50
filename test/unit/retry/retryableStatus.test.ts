import { describe, expect, it } from 'vitest';
import { isRetryableStatus } from '#retry/retryableStatus';

describe('Function: isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504, 599])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 400, 401, 403, 404, 409, 422, 501, 505])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });

  it('adds the statuses a service documents as transient, and only those', () => {
    expect(isRetryableStatus(409, { alsoRetryable: [409] })).toBe(true);
    expect(isRetryableStatus(400, { alsoRetryable: [409] })).toBe(false);
  });
});
