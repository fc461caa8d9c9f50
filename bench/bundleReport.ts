import type { BundleFigures, ColdStartFigures } from './bundles.ts';
import { kib, markdownTable, num } from './report.ts';

/** Issue 14's targets for the handler bundles. */
export const BUNDLE_TARGETS = {
  /** Largest minified bundle, bytes. */
  maxBytes: 650 * 1024,
  /** Largest import cost (process start + import over an empty `node -e ""`) as a share of the base's. */
  maxImportRatio: 0.65,
} as const;

/**
 * The commit the bench builds beside today's bundles by default: main before issue 14 (lighter
 * bundles), whose handlers were 1.0–1.5 MiB.
 */
export const DEFAULT_BASE_COMMIT = '5b7648aa1d47e4313bf413ab9102375db6948ceb';

/** What {@link bundleSection} reports on: today's set, and the base's when one was built. */
export interface BundleReportInput {
  cold: ColdStartFigures;
  /** The base commit, when its bundles are in `cold` (set `base`). */
  baseCommit?: string;
  /** Why there is no base set, when there is none. */
  baseMissing?: string;
}

const setOf = (cold: ColdStartFigures, label: string): BundleFigures[] =>
  cold.sets.find((s) => s.label === label)?.bundles ?? [];

const overEmpty = (cold: ColdStartFigures, b: BundleFigures) => b.processMs - cold.emptyProcessMs;

/** `before → now`, or just `now` without a before. */
const pair = (before: string | undefined, now: string) => (before === undefined ? now : `${before} → ${now}`);

/** The per-handler table: sizes, cold import (base → now) and the largest packages. */
export const bundleTable = ({ cold }: BundleReportInput): string => {
  const base = new Map(setOf(cold, 'base').map((b) => [b.name, b]));
  const rows = setOf(cold, 'now').map((b) => {
    const before = base.get(b.name);
    return [
      b.name,
      pair(before && num(before.bytes / 1024, 1), kib(b.bytes)),
      pair(before && num(before.gzipBytes / 1024, 1), kib(b.gzipBytes)),
      pair(before && `+${num(overEmpty(cold, before))}`, `+${num(overEmpty(cold, b))} ms`),
      before ? `${num(overEmpty(cold, b) / overEmpty(cold, before), 2)}×` : '—',
      `${num(b.importMs)} ms`,
      b.topPackages.map((p) => `${p.name} ${num(p.bytes / 1024)}`).join(', '),
    ];
  });
  return markdownTable(
    [
      'handler',
      'bundle (base → now)',
      'gzipped',
      'start + import over `node -e ""` (median)',
      'now ÷ base',
      'import alone',
      'largest packages now (KiB)',
    ],
    [...rows, ['(empty `node -e ""`)', '—', '—', `${num(cold.emptyProcessMs)} ms`, '—', '—', '—']],
  );
};

/** The targets, each with whether this run met it. */
export const bundleChecks = ({ cold, baseMissing }: BundleReportInput): string[] => {
  const now = setOf(cold, 'now');
  const base = new Map(setOf(cold, 'base').map((b) => [b.name, b]));
  const largest = now.reduce<BundleFigures | undefined>(
    (m, b) => (m && m.bytes >= b.bytes ? m : b),
    undefined,
  );
  const checks = largest
    ? [
        `every handler ≤ ${kib(BUNDLE_TARGETS.maxBytes)} minified: ${largest.bytes <= BUNDLE_TARGETS.maxBytes ? 'met' : 'NOT met'} (largest: ${largest.name}, ${kib(largest.bytes)})`,
      ]
    : [];
  if (base.size === 0)
    return [...checks, `import against the base: not measured (${baseMissing ?? 'no base'})`];
  const ratios = now.flatMap((b) => {
    const before = base.get(b.name);
    return before ? [{ name: b.name, ratio: overEmpty(cold, b) / overEmpty(cold, before) }] : [];
  });
  const worst = ratios.reduce((m, r) => (m.ratio >= r.ratio ? m : r), { name: '—', ratio: 0 });
  return [
    ...checks,
    `every handler's start + import over \`node -e ""\` ≤ ${BUNDLE_TARGETS.maxImportRatio}× the base's: ${worst.ratio <= BUNDLE_TARGETS.maxImportRatio ? 'met' : 'NOT met'} (highest: ${worst.name}, ${num(worst.ratio, 2)}×)`,
  ];
};

/** The "Handler bundles and cold import" section of docs/BENCHMARKS.md. */
export const bundleSection = (input: BundleReportInput): string => {
  const { cold, baseCommit, baseMissing } = input;
  const baseText = baseCommit
    ? `Beside them, in the same rounds, the bundles of the base commit \`${baseCommit.slice(0, 12)}\` (\`--base\`; by default main before issue 14), built by that commit's own scripts/build.ts in a temporary git worktree under dist/ with today's installed packages: the "base" figures.`
    : `No base was measured (${baseMissing ?? '--base none'}).`;
  return `## Handler bundles and cold import

\`npm run build\` (scripts/build.ts, options in scripts/bundle: one minified ESM file per handler,
dist/<name>/index.mjs, and its esbuild metafile in dist/metafiles). ${baseText} Each bundle is
imported by a fresh \`node\` process ${cold.runs} times, all bundles interleaved with an empty
\`node -e ""\`, with the configuration the handlers validate at import (AWS pointed at a closed
loopback port: importing makes no call) and Node's compile cache off; medians. "start + import over
\`node -e ""\`" is the whole process against the empty one; "import alone" is timed inside the
process around \`await import()\`. The largest packages come from the metafile (bytes of minified
output per package; (release-herald) is this repository's code).

${bundleTable(input)}

Targets (issue 14):

${bundleChecks(input)
  .map((c) => `- ${c}`)
  .join('\n')}`;
};
