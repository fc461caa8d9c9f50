/** Options of {@link assertRequestTimeoutFits}. */
export interface RequestTimeoutCheck {
  /** The function, for the error message (e.g. `enrich`). */
  readonly functionName: string;
  /** The environment variable holding the request timeout (e.g. `JIRA_TIMEOUT_MS`). */
  readonly variable: string;
  /** Request timeout the function's client uses, milliseconds. */
  readonly requestTimeoutMs: number;
  /** The function's timeout, seconds. */
  readonly functionTimeoutSeconds: number;
}

/**
 * Checks at synthesis that an outbound request timeout fits its function: at most half the
 * function's timeout, so that a request that times out still leaves the invocation time for one
 * more attempt (withRetry only retries when the attempt fits in the remaining time) or, failing
 * that, to report the record and back it off instead of being killed mid-call.
 * @throws Error naming the function, the variable and both values when it does not fit.
 */
export const assertRequestTimeoutFits = (check: RequestTimeoutCheck): void => {
  const limitMs = (check.functionTimeoutSeconds * 1000) / 2;
  if (check.requestTimeoutMs > limitMs) {
    throw new Error(
      `${check.functionName}: ${check.variable} ${check.requestTimeoutMs} ms exceeds half the function ` +
        `timeout (${check.functionTimeoutSeconds} s, so at most ${limitMs} ms): a timed-out request must ` +
        'leave time to retry it or report the failure',
    );
  }
};
