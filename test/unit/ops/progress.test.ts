import { describe, expect, it } from 'vitest';
import { createProgressFactory, noProgress } from '#ops/cli/progress';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return {
    chunks,
    stream: {
      isTTY,
      columns: 120,
      write: (chunk: string) => {
        chunks.push(chunk);
        return true;
      },
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
};

describe('Function: createProgressFactory', () => {
  it('shows nothing when the stream is not a terminal', () => {
    // Arrange
    const { stream, chunks } = sink(false);

    // Act
    const factory = createProgressFactory(stream);
    const bar = factory('redrive', 10);
    bar.update(5);
    bar.stop();

    // Assert
    expect(factory).toBe(noProgress);
    expect(chunks).toEqual([]);
  });

  it('draws a labelled bar with value and total on a terminal', () => {
    // Arrange
    const { stream, chunks } = sink(true);

    // Act
    const bar = createProgressFactory(stream)('redrive', 4);
    bar.update(4, 4);
    bar.stop();

    // Assert
    expect(chunks.join('')).toContain('redrive [');
    expect(chunks.join('')).toContain('4/4 100%');
  });
});
