import type { Metafile } from 'esbuild';

/** The package a metafile input path belongs to: `node_modules/@aws-sdk/core/…` → `@aws-sdk/core`. */
export const packageOf = (input: string): string => {
  const match = /^(?:.*[\\/])?node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
  if (match?.[1]) return match[1].replace('\\', '/');
  // esbuild plugin namespaces (`ns:path`) and our own sources.
  return input.includes(':') && !input.startsWith('/') ? '(stubs)' : '(release-herald)';
};

/** Bytes one package contributes to a bundle. */
export interface PackageBytes {
  /** npm package name, or `(release-herald)` for this repository's own files. */
  name: string;
  /** Bytes of minified output from its files. */
  bytes: number;
}

/** The one output of a single-entry build's metafile (the `.mjs`, not its source map). */
export const bundleOutput = (metafile: Metafile): Metafile['outputs'][string] => {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('the metafile has no entry-point output');
  return output;
};

/** Output bytes per package of a single-entry bundle, largest first. */
export const packageBytes = (metafile: Metafile): PackageBytes[] => {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(bundleOutput(metafile).inputs)) {
    const name = packageOf(input);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
};

/** The input files of a bundle (paths as esbuild reports them, relative to its working directory). */
export const bundledInputs = (metafile: Metafile): string[] =>
  Object.entries(bundleOutput(metafile).inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([input]) => input);
