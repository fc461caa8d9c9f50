import { OpenAiLlm } from '#adapters/llm/OpenAiLlm';
import { silentLogger } from '#shared/logger';
import { checkDraft, draftHasProblems } from '#stages/compose/grounding/index';
import { verifyAnswer, type VerifierCounters } from '#stages/compose/verifyAnswer';
import { labelledDrafts, scopeOfDraft } from '#test/corpus/grounding/labelledDrafts';
import { type DraftLabel, FABRICATION_KINDS, type LabelledDraft } from '#test/corpus/grounding/types';
import { markdownTable, num } from './report.ts';

/** Where the verifier's second model call goes (the OpenAI stand-in, or any compatible API). */
export interface VerifierEndpoint {
  url: string;
  apiKey: string;
  model?: string;
}

/** A row of the figures: a fabrication kind, or faithful drafts in English or another language. */
export type FigureRow = Exclude<DraftLabel, 'faithful'> | 'faithful_english' | 'faithful_other_language';

/** Figures of one row: how many drafts, how many the checks flagged. */
export interface LabelFigures {
  label: FigureRow;
  drafts: number;
  /** Flagged by the deterministic checks (keys, numbers, names, promises, content policy). */
  deterministic: number;
  /** Flagged by the deterministic checks or, for the drafts they passed, by the verifier. */
  withVerifier: number;
}

/** What {@link benchGrounding} measured. */
export interface GroundingFigures {
  releases: number;
  drafts: number;
  labels: LabelFigures[];
  /** Verifier calls made, drafts verified, and the most calls any one draft made. */
  verifier: {
    calls: number;
    drafts: number;
    maxPerDraft: number;
    promptTokens: number;
    completionTokens: number;
  };
  ms: number;
}

/** Faithful drafts split by language: the Jira text of the set is English. */
const rowOf = (draft: LabelledDraft): FigureRow =>
  draft.label !== 'faithful'
    ? draft.label
    : draft.locale.startsWith('en')
      ? 'faithful_english'
      : 'faithful_other_language';

const ROW_NAMES: Record<FigureRow, string> = {
  faithful_english: 'faithful, English (false alarms)',
  faithful_other_language: 'faithful, de/fr/es (false alarms)',
  invented_key: 'invented key (caught)',
  intro_key: 'key-shaped token in the intro (caught)',
  invented_number: 'invented number (caught)',
  invented_promise: 'invented promise (caught)',
  unrelated_claim: 'claim citing an unrelated issue (caught)',
  wrong_attribution: 'real change, wrong issue (caught)',
};

/**
 * Runs the labelled drafts of test/corpus/grounding through compose's checks: first
 * {@link checkDraft} (deterministic; coverage off, so only what a draft says counts), then, for
 * the drafts it passes, the verifier along compose's own path ({@link verifyAnswer}: one call,
 * unsupported items removed). A fabricated draft is caught when a check flags it (for the
 * verifier: removes an item or rejects the draft); a faithful draft flagged is a false alarm.
 */
