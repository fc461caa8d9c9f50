/**
 * Most Retry-After honoured, seconds (a day): a longer value is a broken header. The ladder clamps
 * further (a visibility timeout is at most 12 h; withRetry gives up when the wait outlives the
 * invocation).
 */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

const NUMBER = /^\d+(\.\d+)?$/;

const readHeader = (headers: unknown, name: string): string | undefined => {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
};

const clamp = (seconds: number): number => Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));

/**
 * The one Retry-After parser: the wait a response's headers ask for, seconds (possibly
 * fractional, at most {@link MAX_RETRY_AFTER_SECONDS}), or undefined when they name none or an
 * unreadable one. Reads `retry-after-ms` (OpenAI's) first, then `retry-after` as delta-seconds or
 * an HTTP date; names are matched case-insensitively.
 * @param headers a fetch `Headers` or a plain object (AWS SDK `$response.headers`).
 * @param nowMs clock for HTTP dates, epoch milliseconds; default `Date.now()`.
 */
export const retryAfterFromHeaders = (headers: unknown, nowMs: number = Date.now()): number | undefined => {
  const ms = readHeader(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && NUMBER.test(ms)) return clamp(Number(ms) / 1000);
  const value = readHeader(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (NUMBER.test(value)) return clamp(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : clamp((at - nowMs) / 1000);
};
