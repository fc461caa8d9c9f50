import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { run } from '#local/childProcess';
import { type PackageBytes, packageBytes } from '#scripts/bundle/packageBytes';

/** Size and cold start of one handler bundle. */
export interface BundleFigures {
  name: string;
  /** dist/<name>/index.mjs, bytes. */
  bytes: number;
  /** The same, gzipped (about what a Lambda zip holds), bytes. */
  gzipBytes: number;
  /** Median wall time of a process that imports the bundle and exits, ms. */
  processMs: number;
  /** Median time the import itself took inside that process, ms. */
  importMs: number;
  /**
   * Median CPU time (user + system, all threads) of that whole process, ms: unlike wall time,
   * hardly moved by other work sharing the machine.
   */
  cpuMs: number;
  /** Per round, in round order: wall time over that round's empty process, ms. */
  wallOverEmptyByRound: number[];
  /** Per round, in round order: CPU time over that round's empty process, ms. */
  cpuOverEmptyByRound: number[];
  /** Its largest packages by minified bytes, from dist/metafiles/<name>.json; empty without one. */
  topPackages: PackageBytes[];
}

/** One set of bundles to measure: a dist folder of `npm run build`. */
export interface BundleSet {
  /** Its name in the report (`now`, `base`). */
  label: string;
  /** The dist folder holding <name>/index.mjs (and metafiles/<name>.json when the build wrote them). */
  dist: string;
}

/** Cold start figures of every bundle of several sets, measured side by side, beside an empty Node process. */
export interface ColdStartFigures {
  runs: number;
  /** Median wall time of `node -e ''`, ms. */
  emptyProcessMs: number;
  /** Median CPU time of that empty process, ms. */
  emptyCpuMs: number;
  /** The figures of each set, in the order given. */
  sets: { label: string; bundles: BundleFigures[] }[];
}

/** How many packages {@link BundleFigures.topPackages} lists. */
export const TOP_PACKAGES = 5;

/**
 * What the handlers need at import (each validates its configuration at cold start). The AWS
 * endpoint is a closed loopback port: importing makes no AWS call, and nothing can leave the machine.
 */
const HANDLER_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  LOG_LEVEL: 'warn',
  JIRA_SITE_URL: 'http://127.0.0.1:9',
  JIRA_EMAIL: 'bench@example.com',
  SENDER_EMAIL: 'releases@example.com',
  UNSUBSCRIBE_BASE_URL: 'http://127.0.0.1:9/unsubscribe',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/herald-scheduler',
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Prints the process's CPU time so far (user + system, ms) as JSON field `cpu`, and exits. */
const REPORT_CPU =
  'const u = process.resourceUsage(); process.stdout.write(JSON.stringify({ ms: t, cpu: (u.userCPUTime + u.systemCPUTime) / 1000 })); process.exit(0);';

/** Runs `node <args>` once; resolves with its wall time and what it printed. */
const timeProcess = (args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });

/** Runs `npm run build`'s script (scripts/build.ts) of the tree at `root` on this Node. */
export const buildBundles = (root: string): Promise<void> =>
  run(process.execPath, ['scripts/build.ts'], root);

/** A base commit's bundles, built in a temporary worktree; `remove()` deletes the worktree. */
export interface BaseBundles {
  /** The commit, as resolved. */
  commit: string;
  /** Its dist folder. */
  dist: string;
  remove: () => Promise<void>;
}

/**
 * Builds the bundles of commit `rev` with that commit's own build script: checks it out into a
 * temporary git worktree under `<root>/dist/` (so its imports resolve to `<root>/node_modules`,
 * today's installed packages, without a second install) and runs its scripts/build.ts there.
 * @throws when `rev` is not in the repository or its build fails.
 */
export const buildBaseBundles = async (root: string, rev: string): Promise<BaseBundles> => {
  const git = (...args: string[]) => run('git', args, root);
  const commit = await new Promise<string>((resolve, reject) => {
    const child = spawn('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: root });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`${rev} is not a commit of this repository`)),
    );
  });
  const tree = join(root, 'dist', `base-${commit.slice(0, 12)}`);
  const remove = async () => {
    await git('worktree', 'remove', '--force', tree).catch(() => undefined);
    await rm(tree, { recursive: true, force: true });
    await git('worktree', 'prune').catch(() => undefined);
  };
  await remove();
  await git('worktree', 'add', '--detach', tree, commit);
  try {
    await buildBundles(tree);
  } catch (err) {
    await remove();
    throw err;
  }
  return { commit, dist: join(tree, 'dist'), remove };
};

