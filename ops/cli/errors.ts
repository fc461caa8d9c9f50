import { CommanderError } from 'commander';
import { ContractError } from '#contracts/errors';
import { ConfigError } from '#shared/config';
import { HeraldError } from '#shared/errors';
import { EXIT_CODES, type ExitCode } from './exitCodes.ts';

/** Base of the CLI's own errors: a message meant for the operator and the exit code to end with. */
export class OpsError extends HeraldError {
  override name = 'OpsError';
  /** Exit code the CLI ends with. Default {@link EXIT_CODES.failed}. */
  readonly exitCode: ExitCode;

  constructor(message: string, options?: { cause?: unknown; exitCode?: ExitCode }) {
    super(message, { cause: options?.cause });
    this.exitCode = options?.exitCode ?? EXIT_CODES.failed;
  }
}

/** The command line asked for something that cannot be done as asked (exit 2); nothing was changed. */
export class UsageError extends OpsError {
  override name = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, exitCode: EXIT_CODES.usage });
  }
}

/**
 * The exit code for an error that ended a command:
 * - commander's own (help shown → 0, anything else is bad usage → 2);
 * - {@link OpsError} → its own code;
 * - ContractError (an argument that breaks a contract: email, point spec, time zone) and
 *   ConfigError (a bad environment variable) → 2;
 * - anything else → 1.
 */
export const exitCodeOf = (err: unknown): ExitCode => {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  if (err instanceof OpsError) return err.exitCode;
  if (err instanceof ContractError || err instanceof ConfigError) return EXIT_CODES.usage;
  return EXIT_CODES.failed;
};

/**
 * One line for the operator: the error's message, then each distinct cause message
 * (`SDK said: ...`), never a stack trace.
 */
export const describeFailure = (err: unknown): string => {
  const parts: string[] = [];
  let cursor: unknown = err;
  for (let depth = 0; depth < 4 && cursor !== undefined && cursor !== null; depth++) {
    const message =
      cursor instanceof Error ? cursor.message || cursor.name : typeof cursor === 'string' ? cursor : '';
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    cursor = cursor instanceof Error ? cursor.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
};
