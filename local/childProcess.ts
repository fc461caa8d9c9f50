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

/** Options of {@link waitUntilReady}. */
export interface WaitUntilReadyOptions {
  /** The server process. */
  child: ChildProcess;
  /** Its name in messages (`moto_server`). */
  name: string;
  /** Polled with GET until it answers 2xx. */
  readyUrl: string;
  /** The endpoint the server serves (carried by the error). */
  endpoint: string;
  /** How long to wait, milliseconds. */
  timeoutMs: number;
  /** Pause between polls, milliseconds. */
  intervalMs: number;
  /** The error `spawn` reported, if any (read at every poll). */
  spawnError: () => Error | undefined;
  /** Stops the server (called before throwing). */
  stop: () => Promise<void>;
  /** The tail of the server's output, for the error message. */
  output: () => string;
}

/**
 * Polls `GET readyUrl` until it answers 2xx.
 * @throws {EmulatorError} after stopping the server, when it exits first or does not answer in
 *   time; the message ends with the tail of its output.
 */
export const waitUntilReady = async (options: WaitUntilReadyOptions): Promise<void> => {
  const { child, name, endpoint } = options;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const spawnError = options.spawnError();
    if (spawnError || exited(child)) {
      await options.stop();
      const why = spawnError ? spawnError.message : `exit code ${child.exitCode ?? child.signalCode}`;
      throw new EmulatorError(
        `${name} stopped before it was ready (${why}); its output ended with:\n${options.output()}`,
        { cause: spawnError, endpoint },
      );
    }
    const ready = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => {
        await res.body?.cancel();
        return res.ok;
      },
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      await options.stop();
      throw new EmulatorError(
        `${name} did not answer GET ${options.readyUrl} within ${Math.round(options.timeoutMs / 1000)} s; its output ended with:\n${options.output()}`,
        { endpoint },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
};
