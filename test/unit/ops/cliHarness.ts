import { PassThrough } from 'node:stream';
import { type HeraldIo, runHerald } from '#ops/cli/runHerald';

/** What one in-process `herald` run printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  env?: NodeJS.ProcessEnv;
  /** Answer typed at a confirmation prompt; stdin is a terminal only when set. */
  answer?: string;
  now?: () => Date;
}

const sink = () => {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    isTTY: false,
    get text() {
      return text;
    },
  };
};

/**
 * Runs `herald` in this process with buffers for stdout and stderr. AWS clients are the real ones
 * (mock them with aws-sdk-client-mock); the environment is only what `env` says.
 */
export const runCli = async (args: string[], options: RunCliOptions = {}): Promise<CliRun> => {
  const stdout = sink();
  const stderr = sink();
  const stdin = Object.assign(new PassThrough(), { isTTY: options.answer !== undefined });
  if (options.answer !== undefined) stdin.end(`${options.answer}\n`);
  const io: HeraldIo = {
    stdout,
    stderr,
    stdin,
    env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...options.env },
    ...(options.now ? { now: options.now } : {}),
  };
  const code = await runHerald(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
};
