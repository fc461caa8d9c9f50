import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraPort } from '#adapters/jira/JiraPort';
import type { ApprovalLedgerPort } from '#adapters/ledger/ApprovalLedgerPort';
import type { LedgerPort } from '#adapters/ledger/LedgerPort';
import type { LlmPort } from '#adapters/llm/LlmPort';
import type { QueuePort } from '#adapters/queue/QueuePort';
import type { ReviewLinks } from './approval/ReviewLinks.ts';
import type { FanOutDeps } from './recordFanOut.ts';

/** What the compose stage needs. */
export interface ComposeDeps {
  jira: JiraPort;
  /**
   * The client directory: the project's send policy (scope, audiences, release-note field,
   * `minCoverage`, `verifyGrounding`; references and sender identity of its emails).
   */
  directory: DirectoryPort;
  /** The LLM; undefined when no OpenAI key is configured (every draft comes from the template). */
  llm?: LlmPort | undefined;
  ledger: LedgerPort & ApprovalLedgerPort;
  /** Where send.job goes (the send queue), and release.changed when a job finds the date moved (the enrich queue). */
  queue: QueuePort;
  /** Clock for `createdAt`, a re-plan's `occurredAt` and draft claims. */
  now: () => Date;
  /** Waits `ms` while another composer writes a draft; default a timer (tests pass their own). */
  sleep?: ((ms: number) => Promise<unknown>) | undefined;
  /** HERALD_ENV, for queue names. Default none. */
  env?: string | undefined;
  /** Most issues read from Jira per release (JIRA_MAX_ISSUES). Default the adapter's (500). */
  maxIssues?: number | undefined;
  /** Most issues the template fallback lists. Default 50. */
  fallbackMaxItems?: number | undefined;
  /** Where review emails' Approve/Hold links point and what seals them (policy `approval`). */
  review?: (() => Promise<ReviewLinks>) | undefined;
  /**
   * How long a send waiting for a decision (a revision written at its send time) waits between
   * looks at the approval record, seconds, 1..900. Default 300.
   */
  approvalRecheckSeconds?: number | undefined;
  /** Compose as if the policy had no `approval` (`herald preview`: what the drafts say). Default false. */
  ignoreApproval?: boolean | undefined;
  /** Where each chunk's fan-out is recorded for `herald report` (see {@link recordFanOut}); default none. */
  records?: FanOutDeps['records'];
  /** Delay of the owners' point.summary, seconds (see {@link recordFanOut}). */
  summaryDelaySeconds?: number | undefined;
}
