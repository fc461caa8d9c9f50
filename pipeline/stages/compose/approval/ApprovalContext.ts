import type { ApprovalPolicy } from '#contracts/approval';
import type { DraftContext } from '../DraftContext.ts';
import type { ReleaseScope } from '../releaseScope.ts';

/** What the approval steps of compose work with: a draft context plus the policy's `approval`. */
export interface ApprovalContext extends DraftContext {
  approval: ApprovalPolicy;
  /** The release's issues per audience (read once per record). */
  scope: ReleaseScope;
  /** Trace context of the incoming message, for the messages queued. */
  traceparent?: string | undefined;
}
