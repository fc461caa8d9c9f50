import { describe, expect, it } from 'vitest';
import { replanKey, replanRequest } from '#contracts/replanRequest';

describe('Function: replanRequest', () => {
  it("keeps the three askers' key formats the ledger dedups on", () => {
    expect(replanKey.movedPoint('10001', 'b1d0h0m0900', '2030-01-02')).toBe(
      '10001:replan:b1d0h0m0900@2030-01-02',
    );
    expect(replanKey.movedPoint('10001', 'b1d0h0m0900', undefined)).toBe('10001:replan:b1d0h0m0900@none');
    expect(replanKey.overtakenSnapshot('10001', 1_900_000_000_000)).toBe('10001:replan:1900000000000');
    expect(replanKey.replay('10001', 1_900_000_000_000)).toBe('10001:jira:version_updated:1900000000000');
  });

  it('builds a checked jira:version_updated release.changed envelope with hints from the version', () => {
    // Act
    const envelope = replanRequest({
      versionId: '10001',
      projectId: '10000',
      occurredAt: 1_900_000_000_000,
      version: { name: 'Release 1.0', releaseDate: '2030-01-02', released: false, archived: false },
      key: 'k',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });

    // Assert
    expect(envelope).toEqual({
      v: 1,
      kind: 'release.changed',
      key: 'k',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      reschedules: 0,
      payload: {
        event: 'jira:version_updated',
        versionId: '10001',
        projectId: '10000',
        occurredAt: 1_900_000_000_000,
        hint: { name: 'Release 1.0', releaseDate: '2030-01-02', released: false, archived: false },
      },
    });
  });

  it('refuses a request that breaks the contract', () => {
    expect(() =>
      replanRequest({ versionId: 'not-an-id', projectId: '10000', occurredAt: 1, key: 'k' }),
    ).toThrow(/release\.changed/);
  });
});
