/**
 * A lazy, shared, retry-on-failure value: `build` runs on the first call, every later call gets
 * the same promise, and a failed build is forgotten so the next call tries again. For wiring that
 * needs a secret (a Jira token, an OpenAI key): built on first use rather than at import, a
 * Secrets Manager hiccup fails one record (retried by the ladder) instead of the whole cold start.
 * @param build makes the value; called at most once at a time.
 */
export const lazyOnce = <T>(build: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending !== undefined) return pending;
    const building = build().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    pending = building;
    return building;
  };
};
