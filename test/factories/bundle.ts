import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { handlerBuildOptions } from '#scripts/bundle/handlerBuildOptions';

/** The repository root, where bundled sources resolve from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A bundle built and imported by {@link bundleAndImport}. */
export interface ImportedBundle<T> {
  /** The bundle's exports. */
  module: T;
  /** Its esbuild metafile. */
  metafile: Metafile;
  /** Deletes its temporary folder. */
  remove: () => Promise<void>;
}

/**
 * Bundles `source` (TypeScript re-exporting repository modules by path from the root, e.g.
 * `export { OpenAiLlm } from './pipeline/adapters/llm/OpenAiLlm.ts';`) with the handlers' esbuild
 * options (scripts/bundle) into a temporary folder and imports it: the modules as a handler
 * bundle runs them.
 */
export const bundleAndImport = async <T>(source: string): Promise<ImportedBundle<T>> => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bundle-'));
  const outfile = join(dir, 'bundle.mjs');
  const { metafile } = await build({
    ...handlerBuildOptions({ name: 'test', entry: 'entry.ts' }, outfile),
    entryPoints: undefined,
    stdin: { contents: source, resolveDir: REPO_ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    absWorkingDir: REPO_ROOT,
    sourcemap: false,
    logLevel: 'silent',
  });
  if (!metafile) throw new Error('esbuild returned no metafile');
  const module = (await import(pathToFileURL(outfile).href)) as T;
  return { module, metafile, remove: () => rm(dir, { recursive: true, force: true }) };
};
