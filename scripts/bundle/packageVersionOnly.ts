import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The AWS SDK clients' package.json, which their runtimeConfig imports whole for one field. */
const CLIENT_PACKAGE_JSON = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/;

/**
 * An esbuild plugin that bundles an AWS SDK client's package.json as its name and version only.
 * Each client's runtimeConfig imports the file to put `packageInfo.version` in its user agent
 * and reads nothing else from it; whole, the manifests are about 2.3 KiB per client per bundle.
 */
export const packageVersionOnly: Plugin = {
  name: 'package-version-only',
  setup(build) {
    build.onLoad({ filter: CLIENT_PACKAGE_JSON }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8')) as {
        name: string;
        version: string;
      };
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};
