import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The packages whose files import zod's `z` by name (jira.js: every model file of its 6.x builds). */
const IMPORTERS = /[\\/]node_modules[\\/]jira\.js[\\/]dist[\\/].*\.js$/;

/** `import { z } from 'zod'`, as jira.js's generated files spell it. */
const NAMED_Z_IMPORT = /^import \{ z \} from (['"])zod\1;?$/gm;

/**
 * An esbuild plugin that turns jira.js's `import { z } from 'zod'` into `import * as z from 'zod'`
 * while bundling. zod's entry re-exports its whole API as the namespace object `z`; a named import
 * of that object keeps all of it (every locale, about 460 KiB minified), whereas esbuild can drop
 * the members a namespace import never reads. Both spellings bind the same exports (`z.object` is
 * the same function), so behaviour is unchanged. Our own code writes the namespace import (biome's
 * noRestrictedImports enforces it); the handler bundle guard (test/unit/bundle) catches a jira.js
 * release that spells the import differently.
 */
export const zodNamespaceImports: Plugin = {
  name: 'zod-namespace-imports',
  setup(build) {
    build.onLoad({ filter: IMPORTERS }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(NAMED_Z_IMPORT, 'import * as z from $1zod$1;'), loader: 'js' };
    });
  },
};
