import { describe, expect, it, vi } from 'vitest';
import { lazyOnce } from '#shared/lazyOnce';

describe('Function: lazyOnce', () => {
  it('builds once and shares the value, even between concurrent first calls', async () => {
    // Arrange
    const build = vi.fn(async () => ({ token: 'x' }));
    const value = lazyOnce(build);

    // Act
    const [a, b] = await Promise.all([value(), value()]);
    const c = await value();

    // Assert
    expect(build).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('forgets a failed build, so the next call tries again', async () => {
    // Arrange
    const build = vi.fn().mockRejectedValueOnce(new Error('secrets down')).mockResolvedValueOnce('ok');
    const value = lazyOnce<string>(build);

    // Act / Assert
    await expect(value()).rejects.toThrow('secrets down');
    await expect(value()).resolves.toBe('ok');
    await expect(value()).resolves.toBe('ok');
    expect(build).toHaveBeenCalledTimes(2);
  });
});
