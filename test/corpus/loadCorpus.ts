import { injectionCases } from './cases/injection.ts';
import { jiraCases } from './cases/jira.ts';
import { llmCases } from './cases/llm.ts';
import { schemaCases } from './cases/schema.ts';
import { signatureCases } from './cases/signature.ts';
import { volumeCases } from './cases/volume.ts';
import { webhookBodyCases } from './cases/webhookBodies.ts';
import { CORPUS_CATEGORIES, type CorpusCase, type CorpusCategory, type LoadedCase } from './types.ts';

/** Every case of the corpus, in category order. */
export const CORPUS: readonly CorpusCase[] = [
  ...signatureCases,
  ...webhookBodyCases,
  ...schemaCases,
  ...jiraCases,
  ...injectionCases,
  ...llmCases,
  ...volumeCases,
];

/** What identifies a run: its environment name, webhook secret and start time. */
export interface CorpusRunIdentity {
  /** `HERALD_ENV` of the run; part of every recipient address, so runs never share one. */
  env: string;
  secret: string;
  now: Date;
  /** First Jira id of the run; case `i` gets project `base + i` and version `base + 500 + i`. Default 70000. */
  idBase?: number;
}

const DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

/** `yyyy-mm-dd` of `date` plus `days`, UTC. */
const utcDay = (date: Date, days: number): string =>
  new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Days from the run's start to every case's release date. */
export const RELEASE_IN_DAYS = 30;

/**
 * The corpus with each case's identity in a run: marker `hc<nn>`, project `HC<nn>`, unique
 * numeric project and version ids, a release date {@link RELEASE_IN_DAYS} days ahead, and one
 * address per contact, `hc<nn>-<i>.<env>@example.com|org|net`.
 * @throws Error when two cases share a name or a category is unknown (a corpus bug).
 */
export const loadCorpus = (run: CorpusRunIdentity, cases: readonly CorpusCase[] = CORPUS): LoadedCase[] => {
  const names = new Set<string>();
  const base = run.idBase ?? 70_000;
  return cases.map((c, index) => {
    if (names.has(c.name)) throw new Error(`corpus: two cases are named ${c.name}`);
    if (!(CORPUS_CATEGORIES as readonly string[]).includes(c.category)) {
      throw new Error(`corpus: case ${c.name} has an unknown category ${c.category}`);
    }
    names.add(c.name);
    const nn = String(index + 1).padStart(2, '0');
    const marker = `hc${nn}`;
    const contacts = c.input.kind === 'release' ? (c.input.contacts?.length ?? 1) : 1;
    return {
      ...c,
      ids: {
        name: c.name,
        marker,
        projectKey: marker.toUpperCase(),
        projectId: String(base + index),
        versionId: String(base + 500 + index),
        releaseDate: utcDay(run.now, RELEASE_IN_DAYS),
        recipients: Array.from(
          { length: contacts },
          (_, i) => `${marker}-${i + 1}.${run.env}@${DOMAINS[i % DOMAINS.length]}`,
        ),
        secret: run.secret,
        now: run.now,
      },
    };
  });
};

/** Case counts per category. */
export const countByCategory = (cases: readonly CorpusCase[]): Record<CorpusCategory, number> => {
  const counts = Object.fromEntries(CORPUS_CATEGORIES.map((c) => [c, 0])) as Record<CorpusCategory, number>;
  for (const c of cases) counts[c.category] += 1;
  return counts;
};
