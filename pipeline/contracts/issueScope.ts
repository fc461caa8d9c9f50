import * as z from 'zod';

/**
 * The scope a project gets when its policy names none: issues without a Jira security level, and
 * not labelled `internal` or `no-release-notes`. `!=` and `NOT IN` never match an empty field in
 * JQL, hence the explicit `labels IS EMPTY` branch (an unlabelled issue is in scope).
 */
export const DEFAULT_ISSUE_SCOPE =
  '(level IS EMPTY) AND (labels IS EMPTY OR labels NOT IN (internal, no-release-notes))';

/** Labels the default scope leaves out; a left-out issue carrying one is reported as `label`. */
export const EXCLUDED_LABELS: readonly string[] = ['internal', 'no-release-notes'];

/** The audience every contact without one (or with an unknown one) belongs to. */
export const DEFAULT_AUDIENCE = 'all';

/**
 * True when every parenthesis outside quoted strings closes in order and every string ends: a
 * condition that is ANDed in parentheses cannot then escape them (`x) OR (y` would widen the
 * search past the release).
 */
export const isBalancedJql = (jql: string): boolean => {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0 && quote === undefined;
};

/** Longest scope condition, characters. */
const MAX_SCOPE_CHARS = 2000;

/** Longest writer instructions of an audience, characters. */
export const MAX_AUDIENCE_INSTRUCTIONS = 500;

/** An audience name: 1-32 characters of a-z, 0-9, `-` and `_`, starting with a letter or digit. */
export const audienceName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'audience must be 1-32 characters of a-z, 0-9, - and _');

/**
 * A JQL condition (no `ORDER BY`: the pipeline orders the search itself). Jira validates it
 * (`herald policy set` asks `POST /rest/api/3/jql/parse`); this only checks its shape.
 */
export const jqlCondition = z
  .string()
  .trim()
  .min(1, 'a JQL condition cannot be empty')
  .max(MAX_SCOPE_CHARS, `a JQL condition is at most ${MAX_SCOPE_CHARS} characters`)
  .refine((jql) => !/\border\s+by\b/i.test(jql), 'a scope is a condition: leave out ORDER BY')
  .refine(isBalancedJql, 'unbalanced parentheses or an unfinished quoted string');

/** A Jira custom field id, `customfield_10123`. */
export const customFieldId = z
  .string()
  .trim()
  .regex(/^customfield_\d{1,18}$/, 'expected a custom field id such as customfield_10123');

/** One audience of a project: who hears about which issues, and how the writer addresses them. */
export const audience = z.object({
  name: audienceName,
  /** Extra JQL condition ANDed with the project's scope. Default none: the project's scope. */
  scope: jqlCondition.optional(),
  /**
   * Short instructions for the writer (tone, what this audience cares about): trusted operator
   * text, never Jira data. At most {@link MAX_AUDIENCE_INSTRUCTIONS} characters.
   */
  instructions: z
    .string()
    .trim()
    .min(1)
    .max(MAX_AUDIENCE_INSTRUCTIONS, `instructions are at most ${MAX_AUDIENCE_INSTRUCTIONS} characters`)
    .optional(),
});

/** One audience of a project. */
export type Audience = z.output<typeof audience>;
