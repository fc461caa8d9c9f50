import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './childProcess.ts';
import { EmulatorError } from './errors.ts';

/** The repository root (where `.venv/` lives). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Writes one line of progress for a person (default: stderr). */
export type Print = (line: string) => void;

/** The default {@link Print}: one line on stderr. */
export const printToStderr: Print = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Options of an installer of a pinned Python tool into a venv under the repository root. */
export interface VenvToolOptions {
  /** Repository root; the tool's venv is created here. Default the repository root. */
  rootDir?: string;
  /** Python 3 used to create the venv (ministack needs 3.10+). Default `python3` on the PATH. */
  python?: string;
  /** Progress lines for a person. Default stderr. */
  print?: Print;
}

const LOCK = '.herald-install.lock';
/** A lock older than this is left over from a killed install, milliseconds. */
const STALE_LOCK_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** What {@link installIntoVenv} installs, and where under the repository root. */
export interface VenvTool {
  /** The pinned requirements file, relative to `rootDir`. */
  requirements: string;
  /** Reads the pinned version out of the requirements file (first group). */
  versionPattern: RegExp;
  /** How a pin looks, for the error when there is none (`moto[server]==X.Y.Z`). */
  pinExample: string;
  /** Name of the package for a person (`moto`). */
  packageName: string;
  /** The venv directory, relative to `rootDir` (`.venv`). */
  venvName: string;
  /** The executable the install must leave in the venv's `bin/` (`moto_server`). */
  executable: string;
  /** Marker file in the venv holding the SHA-256 of the requirements file it was installed from. */
  marker: string;
}

/** Where a package is installed. */
export interface VenvInstallation {
  /** The venv, `<root>/<venvName>`. */
  venvDir: string;
  /** The executable in the venv. */
  executablePath: string;
  /** The pinned version. */
  version: string;
  /** True when this call installed (or reinstalled) it; false when it was already there. */
  installed: boolean;
  /** Time spent installing, milliseconds (0 when nothing was installed). */
  installMs: number;
}

/**
 * Installs a pinned requirements file into its own venv on first use: `python3 -m venv`, then
 * `pip install -r <requirements>`. Idempotent: a marker file in the venv holds the SHA-256 of the
 * requirements file, and the install runs again only when that file changes. Concurrent callers
 * wait for each other (a lock directory in the venv). Needs PyPI on the first run; Linux and
 * macOS paths (`bin/`).
 * @throws {EmulatorError} when Python, venv or pip fail; the message ends with their output.
 */
export const installIntoVenv = async (
  spec: VenvTool,
  options: VenvToolOptions = {},
): Promise<VenvInstallation> => {
  const { rootDir = REPO_ROOT, print = printToStderr } = options;
  const requirementsPath = join(rootDir, spec.requirements);
  const requirements = await readFile(requirementsPath, 'utf8').catch((err: unknown) => {
    throw new EmulatorError(`cannot read ${requirementsPath}`, { cause: err });
  });
  const version = spec.versionPattern.exec(requirements)?.[1];
  if (!version) {
    throw new EmulatorError(`${requirementsPath} does not pin ${spec.packageName} (${spec.pinExample})`);
  }
  const hash = createHash('sha256').update(requirements).digest('hex');
  const venvDir = join(rootDir, spec.venvName);
  const executablePath = join(venvDir, 'bin', spec.executable);
  const venvPython = join(venvDir, 'bin', 'python');
  const markerPath = join(venvDir, spec.marker);
  const result = (installed: boolean, installMs: number): VenvInstallation => ({
    venvDir,
    executablePath,
    version,
    installed,
    installMs,
  });
  const upToDate = async () =>
    existsSync(executablePath) && (await readFile(markerPath, 'utf8').catch(() => '')).trim() === hash;

  if (await upToDate()) return result(false, 0);
  await mkdir(venvDir, { recursive: true });
  return withLock(
    join(venvDir, LOCK),
    async () => {
      // Another process may have finished the install while this one waited for the lock.
      if (await upToDate()) return result(false, 0);
      const started = Date.now();
      const what = `${spec.packageName} ${version} into ${spec.venvName}`;
      print(
        existsSync(markerPath)
          ? `${spec.requirements} changed: reinstalling ${what}…`
          : `installing ${what} (first run only)…`,
      );
      if (!existsSync(venvPython)) await run(options.python ?? 'python3', ['-m', 'venv', venvDir], rootDir);
      await run(
        venvPython,
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsPath],
        rootDir,
      );
      if (!existsSync(executablePath))
        throw new EmulatorError(`pip finished but ${executablePath} is missing`);
      await writeFile(markerPath, `${hash}\n`);
      const installMs = Date.now() - started;
      print(`${spec.packageName} ${version} installed in ${Math.round(installMs / 1000)} s`);
      return result(true, installMs);
    },
    print,
  );
};
