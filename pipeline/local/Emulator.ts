import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorError } from './errors.ts';

/** The repository root (where `.venv/` lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The pinned requirements of the emulator, relative to the repository root. */
export const MOTO_REQUIREMENTS = 'pipeline/local/requirements-moto.txt';

const MARKER = '.herald-moto-requirements.sha256';
const LOCK = '.herald-install.lock';
/** A lock older than this is left over from a killed install, milliseconds. */
const STALE_LOCK_MS = 15 * 60_000;
const TAIL_CHARS = 4_000;

/** Writes one line of progress for a person (default: stderr). */
export type Print = (line: string) => void;

const printToStderr: Print = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Options of {@link ensureInstalled}. */
export interface EnsureInstalledOptions {
  /** Repository root; `.venv/` is created here. Default {@link REPO_ROOT}. */
  rootDir?: string;
  /** Python 3 used to create the venv. Default `python3` on the PATH. */
  python?: string;
  /** Progress lines for a person. Default stderr. */
  print?: Print;
}

/** Where moto is installed. */
export interface MotoInstallation {
  /** The venv, `<root>/.venv`. */
  venvDir: string;
  /** The `moto_server` executable in the venv. */
  motoServer: string;
  /** moto version pinned in {@link MOTO_REQUIREMENTS}. */
  version: string;
  /** True when this call installed (or reinstalled) it; false when it was already there. */
  installed: boolean;
  /** Time spent installing, milliseconds (0 when nothing was installed). */
  installMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** Takes a directory lock, waiting while another process holds a fresh one. */
export const withLock = async <T>(lockDir: string, fn: () => Promise<T>, print: Print): Promise<T> => {
  let told = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > STALE_LOCK_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) print(`waiting for another process installing into ${dirname(lockDir)} (${lockDir})…`);
      told = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
};

/**
 * Installs the pinned moto server into `<root>/.venv` on first use: `python3 -m venv .venv`, then
 * `pip install -r pipeline/local/requirements-moto.txt`. Idempotent: a marker file in the venv
 * holds the SHA-256 of the requirements file, and the install runs again only when that file
 * changes. Concurrent callers wait for each other (a lock directory in the venv). Needs Python 3.9+
 * with the venv module and access to PyPI on the first run; Linux and macOS paths (`.venv/bin`).
 * @throws {EmulatorError} when Python, venv or pip fail; the message ends with their output.
 */
export const ensureInstalled = async (options: EnsureInstalledOptions = {}): Promise<MotoInstallation> => {
  const rootDir = options.rootDir ?? REPO_ROOT;
  const print = options.print ?? printToStderr;
  const requirementsPath = join(rootDir, MOTO_REQUIREMENTS);
  const requirements = await readFile(requirementsPath, 'utf8').catch((err: unknown) => {
    throw new EmulatorError(`cannot read ${requirementsPath}`, { cause: err });
  });
  const version = /^moto(?:\[[^\]]*\])?==([^\s#;]+)/m.exec(requirements)?.[1];
  if (!version) throw new EmulatorError(`${requirementsPath} does not pin moto (moto[server]==X.Y.Z)`);
  const hash = createHash('sha256').update(requirements).digest('hex');
  const venvDir = join(rootDir, '.venv');
  const motoServer = join(venvDir, 'bin', 'moto_server');
  const venvPython = join(venvDir, 'bin', 'python');
  const markerPath = join(venvDir, MARKER);
  const result = (installed: boolean, installMs: number): MotoInstallation => ({
    venvDir,
    motoServer,
    version,
    installed,
    installMs,
  });
  const upToDate = async () =>
    existsSync(motoServer) && (await readFile(markerPath, 'utf8').catch(() => '')).trim() === hash;

  if (await upToDate()) return result(false, 0);
  await mkdir(venvDir, { recursive: true });
  return withLock(
    join(venvDir, LOCK),
    async () => {
      // Another process may have finished the install while this one waited for the lock.
      if (await upToDate()) return result(false, 0);
      const started = Date.now();
      const again = existsSync(markerPath);
      print(
        again
          ? `${MOTO_REQUIREMENTS} changed: reinstalling moto ${version} into .venv…`
          : `installing moto ${version} into .venv (first run only)…`,
      );
      if (!existsSync(venvPython)) await run(options.python ?? 'python3', ['-m', 'venv', venvDir], rootDir);
      await run(
        venvPython,
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsPath],
        rootDir,
      );
      if (!existsSync(motoServer)) throw new EmulatorError(`pip finished but ${motoServer} is missing`);
      await writeFile(markerPath, `${hash}\n`);
      const installMs = Date.now() - started;
      print(`moto ${version} installed in ${Math.round(installMs / 1000)} s`);
      return result(true, installMs);
    },
    print,
  );
};

/** A running (or reachable) emulator. */
export interface Emulator {
  /** Base URL every AWS SDK client uses as `endpoint`, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** `moto`: started by this process; `external`: found at `AWS_ENDPOINT_URL`, not ours to stop. */
  kind: 'moto' | 'external';
  /** Stops moto (SIGTERM, then SIGKILL after a grace period); a no-op for an external emulator. */
  stop(): Promise<void>;
  /**
   * Clears every resource and message (`POST /moto-api/reset`). Throws {@link EmulatorError}
   * when the emulator has no such API (an external one that is not moto).
   */
  reset(): Promise<void>;
}

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions extends EnsureInstalledOptions {
  /** TCP port; default a free loopback port. */
  port?: number;
  /** Address moto listens on. Default `127.0.0.1` (never a public interface). */
  host?: string;
  /** How long to wait for `GET /moto-api/` to answer, milliseconds. Default 60000. */
  readyTimeoutMs?: number;
  /** Wait after SIGTERM before SIGKILL, milliseconds. Default 3000. */
  stopGraceMs?: number;
}

