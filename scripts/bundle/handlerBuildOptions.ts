import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { leftOutModules } from './leftOutModules.ts';
import { packageVersionOnly } from './packageVersionOnly.ts';
import { schemaLiteralKeys } from './schemaLiteralKeys.ts';
import { zodNamespaceImports } from './zodNamespaceImports.ts';

/** Where the stage handlers live: `<STAGES_DIR>/<name>/handler.ts`, relative to the repository root. */
export const STAGES_DIR = 'pipeline/stages';

/** One handler to bundle. */
export interface HandlerEntry {
  /** The function's name (its folder under {@link STAGES_DIR}), e.g. `compose`. */
  name: string;
  /** Its handler file, relative to the repository root. */
  entry: string;
}

/** Every `<STAGES_DIR>/<name>/handler.ts` under `root`, sorted by name. */
export const findHandlerEntries = async (root: string): Promise<HandlerEntry[]> => {
  const entries: HandlerEntry[] = [];
  for (const name of (await readdir(join(root, STAGES_DIR))).sort()) {
    const entry = join(STAGES_DIR, name, 'handler.ts');
    const found = await stat(join(root, entry)).then(
      () => true,
      () => false,
    );
    if (found) entries.push({ name, entry });
  }
  if (entries.length === 0) throw new Error(`no handlers found under ${STAGES_DIR}/*/handler.ts`);
  return entries;
};

/**
 * esbuild options of one handler bundle: one minified ESM file for Lambda's nodejs24.x runtime,
 * with the AWS SDK inside it (AWS's and Middy's cold-start advice; the runtime's copy imports
 * slower and drifts from the tested version). Paths are relative to `absWorkingDir`.
 */
export const handlerBuildOptions = (entry: HandlerEntry, outfile: string): BuildOptions => ({
  entryPoints: [entry.entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  // ES module builds first: the AWS SDK's CommonJS builds keep every protocol and the browser
  // user-agent parser (bowser) beside the one a client uses; its ES builds let esbuild drop them.
  mainFields: ['module', 'main'],
  minify: true,
  // Error classes are recognised by name (isRetryable, OpenAI errors): keep names through minification.
  keepNames: true,
  sourcemap: 'external',
  legalComments: 'none',
  metafile: true,
  plugins: [zodNamespaceImports, leftOutModules(), packageVersionOnly, schemaLiteralKeys],
  // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});
