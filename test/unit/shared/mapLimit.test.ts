import { describe, expect, it } from 'vitest';
import { mapLimit } from '#shared/mapLimit';

describe('Function: mapLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    // Arrange
    let inFlight = 0;
    let most = 0;
    const items = [5, 1, 4, 2, 3];

    // Act
    const results = await mapLimit(items, 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });

    // Assert
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('runs one at a time when the limit is below one, and nothing for no items', async () => {
    // Arrange
    const seen: number[] = [];

    // Act
    await mapLimit([1, 2], 0, async (n) => {
      seen.push(n);
    });
    const none = await mapLimit([], 4, async () => 1);

    // Assert
    expect(seen).toEqual([1, 2]);
    expect(none).toEqual([]);
  });
});
