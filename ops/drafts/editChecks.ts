import type { LlmEmail } from '#contracts/emailDraft';
import { llmEmail } from '#contracts/emailDraft';
import { OpsError } from '#ops/cli/errors';
import {
  coverageRatio,
  coverageShort,
  type DraftProblems,
  type GroundingProblemKind,
} from '#stages/compose/grounding/index';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** The formats `herald drafts edit` opens a draft's content in. */
export type EditFormat = 'json' | 'yaml';

/** An edit that cannot become a revision: every failed check is in `problems`. Nothing was stored. */
export class DraftEditRejectedError extends OpsError {
  override name = 'DraftEditRejectedError';
  /** One line per failed check. */
  readonly problems: readonly string[];

  constructor(draftKey: string, problems: readonly string[], keptIn?: string) {
    super(
      [
        `the edit of ${draftKey} fails ${problems.length} check(s); nothing was stored:`,
        ...problems.map((p) => `  - ${p}`),
        ...(keptIn ? [`Your edit is kept in ${keptIn}.`] : []),
      ].join('\n'),
    );
    this.problems = problems;
  }
}

/** The content as the editor shows it: pretty JSON or YAML, fields in the schema's order. */
export const contentText = (email: LlmEmail, format: EditFormat): string =>
  format === 'json' ? `${JSON.stringify(email, null, 2)}\n` : stringifyYaml(email);

/**
 * Parses what the operator saved: JSON or YAML that must match the model's schema (subject,
 * preheader, intro, sections with items citing issue keys, outro; the same limits).
 * @returns the content, or the problems (syntax, or each schema violation with its path).
 */
export const parseContent = (
  text: string,
  format: EditFormat,
): { email: LlmEmail; problems?: undefined } | { email?: undefined; problems: string[] } => {
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return { problems: [`not valid ${format.toUpperCase()}: ${(err as Error).message.split('\n')[0]}`] };
  }
  const parsed = llmEmail.safeParse(value);
  if (parsed.success) return { email: parsed.data };
  return {
    problems: parsed.error.issues.map(
      (issue) =>
        `schema: ${issue.path.length > 0 ? issue.path.join('.') : '(the whole content)'}: ${issue.message}`,
    ),
  };
};

const WHAT: Record<GroundingProblemKind, string> = {
  unknown_key: "cites or names issue keys outside the audience's scope",
  uncited_key: 'names issue keys the item does not cite',
  unsupported_number: 'has numbers, versions, dates or amounts the cited issues do not contain',
  unsupported_name: 'has quoted names the cited issues do not contain',
  unbacked_promise: 'makes promises the cited issues do not make',
};

/** One line per failed check of {@link checkDraft}'s result: grounding, content policy, coverage. */
export const describeProblems = (problems: DraftProblems): string[] => [
  ...problems.grounding.map((p) => `grounding: ${p.field} ${WHAT[p.kind]}: ${p.words.join(', ')}`),
  ...problems.violations.map((v) => `content policy: ${v.field} contains a ${v.kind} (${v.text})`),
  ...(coverageShort(problems)
    ? [
        `coverage: ${problems.coverage.mentioned.length} of ${problems.coverage.inScope} issues mentioned (${Math.round(
          coverageRatio(problems.coverage) * 100,
        )}%), at least ${Math.round(problems.requiredCoverage * 100)}% required; not mentioned: ${problems.coverage.missing.join(', ')}`,
      ]
    : []),
];
