import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

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
}

/** Cold start figures of every bundle beside an empty Node process. */
export interface ColdStartFigures {
  runs: number;
  /** Median wall time of `node -e ''`, ms. */
  emptyProcessMs: number;
  bundles: BundleFigures[];
}

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

/** Runs `npm run build`'s script (scripts/build.ts) on this Node. */
export const buildBundles = async (root: string): Promise<void> => {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`build exited ${code}`))));
  });
};

/**
 * Measures every dist/<name>/index.mjs: its size, and over `runs` rounds (bundles interleaved with
 * an empty `node -e ''` so drift hits all alike) the wall time of a fresh process importing it,
 * and the import time inside that process. Node's compile cache is off, as in a Lambda cold start.
 */
export const measureBundles = async (root: string, runs: number): Promise<ColdStartFigures> => {
  const dist = join(root, 'dist');
  const names = (await readdir(dist)).sort();
  const bundles: { name: string; file: string; bytes: number; gzipBytes: number }[] = [];
  for (const name of names) {
    const file = join(dist, name, 'index.mjs');
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    bundles.push({ name, file, bytes: info.size, gzipBytes: gzipSync(await readFile(file)).length });
  }
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...HANDLER_ENV, NODE_DISABLE_COMPILE_CACHE: '1' };
  const empty: number[] = [];
  const wall = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  const inside = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  for (let run = 0; run < runs; run++) {
    empty.push((await timeProcess(['-e', ''], env)).ms);
    for (const bundle of bundles) {
      const code =
        `const t = performance.now(); await import(${JSON.stringify(`file://${bundle.file}`)});` +
        'process.stdout.write(String(performance.now() - t)); process.exit(0);';
      const { ms, stdout } = await timeProcess(['--input-type=module', '-e', code], env);
      wall.get(bundle.name)?.push(ms);
      inside.get(bundle.name)?.push(Number(stdout));
    }
  }
  return {
    runs,
    emptyProcessMs: median(empty),
    bundles: bundles.map((b) => ({
      name: b.name,
      bytes: b.bytes,
      gzipBytes: b.gzipBytes,
      processMs: median(wall.get(b.name) ?? []),
      importMs: median(inside.get(b.name) ?? []),
    })),
  };
};
