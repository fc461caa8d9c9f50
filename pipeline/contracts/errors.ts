import type * as z from 'zod';

/** Base error of the contracts module: a message did not match its schema. */
export class ContractError extends Error {
  override name = 'ContractError';
  /** Which contract was being parsed, e.g. `jira.version_webhook` or `envelope`. */
  readonly contract: string;
  /** One line per problem, each `path: what is wrong`. */
  readonly problems: readonly string[];

  constructor(contract: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`invalid ${contract}: ${problems.join('; ')}`, options);
    this.contract = contract;
    this.problems = problems;
  }
}

/** Renders zod issues as `path: message` lines a person can act on. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });

/** Parses `input` with `schema`, throwing a {@link ContractError} that names every problem. */
export const parseContract = <S extends z.ZodType>(
  contract: string,
  schema: S,
  input: unknown,
): z.output<S> => {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new ContractError(contract, describeIssues(result.error), { cause: result.error });
  return result.data;
};

/** Parses a JSON text, reporting bad JSON as a {@link ContractError} rather than a SyntaxError. */
export const parseJsonContract = <S extends z.ZodType>(
  contract: string,
  schema: S,
  text: string,
): z.output<S> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ContractError(contract, [`body is not valid JSON (${(cause as Error).message})`], { cause });
  }
  return parseContract(contract, schema, value);
};
