/** Reads secrets by name, caching each in memory for the life of the process. Never log a value. */
export interface SecretsPort {
  /** The secret's string value. */
  get(name: string): Promise<string>;
  /** The value, or undefined when the secret is missing or empty (optional integrations). */
  getOptional(name: string): Promise<string | undefined>;
}
