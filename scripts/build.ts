/**
 * Bundles each stage handler (pipeline/stages/<stage>/handler.ts) into one minified ESM file,
 * dist/<stage>/index.mjs, for Lambda's nodejs24.x runtime (options: scripts/bundle), writes each
 * build's esbuild metafile to dist/metafiles/<stage>.json (outside the folders Lambda packages; the
 * bench reads it), and prints each bundle's size and its largest packages.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { findHandlerEntries, handlerBuildOptions } from './bundle/handlerBuildOptions.ts';
import { packageBytes } from './bundle/packageBytes.ts';

/** Folder of the metafiles, beside the bundles' folders. */
const METAFILES_DIR = join('dist', 'metafiles');

await mkdir(METAFILES_DIR, { recursive: true });
for (const entry of await findHandlerEntries('.')) {
  const outfile = join('dist', entry.name, 'index.mjs');
  const { metafile } = await build(handlerBuildOptions(entry, outfile));
  if (metafile) await writeFile(join(METAFILES_DIR, `${entry.name}.json`), JSON.stringify(metafile));
  const { size } = await stat(outfile);
  const top = metafile
    ? packageBytes(metafile)
        .slice(0, 3)
        .map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)}`)
        .join(', ')
    : '';
  console.log(
    `${entry.name.padEnd(12)} ${(size / 1024).toFixed(1).padStart(8)} KiB  ${outfile}  (${top} KiB)`,
  );
}
