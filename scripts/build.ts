/**
 * Bundles each stage handler (pipeline/stages/<stage>/handler.ts) into one minified ESM file,
 * dist/<stage>/index.mjs, for Lambda's nodejs24.x runtime, and prints each bundle's size.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const stagesDir = 'pipeline/stages';
const entries = [];
for (const name of (await readdir(stagesDir)).sort()) {
  const entry = join(stagesDir, name, 'handler.ts');
  if (
    await stat(entry).then(
      () => true,
      () => false,
    )
  )
    entries.push({ name, entry });
}
if (entries.length === 0) throw new Error(`no handlers found under ${stagesDir}/*/handler.ts`);

for (const { name, entry } of entries) {
  const outfile = join('dist', name, 'index.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    // Error classes are recognised by name (isRetryable, OpenAI errors): keep names through minification.
    keepNames: true,
    sourcemap: 'external',
    legalComments: 'none',
    // ESM bundles of CommonJS dependencies still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const { size } = await stat(outfile);
  console.log(`${name.padEnd(12)} ${(size / 1024).toFixed(1).padStart(8)} KiB  ${outfile}`);
}
