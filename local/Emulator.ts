import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { EmulatorError } from './errors.ts';
import { exited, tailBuffer, waitForExit, waitUntilReady } from './childProcess.ts';
import {
  installIntoVenv,
  type VenvInstallation,
  type VenvTool,
  type VenvToolOptions,
} from './venvInstall.ts';

export type { Print } from './venvInstall.ts';
export { REPO_ROOT } from './venvInstall.ts';

/** The pinned requirements of the emulator, relative to the repository root. */
export const MOTO_REQUIREMENTS = 'local/requirements-moto.txt';

const MARKER = '.herald-moto-requirements.sha256';

/** Options of {@link ensureInstalled}; `.venv/` is created under `rootDir`. */
export type EnsureInstalledOptions = VenvToolOptions;

/** moto in `<root>/.venv`, at the version pinned in {@link MOTO_REQUIREMENTS}. */
const MOTO: VenvTool = {
  requirements: MOTO_REQUIREMENTS,
  versionPattern: /^moto(?:\[[^\]]*\])?==([^\s#;]+)/m,
  pinExample: 'moto[server]==X.Y.Z',
  packageName: 'moto',
  venvName: '.venv',
  executable: 'moto_server',
  marker: MARKER,
};

/** Where moto is installed (`venvDir` is `<root>/.venv`, `version` the pinned one). */
export interface MotoInstallation extends Omit<VenvInstallation, 'executablePath'> {
  /** The `moto_server` executable in the venv. */
  motoServer: string;
}

/**
 * Installs the pinned moto server into `<root>/.venv` on first use: `python3 -m venv .venv`, then
 * `pip install -r local/requirements-moto.txt`. Idempotent: a marker file in the venv
 * holds the SHA-256 of the requirements file, and the install runs again only when that file
 * changes. Concurrent callers wait for each other (a lock directory in the venv). Needs Python 3.9+
 * with the venv module and access to PyPI on the first run; Linux and macOS paths (`.venv/bin`).
 * @throws {EmulatorError} when Python, venv or pip fail; the message ends with their output.
 */
export const ensureInstalled = async (options: EnsureInstalledOptions = {}): Promise<MotoInstallation> => {
  const { executablePath, ...installation } = await installIntoVenv(MOTO, options);
  return { ...installation, motoServer: executablePath };
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

  await waitUntilReady({
    child,
    name: 'moto_server',
    readyUrl: `${endpoint}/moto-api/`,
    endpoint,
    timeoutMs: readyTimeoutMs,
    intervalMs: 100,
    spawnError: () => spawnError,
    stop,
    output: () => tail.text,
  });
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
