import { type BundleFigures, type ColdStartFigures, pairedRatio } from './bundles.ts';
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
const cpuOverEmpty = (cold: ColdStartFigures, b: BundleFigures) => b.cpuMs - cold.emptyCpuMs;

/** The two measures of {@link bundleTable}: over the empty process, median and per round. */
const MEASURES = {
  wall: { median: overEmpty, byRound: (b: BundleFigures) => b.wallOverEmptyByRound },
  cpu: { median: cpuOverEmpty, byRound: (b: BundleFigures) => b.cpuOverEmptyByRound },
} as const;

/**
 * `+before → +now ms (ratio×)` of one measure (medians; the ratio is the median of the rounds'
 * back-to-back ratios), or `+now ms` without a before.
 */
const compared = (
  cold: ColdStartFigures,
  measure: keyof typeof MEASURES,
  now: BundleFigures,
  before: BundleFigures | undefined,
): string => {
  const { median: over, byRound } = MEASURES[measure];
  if (!before) return `+${num(over(cold, now))} ms`;
  const ratio = pairedRatio(byRound(now), byRound(before));
  return `+${num(over(cold, before))} → +${num(over(cold, now))} ms (${num(ratio, 2)}×)`;
};

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
      compared(cold, 'wall', b, before),
      compared(cold, 'cpu', b, before),
      `${num(b.importMs)} ms`,
      b.topPackages.map((p) => `${p.name} ${num(p.bytes / 1024)}`).join(', '),
    ];
  });
  return markdownTable(
    [
      'handler',
      'bundle (base → now)',
      'gzipped',
      'start + import over `node -e ""`: wall',
      'CPU',
      'import alone (now)',
      'largest packages now (KiB)',
    ],
    [
      ...rows,
      [
        '(empty `node -e ""`)',
        '—',
        '—',
        `${num(cold.emptyProcessMs)} ms`,
        `${num(cold.emptyCpuMs)} ms`,
        '—',
        '—',
      ],
    ],
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
  const worst = (byRound: (b: BundleFigures) => number[]) =>
    now.reduce(
      (m, b) => {
        const before = base.get(b.name);
        const ratio = before ? pairedRatio(byRound(b), byRound(before)) : 0;
        return ratio > m.ratio ? { name: b.name, ratio } : m;
      },
      { name: '—', ratio: 0 },
    );
  const check = (what: string, byRound: (b: BundleFigures) => number[]) => {
    const w = worst(byRound);
    return `every handler's start + import over \`node -e ""\` (${what}) ≤ ${BUNDLE_TARGETS.maxImportRatio}× the base's: ${w.ratio <= BUNDLE_TARGETS.maxImportRatio ? 'met' : 'NOT met'} (highest: ${w.name}, ${num(w.ratio, 2)}×)`;
  };
  return [...checks, check('wall time', MEASURES.wall.byRound), check('CPU time', MEASURES.cpu.byRound)];
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
imported by a fresh \`node\` process ${cold.runs} times: each round starts with an empty
\`node -e ""\` and then runs each handler's bundles (base and now) back to back, with the
configuration the handlers validate at import (AWS pointed at a closed loopback port: importing
makes no call) and Node's compile cache off. Times are medians; a ratio is the median over the
rounds of now ÷ base as measured back to back in the same round, so load from other work on the
machine hits both sides of it alike. "start + import over \`node -e ""\`" is the whole process
against that round's empty one; "import alone" is timed inside the process around
\`await import()\`. CPU is the process's user + system time (all its threads, from
\`process.resourceUsage()\`) against the empty one's: other work stretches wall times but hardly
CPU times. The largest packages come from the metafile (bytes of minified
output per package; (release-herald) is this repository's code).

${bundleTable(input)}

Targets (issue 14):

${bundleChecks(input)
  .map((c) => `- ${c}`)
  .join('\n')}`;
};
