import { type ChildProcess, spawn } from 'node:child_process';
import { EmulatorError } from './errors.ts';

const TAIL_CHARS = 4_000;

/** Keeps the last {@link TAIL_CHARS} characters of a child's output for error messages. */
export const tailBuffer = () => {
  let text = '';
  return {
    push(chunk: Buffer | string) {
      text = (text + chunk.toString()).slice(-TAIL_CHARS);
    },
    get text() {
      return text.trimEnd();
    },
  };
};

/**
 * Runs `command` in `cwd` and waits for it.
 * @throws {EmulatorError} when it cannot start or exits non-zero; the message ends with its output.
 */
export const run = (command: string, args: string[], cwd: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const tail = tailBuffer();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => tail.push(c));
    child.stderr.on('data', (c: Buffer) => tail.push(c));
    child.once('error', (err) =>
      reject(new EmulatorError(`could not run ${command}: ${err.message}`, { cause: err })),
    );
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new EmulatorError(
            `${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}); its output ended with:\n${tail.text}`,
          ),
        );
    });
  });

/** True once the child has exited or was killed. */
export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Resolves true when the child exits within `ms` milliseconds, false otherwise. */
export const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  exited(child)
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