export const benchGrounding = async (endpoint: VerifierEndpoint): Promise<GroundingFigures> => {
  const started = Date.now();
  const drafts = labelledDrafts();
  const llm = new OpenAiLlm({
    apiKey: endpoint.apiKey,
    model: endpoint.model ?? 'gpt-4.1-mini',
    baseURL: endpoint.url,
  });
  const logger = silentLogger();
  const figures = new Map<FigureRow, LabelFigures>();
  const verifier = { calls: 0, drafts: 0, maxPerDraft: 0, promptTokens: 0, completionTokens: 0 };
  for (const draft of drafts) {
    const key = rowOf(draft);
    const row = figures.get(key) ?? { label: key, drafts: 0, deterministic: 0, withVerifier: 0 };
    figures.set(key, row);
    row.drafts += 1;
    const scope = scopeOfDraft(draft);
    if (draftHasProblems(checkDraft(draft.email, scope, { minCoverage: 0 }))) {
      row.deterministic += 1;
      row.withVerifier += 1;
      continue;
    }
    const counters: VerifierCounters = {
      llmCalls: 0,
      verifierCalls: 0,
      promptTokens: 0,
      completionTokens: 0,
    };
    const result = await verifyAnswer(draft.email, {
      llm,
      scope,
      checks: { minCoverage: 0 },
      counters,
      retry: (_name, fn) =>
        fn({ signal: AbortSignal.timeout(30_000), deadlineMs: Date.now() + 30_000, attemptNumber: 1 }),
      logger,
    });
    verifier.calls += counters.verifierCalls;
    verifier.drafts += 1;
    verifier.maxPerDraft = Math.max(verifier.maxPerDraft, counters.verifierCalls);
    verifier.promptTokens += counters.promptTokens;
    verifier.completionTokens += counters.completionTokens;
    if (result.kind === 'items_removed' || result.kind === 'rejected') row.withVerifier += 1;
  }
  const order: FigureRow[] = ['faithful_english', 'faithful_other_language', ...FABRICATION_KINDS];
  return {
    releases: new Set(drafts.map((d) => d.release.id)).size,
    drafts: drafts.length,
    labels: order.flatMap((label) => figures.get(label) ?? []),
    verifier,
    ms: Date.now() - started,
  };
};

const percent = (part: number, whole: number): string =>
  whole === 0 ? '—' : `${num((100 * part) / whole, 1)}%`;

/** False alarms of the deterministic checks on all faithful drafts, 0..1. */
export const deterministicFalseAlarmRate = (figures: GroundingFigures): number => {
  const faithful = figures.labels.filter((row) => row.label.startsWith('faithful'));
  const drafts = faithful.reduce((n, row) => n + row.drafts, 0);
  return drafts === 0 ? 0 : faithful.reduce((n, row) => n + row.deterministic, 0) / drafts;
};

/** The figures as a Markdown table: catch rate per fabrication kind, false alarms on faithful drafts. */
export const groundingTable = (figures: GroundingFigures): string =>
  markdownTable(
    ['drafts', 'count', 'deterministic checks', 'deterministic + verifier (stand-in)'],
    figures.labels.map((row) => [
      ROW_NAMES[row.label],
      num(row.drafts),
      `${percent(row.deterministic, row.drafts)} (${row.deterministic})`,
      `${percent(row.withVerifier, row.drafts)} (${row.withVerifier})`,
    ]),
  );

/** The verifier's cost as a Markdown table. */
export const verifierTable = (figures: GroundingFigures): string =>
  markdownTable(
    ['figure', 'value'],
    [
      ['drafts that reached the verifier (passed the deterministic checks)', num(figures.verifier.drafts)],
      ['verifier calls', num(figures.verifier.calls)],
      ['most verifier calls for one draft (must be at most 1)', num(figures.verifier.maxPerDraft)],
      [
        'prompt tokens per verified draft',
        num(figures.verifier.drafts === 0 ? 0 : figures.verifier.promptTokens / figures.verifier.drafts),
      ],
    ],
  );

/** The "Content trust" section of docs/BENCHMARKS.md. */
export const groundingSection = (figures: GroundingFigures): string => `## Content trust

${figures.drafts} labelled drafts of ${figures.releases} releases (test/corpus/grounding: per release two
faithful drafts, in its locale or English, and one copy of the first with each fabrication injected)
run through compose's checks: first the deterministic ones (\`checkDraft\`: keys anywhere, numbers,
quoted names, promise words, content policy; coverage off, so only what a draft says counts), then,
for the drafts they pass, the grounding verifier along compose's own path (\`verifyAnswer\`: one call,
unsupported items removed). A fabricated draft is caught when a check flags it; a faithful draft
flagged is a false alarm. Targets: 100% of invented keys, numbers and promises caught by the
deterministic checks, false alarms under 5%. The verifier here is the OpenAI stand-in's
word-overlap heuristic (test/standins/verifierAnswer.ts), not a model: its column shows the
mechanics (what a verdict removes, one call per draft at most), and its false alarms on drafts in
another language than the English Jira text are the heuristic's, not a model's. Alone, in seconds:
\`npm run bench:grounding\`.

${groundingTable(figures)}

${verifierTable(figures)}`;
