/** Options of {@link mapLimit}. */
export interface MapLimitOptions {
  /**
   * Receives each failure after the first (the first is what `mapLimit` rejects with), e.g. to
   * log it. Default none: they are dropped.
   */
  onLaterError?: (err: unknown) => void;
}

/**
 * Maps `fn` over `items` with at most `limit` calls in flight (at least one); results keep the
 * order of `items`. After the first rejection no new call starts; once the calls in flight have
 * settled, the whole map rejects with that first error.
 */
export const mapLimit = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  options: MapLimitOptions = {},
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (err) {
        if (failure === undefined) failure = { err };
        else options.onLaterError?.(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure !== undefined) throw failure.err;
  return results;
};
