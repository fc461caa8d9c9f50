import { Argument, InvalidArgumentError, Option } from 'commander';
import { emailAddress } from '#contracts/contact';
import { configSchema } from '#shared/config';
import { STAGES } from '#topology/topology';

/** Jira project keys, as the directory stores them (A-Z first, then A-Z, 0-9 or _, at most 20). */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,19}$/;

/** Jira version ids: digits. */
const VERSION_ID = /^\d{1,18}$/;

/**
 * A commander value parser for a whole number in `min..max`.
 * @param unit what the number counts, for the message (`messages`, `messages per second`).
 */
export const integerIn =
  (min: number, max: number, unit: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number of ${unit} from ${min} to ${max}.`);
    }
    return n;
  };

/** Parses a Jira project key (upper-cased), for commander. */
export const projectKey = (value: string): string => {
  const key = value.trim().toUpperCase();
  if (!PROJECT_KEY.test(key)) {
    throw new InvalidArgumentError(
      'expected a Jira project key such as ABC (A-Z first, then A-Z, 0-9 or _).',
    );
  }
  return key;
};

/** Parses a Jira version id (digits), for commander. */
export const versionId = (value: string): string => {
  const id = value.trim();
  if (!VERSION_ID.test(id)) throw new InvalidArgumentError('expected a Jira version id such as 10001.');
  return id;
};

/** Parses an environment name (`HERALD_ENV` rules), for commander. */
export const environmentName = (value: string): string => {
  const parsed = configSchema.shape.HERALD_ENV.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected 0-20 characters of a-z, 0-9 and -.');
  return parsed.data;
};

/** The `<stage>` argument: one of the topology's stages. */
export const stageArgument = (): Argument => new Argument('<stage>', 'pipeline stage').choices(STAGES);

/** The `--json` option of every command that prints data. */
export const jsonOption = (): Option =>
  new Option('--json', 'print JSON (stable field names) instead of text');

/** Parses an email address (trimmed, lower-cased), for commander. */
export const emailArgument = (value: string): string => {
  const parsed = emailAddress.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('expected an email address such as ada@example.com.');
  return parsed.data;
};