/** A free TCP port on `host`: listen on port 0, read the port, close. */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });

const resetAt = async (endpoint: string): Promise<void> => {
  const res = await fetch(`${endpoint}/moto-api/reset`, {
    method: 'POST',
    signal: AbortSignal.timeout(10_000),
  }).catch((err: unknown) => {
    throw new EmulatorError(`reset failed: nothing answers at ${endpoint}`, { cause: err, endpoint });
  });
  await res.body?.cancel();
  if (!res.ok) {
    throw new EmulatorError(`reset failed: POST ${endpoint}/moto-api/reset answered ${res.status}`, {
      endpoint,
    });
  }
};

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const waitForExit = (child: ChildProcess, ms: number): Promise<boolean> =>
  exited(child)
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });

const spawnMoto = async (
  motoServer: string,
  host: string,
  port: number,
  readyTimeoutMs: number,
  stopGraceMs: number,
): Promise<Emulator> => {
  const endpoint = `http://${host}:${port}`;
  const tail = tailBuffer();
  const child = spawn(motoServer, ['-H', host, '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  // The pipes must be drained: moto logs every request, and a full pipe would block it.
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  // A test runner or CLI that exits without calling stop() must not leave moto running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited(child)) return;
    child.kill('SIGTERM');
    if (await waitForExit(child, stopGraceMs)) return;
    child.kill('SIGKILL');
    await waitForExit(child, stopGraceMs);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (spawnError || exited(child)) {
      await stop();
      const why = spawnError ? spawnError.message : `exit code ${child.exitCode ?? child.signalCode}`;
      throw new EmulatorError(
        `moto_server stopped before it was ready (${why}); its output ended with:\n${tail.text}`,
        {
          cause: spawnError,
          endpoint,
        },
      );
    }
    const ready = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => {
        await res.body?.cancel();
        return res.ok;
      },
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new EmulatorError(
        `moto_server did not answer GET ${endpoint}/moto-api/ within ${Math.round(readyTimeoutMs / 1000)} s; its output ended with:\n${tail.text}`,
        { endpoint },
      );
    }
    await sleep(100);
  }
  return { endpoint, kind: 'moto', stop, reset: () => resetAt(endpoint) };
};

/**
 * Starts moto server on loopback (installing it first when needed, see {@link ensureInstalled})
 * and waits until `GET /moto-api/` answers.
 * @throws {EmulatorError} when moto exits or does not answer in time; the message ends with the
 *   tail of its output.
 */
export const startEmulator = async (options: StartEmulatorOptions = {}): Promise<Emulator> => {
  const { motoServer } = await ensureInstalled(options);
  const host = options.host ?? '127.0.0.1';
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 3_000;
  // A port found free can be taken by someone else before moto binds it: try another one.
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort(host));
    try {
      return await spawnMoto(motoServer, host, port, readyTimeoutMs, stopGraceMs);
    } catch (err) {
      const portTaken = err instanceof EmulatorError && /address already in use/i.test(err.message);
      if (!portTaken || options.port !== undefined || attempt >= 3) throw err;
    }
  }
};

/** Options of {@link connectOrStart}. */
export interface ConnectOrStartOptions extends StartEmulatorOptions {
  /**
   * Endpoint of an emulator that is already running (LocalStack, a shared moto). Default
   * `env.AWS_ENDPOINT_URL`.
   */
  endpoint?: string | undefined;
  /**
   * What to do when there is no endpoint: `start-moto` starts moto on loopback, `fail` throws.
   * Required, so that no caller can end up talking to real AWS by accident.
   */
  whenNoEndpoint: 'start-moto' | 'fail';
  /** Environment read for `AWS_ENDPOINT_URL`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The emulator of the local stack: the one at `AWS_ENDPOINT_URL` (or `options.endpoint`) when
 * set, else a moto server started here (or an error, per `whenNoEndpoint`). Never AWS: an
 * endpoint on `amazonaws.com` is refused.
 * @throws {EmulatorError} when the endpoint is AWS or does not answer, or when there is none and
 *   `whenNoEndpoint` is `fail`.
 */
export const connectOrStart = async (options: ConnectOrStartOptions): Promise<Emulator> => {
  const raw = options.endpoint ?? (options.env ?? process.env).AWS_ENDPOINT_URL;
  if (!raw) {
    if (options.whenNoEndpoint === 'start-moto') return startEmulator(options);
    throw new EmulatorError(
      'no emulator: set AWS_ENDPOINT_URL to a running emulator (LocalStack, moto) or let the local stack start moto',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new EmulatorError(`AWS_ENDPOINT_URL is not a URL: ${raw}`, { cause: err });
  }
  if (url.hostname === 'amazonaws.com' || url.hostname.endsWith('.amazonaws.com')) {
    throw new EmulatorError(
      `AWS_ENDPOINT_URL points at AWS (${url.host}); the local stack only talks to an emulator`,
    );
  }
  const endpoint = url.origin;
  // Any HTTP answer will do: emulators answer their root differently (moto 404, LocalStack 200).
  await fetch(endpoint, { signal: AbortSignal.timeout(5_000) }).then(
    (res) => res.body?.cancel(),
    (err: unknown) => {
      throw new EmulatorError(`nothing answers at AWS_ENDPOINT_URL ${endpoint}`, { cause: err, endpoint });
    },
  );
  return { endpoint, kind: 'external', stop: async () => undefined, reset: () => resetAt(endpoint) };
};
