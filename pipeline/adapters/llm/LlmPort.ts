import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { LlmEmail } from '#contracts/emailDraft';

// The errors an LlmPort caller may handle (by class, never by name or message).
export {
  LLM_OUTPUT_PROBLEMS,
  LLM_PERMANENT_REASONS,
  type LlmError,
  LlmOutputError,
  type LlmOutputProblem,
  LlmRequestError,
  LlmUnavailableError,
} from './errors.ts';

/** What the LLM is asked to write about. Every string from Jira is untrusted data. */
export interface EmailRequest {
  projectName: string;
  versionName: string;
  versionDescription?: string | undefined;
  releaseDate?: string | undefined;
  /** `before` (announce an upcoming release, `daysBefore` days ahead) or `on_release`. */
  pointKind: 'before' | 'on_release';
  daysBefore?: number | undefined;
  locale: string;
  issues: JiraIssue[];
  /** Set on the retry after a validation failure: what was wrong with the previous answer. */
  feedback?: string | undefined;
  /**
   * Who the email is for: the audience's name and its writer instructions (trusted operator text
   * from the send policy, at most 500 characters). Default the `all` audience, no instructions.
   */
  audience?: { name: string; instructions?: string | undefined } | undefined;
}

/** Token usage of one call. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

/** One LLM answer. */
export interface EmailAnswer {
  email: LlmEmail;
  model: string;
  usage: LlmUsage;
}

/** Per-call options of {@link LlmPort.writeEmail}. */
export interface LlmCallOptions {
  /**
   * Aborts the request (e.g. `withRetry`'s attempt deadline), so the call takes at most
   * min(the adapter's timeout, until the signal fires); an aborted call rejects with a retryable
   * error. Default none: only the adapter's own timeout applies.
   */
  signal?: AbortSignal | undefined;
}

/** One item of a draft for the verifier: its text and the issues it cites. */
export interface VerifyItem {
  /** Stable within the request (`s0i2`: section 0, item 2). */
  id: string;
  text: string;
  issueKeys: string[];
}

/** What the verifier checks: each item against the issues it cites. Jira text is untrusted. */
export interface VerifyRequest {
  locale: string;
  items: VerifyItem[];
  /** The cited issues (at least); items are judged against these only. */
  issues: JiraIssue[];
}

/** The verifier's answer: a verdict per item id (items it skipped have none). */
export interface VerifyAnswer {
  verdicts: Array<{ id: string; supported: boolean; reason: string }>;
  model: string;
  usage: LlmUsage;
}

/** Writes an announcement as structured output (validated against `llmEmail`). */
export interface LlmPort {
  writeEmail(request: EmailRequest, options?: LlmCallOptions): Promise<EmailAnswer>;
  /**
   * Judges each item of a draft against the issues it cites (structured output validated
   * against `groundingVerdict`). Optional: an LLM without it has no verifier.
   */
  verifyItems?(request: VerifyRequest, options?: LlmCallOptions): Promise<VerifyAnswer>;
}
