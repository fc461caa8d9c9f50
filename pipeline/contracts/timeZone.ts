import * as z from 'zod';

/** True when `value` is an IANA time zone this runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

/** An IANA time zone name. */
export const timeZone = z.string().refine(isTimeZone, {
  error: (issue) =>
    `unknown time zone "${String(issue.input)}" (expected an IANA name such as Europe/Berlin)`,
});

/** A BCP 47 locale tag such as `en`, `de-DE`; the directory and the LLM cache key use it. */
export const locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a locale tag such as en or de-DE');
