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

describe('Function: mapLimit, on failure', () => {
  it('starts nothing new after the first failure, lets the calls in flight settle, and rejects with that first error', async () => {
    // Arrange
    const started: number[] = [];
    const later: unknown[] = [];
    const first = new Error('first');

    // Act
    const result = mapLimit(
      [1, 2, 3, 4, 5],
      2,
      async (n) => {
        started.push(n);
        if (n === 1) throw first;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (n === 2) throw new Error('second');
        return n;
      },
      { onLaterError: (err) => later.push(err) },
    );

    // Assert
    await expect(result).rejects.toBe(first);
    expect(started).toEqual([1, 2]);
    expect(later).toEqual([new Error('second')]);
  });
});
