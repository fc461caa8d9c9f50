import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { exited, tailBuffer, waitForExit, waitUntilReady } from './childProcess.ts';
import { freePort } from './Emulator.ts';
import {
  installIntoVenv,
  type VenvInstallation,
  type VenvTool,
  type VenvToolOptions,
} from './venvInstall.ts';

/** The pinned requirements of ministack, relative to the repository root. */
export const MINISTACK_REQUIREMENTS = 'local/requirements-ministack.txt';

/**
 * ministack's venv, relative to the repository root. Not moto's `.venv`: ministack pins a botocore
 * that moto's requirements do not allow, so the two cannot share one.
 */
export const MINISTACK_VENV = '.venv-ministack';

const MARKER = '.herald-ministack-requirements.sha256';

/** Options of {@link ensureMinistackInstalled}; {@link MINISTACK_VENV} is created under `rootDir`. */
export type EnsureMinistackOptions = VenvToolOptions;

/** ministack in {@link MINISTACK_VENV}, at the version pinned in {@link MINISTACK_REQUIREMENTS}. */
const MINISTACK: VenvTool = {
  requirements: MINISTACK_REQUIREMENTS,
  versionPattern: /^ministack==([^\s#;]+)/m,
  pinExample: 'ministack==X.Y.Z',
  packageName: 'ministack',
  venvName: MINISTACK_VENV,
  executable: 'ministack',
  marker: MARKER,
};

/** Where ministack is installed (`venvDir` is `<root>/.venv-ministack`, `version` the pinned one). */
export interface MinistackInstallation extends Omit<VenvInstallation, 'executablePath'> {
  /** The `ministack` executable in the venv. */
  executable: string;
}

/**
 * Installs the pinned ministack into `<root>/.venv-ministack` on first use (`python3 -m venv`, then
 * `pip install -r local/requirements-ministack.txt`), as `ensureInstalled` does for moto
 * (see {@link installIntoVenv}: idempotent, concurrent callers wait). Needs PyPI on the first run.
 * @throws {EmulatorError} when Python, venv or pip fail; the message ends with their output.
 */
export const ensureMinistackInstalled = async (
  options: EnsureMinistackOptions = {},
): Promise<MinistackInstallation> => {
  const { executablePath, ...installation } = await installIntoVenv(MINISTACK, options);
  return { ...installation, executable: executablePath };
};

/** A running ministack. */
export interface Ministack {
  /** Base URL of every AWS SDK client, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Stops ministack and the Lambda workers it started (its process group). */
  stop(): Promise<void>;
  /** The last few thousand characters it printed (for failure messages). */
  output(): string;
}

/** Options of {@link startMinistack}. */
export interface StartMinistackOptions extends EnsureMinistackOptions {
  /** TCP port on 127.0.0.1. Default a free one. */
  port?: number;
  /**
   * Directory put first on ministack's PATH: its Lambda workers run the first `node` found there.
   * Default the directory of the Node running this code (the pinned Node 24 under npm and npx).
   */
  nodeBinDir?: string;
  /** Region of requests that name none. Default us-east-1. */
  region?: string;
  /**
   * More environment for the ministack process. Its local Lambda executor starts every function
   * with ministack's own environment under the function's variables, so a variable set here that
   * a function's configuration does not set reaches that function.
   */
  env?: Record<string, string>;
  /** How long to wait for `GET /_ministack/health`, milliseconds. Default 60000. */
  readyTimeoutMs?: number;
}

/** Signals ministack's process group (it and the Lambda workers it spawned). */
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
};

/**
 * Starts ministack on 127.0.0.1 (installing it first when needed) with the pinned Node first on
 * its PATH and a temporary directory of its own as TMPDIR, and waits until `GET
 * /_ministack/health` answers. It keeps all state in memory; stop() removes the directory.
 * @throws {EmulatorError} when it exits or does not answer in time; the message ends with its output.
 */
export const startMinistack = async (options: StartMinistackOptions = {}): Promise<Ministack> => {
  const { executable } = await ensureMinistackInstalled(options);
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const nodeBinDir = options.nodeBinDir ?? join(process.execPath, '..');
  const tail = tailBuffer();
  // Its own temporary directory: ministack unpacks every function's code under TMPDIR and leaves
  // it there when stopped; stop() removes the directory.
  const tempDir = await mkdtemp(join(tmpdir(), 'herald-ministack-'));
  const child = spawn(executable, [], {
    // Its own process group, so that stop() also ends the Lambda workers it spawned.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      PATH: [nodeBinDir, process.env.PATH ?? ''].join(delimiter),
      GATEWAY_PORT: String(port),
      BIND_HOST: '127.0.0.1',
      MINISTACK_REGION: options.region ?? 'us-east-1',
      PYTHONUNBUFFERED: '1',
      TMPDIR: tempDir,
    },
  });
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const killOnExit = () => {
    signalGroup(child, 'SIGKILL');
    rmSync(tempDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited(child)) {
      signalGroup(child, 'SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        signalGroup(child, 'SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    await rm(tempDir, { recursive: true, force: true });
  };

  await waitUntilReady({
    child,
    name: 'ministack',
    readyUrl: `${endpoint}/_ministack/health`,
    endpoint,
    timeoutMs: options.readyTimeoutMs ?? 60_000,
    intervalMs: 200,
    spawnError: () => spawnError,
    stop,
    output: () => tail.text,
  });
  return { endpoint, stop, output: () => tail.text };
};