/** The bundles of one dist folder: name, file, sizes and top packages. */
const readSet = async (dist: string) => {
  const bundles: { name: string; file: string; bytes: number; gzipBytes: number; top: PackageBytes[] }[] = [];
  for (const name of (await readdir(dist)).sort()) {
    const file = join(dist, name, 'index.mjs');
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    const metafile = await readFile(join(dist, 'metafiles', `${name}.json`), 'utf8').then(
      (text) => JSON.parse(text) as Metafile,
      () => undefined,
    );
    const top = metafile ? packageBytes(metafile).slice(0, TOP_PACKAGES) : [];
    bundles.push({ name, file, bytes: info.size, gzipBytes: gzipSync(await readFile(file)).length, top });
  }
  return bundles;
};

/** Median over the rounds of `a[i] / b[i]` (two measures taken back to back in each round). */
export const pairedRatio = (a: readonly number[], b: readonly number[]): number =>
  median(a.flatMap((value, i) => (b[i] ? [value / (b[i] ?? 1)] : [])));

/**
 * Measures every <dist>/<name>/index.mjs of every set: its size, and over `runs` rounds the wall
 * time of a fresh process importing it, its CPU time, and the import time inside that process.
 * Each round starts with an empty `node -e ''` and then runs each handler's bundles of all sets
 * back to back, so that load from other work hits a handler's sets alike (see
 * {@link pairedRatio}). Node's compile cache is off, as in a Lambda cold start.
 */
export const measureBundles = async (sets: readonly BundleSet[], runs: number): Promise<ColdStartFigures> => {
  const read = await Promise.all(sets.map(async (set) => ({ set, bundles: await readSet(set.dist) })));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...HANDLER_ENV, NODE_DISABLE_COMPILE_CACHE: '1' };
  const samples = new Map<string, { wall: number[]; inside: number[]; cpu: number[] }>();
  const record = (key: string, wall: number, stdout: string) => {
    const { ms, cpu } = JSON.parse(stdout) as { ms: number; cpu: number };
    const s = samples.get(key) ?? { wall: [], inside: [], cpu: [] };
    s.wall.push(wall);
    s.inside.push(ms);
    s.cpu.push(cpu);
    samples.set(key, s);
  };
  const names = [...new Set(read.flatMap(({ bundles }) => bundles.map((b) => b.name)))].sort();
  for (let round = 0; round < runs; round++) {
    const empty = await timeProcess(['-e', `const t = 0; ${REPORT_CPU}`], env);
    record('', empty.ms, empty.stdout);
    for (const name of names) {
      for (const bundle of read.flatMap(({ bundles }) => bundles.filter((b) => b.name === name))) {
        const code = `let t = performance.now(); await import(${JSON.stringify(`file://${bundle.file}`)}); t = performance.now() - t; ${REPORT_CPU}`;
        const { ms, stdout } = await timeProcess(['--input-type=module', '-e', code], env);
        record(bundle.file, ms, stdout);
      }
    }
  }
  const of = (key: string) => samples.get(key) ?? { wall: [], inside: [], cpu: [] };
  return {
    runs,
    emptyProcessMs: median(of('').wall),
    emptyCpuMs: median(of('').cpu),
    sets: read.map(({ set, bundles }) => ({
      label: set.label,
      bundles: bundles.map((b) => ({
        name: b.name,
        bytes: b.bytes,
        gzipBytes: b.gzipBytes,
        processMs: median(of(b.file).wall),
        importMs: median(of(b.file).inside),
        cpuMs: median(of(b.file).cpu),
        wallOverEmptyByRound: of(b.file).wall.map((ms, i) => ms - (of('').wall[i] ?? 0)),
        cpuOverEmptyByRound: of(b.file).cpu.map((ms, i) => ms - (of('').cpu[i] ?? 0)),
        topPackages: b.top,
      })),
    })),
  };
};
