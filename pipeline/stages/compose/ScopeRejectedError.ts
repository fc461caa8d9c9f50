import { PermanentError } from '#shared/errors';

/**
 * Jira refused a release search because of something in the project's policy: its `scope`, an
 * audience's scope (`audiences.<name>.scope`) or the `releaseNoteField`. Permanent (reason
 * `scope_rejected`): the compose job goes to the DLQ with this message, and nothing is sent for
 * the point until the policy is fixed and the job redriven (`herald dlq redrive`).
 */
export class ScopeRejectedError extends PermanentError {
  override name = 'ScopeRejectedError';
  /** The project whose policy is at fault. */
  readonly projectKey: string;
  /** The policy field at fault: `scope`, `audiences.<name>.scope` or `releaseNoteField`. */
  readonly field: string;

  constructor(projectKey: string, field: string, message: string, options?: { cause?: unknown }) {
    super('scope_rejected', message, options);
    this.projectKey = projectKey;
    this.field = field;
  }
}
