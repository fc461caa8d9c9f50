import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SpanKind } from '@opentelemetry/api';
import { isRetryable } from '#retry/isRetryable';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { RetryableError } from '#shared/errors';
import { withSpan } from '#shared/tracing';
import { SecretMissingError } from './errors.ts';
import type { SecretsPort } from './SecretsPort.ts';

/** Options of {@link SecretsManagerSecrets}. */
export interface SecretsManagerSecretsOptions {
  /** Secrets Manager client. Default `new SecretsManagerClient(awsClientDefaults())` (request timeouts). */
  client?: SecretsManagerClient;
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : '');

/**
 * {@link SecretsPort} over Secrets Manager `GetSecretValue` (the AWSCURRENT `SecretString`).
 * Each value is cached for the life of the process (a Lambda cold start) by caching the
 * in-flight promise, so concurrent first reads make one call; a failure, a missing or an empty
 * secret is not cached, so a secret created later is picked up. Values are never logged and
 * never appear in an error message.
 */
export class SecretsManagerSecrets implements SecretsPort {
  readonly #client: SecretsManagerClient;
  readonly #cache = new Map<string, Promise<string | undefined>>();

  constructor(options: SecretsManagerSecretsOptions = {}) {
    this.#client = options.client ?? new SecretsManagerClient(awsClientDefaults());
  }

  async get(name: string): Promise<string> {
    const value = await this.#read(name);
    if (value === undefined) throw new SecretMissingError(name);
    return value;
  }

  async getOptional(name: string): Promise<string | undefined> {
    return this.#read(name);
  }

  /** The cached value, or one read; undefined for a missing or empty secret. */
  #read(name: string): Promise<string | undefined> {
    const cached = this.#cache.get(name);
    if (cached) return cached;
    const pending = this.#fetch(name);
    this.#cache.set(name, pending);
    const forget = (): void => {
      if (this.#cache.get(name) === pending) this.#cache.delete(name);
    };
    pending.then((value) => {
      if (value === undefined) forget();
    }, forget);
    return pending;
  }

  #fetch(name: string): Promise<string | undefined> {
    return withSpan(
      'SecretsManager.GetSecretValue',
      async () => {
        try {
          const output = await this.#client.send(new GetSecretValueCommand({ SecretId: name }));
          return output.SecretString === undefined || output.SecretString === ''
            ? undefined
            : output.SecretString;
        } catch (err) {
          const errName = errorName(err);
          if (errName === 'ResourceNotFoundException') return undefined;
          // Only the name and the SDK's message, which names the secret but never holds its value.
          const detail = `${errName || 'error'}: ${err instanceof Error ? err.message : String(err)}`;
          // What the SDK already retried and still failed: the ladder tries again later.
          if (isRetryable(err)) {
            throw new RetryableError(`reading secret ${name} failed (${detail})`, { cause: err });
          }
          throw err;
        }
      },
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'SecretsManager',
          'rpc.method': 'GetSecretValue',
          'herald.secret_name': name,
        },
      },
    );
  }
}
