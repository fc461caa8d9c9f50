import { ConfigError } from '#shared/config';

/**
 * A required secret does not exist or is empty. Names the secret, never a value. Not retryable:
 * a person must create or fill the secret.
 */
export class SecretMissingError extends ConfigError {
  override name = 'SecretMissingError';
  /** Full name of the secret (`herald-<env>-<name>`). */
  readonly secretName: string;

  constructor(secretName: string, options?: { cause?: unknown }) {
    super(
      `secret ${secretName} is missing or empty: create it in Secrets Manager with a SecretString`,
      options,
    );
    this.secretName = secretName;
  }
}
