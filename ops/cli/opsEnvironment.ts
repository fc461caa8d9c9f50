import { type Config, loadConfig } from '#shared/config';

/**
 * What the CLI reads from the environment: the pipeline's own configuration (`loadConfig`:
 * HERALD_ENV, JIRA_SITE_URL, JIRA_EMAIL, OPENAI_MODEL, ...) plus the AWS CLI conventions and the
 * two secrets an operator may hand over directly instead of reading them from Secrets Manager.
 * The only place in ops/ that reads `process.env`.
 */
export interface OpsEnvironment {
  /** The pipeline configuration, validated (a bad value is a ConfigError naming the variable). */
  config: Config;
  aws: {
    /** `AWS_REGION` exactly as set (unset: the profile's region, else us-east-1). */
    region: string | undefined;
    /** `AWS_PROFILE`. */
    profile: string | undefined;
    /** `AWS_ENDPOINT_URL`: every AWS call goes there (an emulator). */
    endpoint: string | undefined;
    /** Whether `AWS_ACCESS_KEY_ID` is set (explicit credentials win over the local dummy ones). */
    hasAccessKey: boolean;
  };
  /** `JIRA_API_TOKEN`; when unset the token is read from Secrets Manager. */
  jiraApiToken: string | undefined;
  /** `OPENAI_API_KEY`; when unset the key is read from Secrets Manager (none: template emails). */
  openaiApiKey: string | undefined;
  /** Who runs the command and how they edit text (`herald drafts approve|hold|edit`). */
  operator: OperatorEnvironment;
}

/** The operator's login name and editor, as the shell says. */
export interface OperatorEnvironment {
  /** `USER`, else `LOGNAME`; unset: the OS user name is asked for. */
  user: string | undefined;
  /** `VISUAL`, else `EDITOR` (a command line, e.g. `code --wait`); unset: `vi`. */
  editor: string | undefined;
}

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/**
 * Reads the environment once, at the start of a command.
 * @throws ConfigError naming every bad variable.
 */
export const readOpsEnvironment = (env: NodeJS.ProcessEnv = process.env): OpsEnvironment => ({
  config: loadConfig(env),
  aws: {
    region: value(env, 'AWS_REGION'),
    profile: value(env, 'AWS_PROFILE'),
    endpoint: value(env, 'AWS_ENDPOINT_URL'),
    hasAccessKey: value(env, 'AWS_ACCESS_KEY_ID') !== undefined,
  },
  jiraApiToken: value(env, 'JIRA_API_TOKEN'),
  openaiApiKey: value(env, 'OPENAI_API_KEY'),
  operator: {
    user: value(env, 'USER') ?? value(env, 'LOGNAME'),
    editor: value(env, 'VISUAL') ?? value(env, 'EDITOR'),
  },
});
