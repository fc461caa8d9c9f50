import { PermanentError } from '#shared/errors';

/** An approval record was to be settled but none is stored under its key (a caller's bug). */
export class ApprovalNotFoundError extends PermanentError {
  override name = 'ApprovalNotFoundError';

  constructor(approvalKey: string) {
    super('approval_not_found', `no approval record under ${approvalKey}`);
  }
}
