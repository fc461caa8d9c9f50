import { spawn } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '#local/Emulator';

/** What one `herald` run printed and its exit code. */
export interface HeraldRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link herald}. */
export interface HeraldOptions {
  /** Extra environment variables (the child gets no AWS_*, HERALD_*, JIRA_* or OPENAI_* of ours). */
  env?: Record<string, string>;
  /** Kill the child after this long, milliseconds. Default 60000. */
  timeoutMs?: number;
}

// Variables the test process may hold (LocalHerald sets AWS_ENDPOINT_URL and friends in it) that
// would change what the CLI does: the child gets only what a test passes on purpose.
const OWN_PREFIXES = [
  'AWS_',
  'HERALD_',
  'JIRA_',
  'OPENAI_',
  'LOG_LEVEL',
  'SENDER_',
  'SCHEDULER_',
  'UNSUBSCRIBE_',
];

const baseEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !OWN_PREFIXES.some((prefix) => entry[0].startsWith(prefix)),
    ),
  );

/**
 * Runs a command as a child process from the repository root and waits for it: `herald` is
 * `node ops/herald.ts` on the Node running the tests (the pinned Node 24, as under npx), or
 * `npx herald` through the package bin when `command` is `npx`.
 */
export const runCommand = (
  command: string,
  args: readonly string[],
  options: HeraldOptions = {},
): Promise<HeraldRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: REPO_ROOT,
      env: { ...baseEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** Runs `herald <args>` (see {@link runCommand}). */
export const herald = (args: readonly string[], options: HeraldOptions = {}): Promise<HeraldRun> =>
  runCommand(process.execPath, ['ops/herald.ts', ...args], options);

/** The JSON a `--json` run printed; fails the test with its stderr when it is not JSON. */
export const jsonOf = <T = Record<string, unknown>>(run: HeraldRun): T => {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
};

/**
 * A program to pass as `EDITOR` to `herald drafts edit`: it parses the JSON file it is given as
 * `doc`, runs `change` (JavaScript over `doc`) and writes the file back. Resolves to its path.
 */
export const editorScript = async (change: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-editor-'));
  const script = join(dir, 'edit.mjs');
  await writeFile(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';\nconst file = process.argv[2];\nconst doc = JSON.parse(readFileSync(file, 'utf8'));\n${change}\nwriteFileSync(file, JSON.stringify(doc, null, 2));\n`,
  );
  const wrapper = join(dir, 'editor.sh');
  await writeFile(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$1"\n`);
  await chmod(wrapper, 0o755);
  return wrapper;
};
