import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_SECONDS, retryAfterFromHeaders } from '#retry/retryAfter';

const retryAfter = (value: string) => new Headers({ 'retry-after': value });

describe('Function: retryAfterFromHeaders', () => {
  // Moved from the Jira adapter's own parser (test/unit/adapters/jira/errors.test.ts), which this
  // one replaced; the same inputs, with '0.2' now kept exact (the ladder rounds up where it waits).
  it('reads delta-seconds, HTTP dates and rejects junk', () => {
    // arrange
    const now = Date.parse('2030-01-01T00:00:00Z');

    // act / assert
    expect(retryAfterFromHeaders(retryAfter('5'), now)).toBe(5);
    expect(retryAfterFromHeaders(retryAfter('0.2'), now)).toBe(0.2);
    expect(retryAfterFromHeaders(retryAfter('Tue, 01 Jan 2030 00:00:30 GMT'), now)).toBe(30);
    expect(retryAfterFromHeaders(retryAfter('Mon, 31 Dec 2029 00:00:00 GMT'), now)).toBe(0);
    expect(retryAfterFromHeaders(retryAfter('soon'), now)).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers(), now)).toBeUndefined();
    expect(retryAfterFromHeaders(undefined, now)).toBeUndefined();
    expect(retryAfterFromHeaders(retryAfter('99999999'), now)).toBe(86_400);
  });

  it('caps retry-after-ms and retry-after alike at one day', () => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(86_400);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '999999999999' }))).toBe(86_400);
    expect(retryAfterFromHeaders({ 'Retry-After': '90000' })).toBe(86_400);
  });

  it('prefers retry-after-ms and reads plain header objects case-insensitively', () => {
    expect(retryAfterFromHeaders({ 'Retry-After': '7', 'retry-after-ms': '1500' })).toBe(1.5);
    expect(retryAfterFromHeaders({ 'RETRY-AFTER': ['3'] })).toBe(3);
  });
});
