/**
 * A small JQL engine for the Jira stand-in: the fields release-herald's scopes use (issuetype,
 * labels, level, component, status, fixVersion, key), the operators `=`, `!=`, `IN`, `NOT IN`,
 * `IS [NOT] EMPTY|NULL`, `AND`, `OR`, `NOT`, parentheses and `ORDER BY key [ASC|DESC]`. What it does
 * not understand is a {@link JqlError} (the stand-in answers 400 with it), never a guess.
 *
 * Semantics follow Atlassian's operator reference: `!=` and `NOT IN` never match an empty field;
 * multi-value fields (labels, component, fixVersion) match `=`/`IN` when any value does; values
 * compare case-insensitively.
 */

import type { JiraIssue } from '#adapters/jira/JiraPort';

/** The issue values a clause reads, by JQL field name (lower case). Empty array = empty field. */
export type JqlValues = Readonly<Record<JqlField, readonly string[]>>;

/** Fields the stand-in evaluates. */
export const JQL_FIELDS = [
  'issuetype',
  'labels',
  'level',
  'component',
  'status',
  'fixversion',
  'key',
] as const;

/** A field the stand-in evaluates. */
export type JqlField = (typeof JQL_FIELDS)[number];

const ALIASES: Readonly<Record<string, JqlField>> = { type: 'issuetype', components: 'component' };

/** Real Jira fields the stand-in does not evaluate: named as such, not as "does not exist". */
const REAL_BUT_UNSUPPORTED = new Set([
  'project',
  'assignee',
  'reporter',
  'priority',
  'resolution',
  'summary',
  'description',
  'text',
  'created',
  'updated',
  'resolved',
  'sprint',
  'parent',
  'epic',
  'statuscategory',
]);

/** A JQL text the stand-in cannot run; `message` is what Jira-like clients show. */
export class JqlError extends Error {
  override name = 'JqlError';
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'op'; text: '=' | '!=' | '(' | ')' | ','; at: number };

type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'not'; operand: Node }
  | { type: 'clause'; field: JqlField; operator: string; values: string[] };

/** A parsed query: a predicate over issue values and the key order asked for. */
export interface CompiledJql {
  /** True when the issue matches (always true for a query with no condition). */
  matches(values: JqlValues): boolean;
  /** `ORDER BY key` direction, when asked. */
  order: 'ASC' | 'DESC' | undefined;
  /** Every value compared with each field, lower-cased (to check e.g. that a fixVersion exists). */
  valuesOf(field: JqlField): string[];
  /** A Jira-like syntax tree, for `jql/parse`. */
  structure: unknown;
}

const position = (at: number): string => `(line 1, character ${at + 1})`;

const tokenize = (jql: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',' || c === '=') {
      tokens.push({ kind: 'op', text: c, at: i });
      i++;
    } else if (c === '!' && jql[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=', at: i });
      i += 2;
    } else if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < jql.length && jql[j] !== c; j++) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        text += jql[j];
      }
      if (j >= jql.length)
        throw new JqlError(
          `Error in the JQL Query: The quoted string has not been completed. ${position(i)}`,
        );
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (/[A-Za-z0-9_.-]/.test(c)) {
      let j = i;
      while (j < jql.length && /[A-Za-z0-9_.-]/.test(jql[j] as string)) j++;
      tokens.push({ kind: 'word', text: jql.slice(i, j), at: i });
      i = j;
    } else {
      throw new JqlError(
        `Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead. ${position(i)}`,
      );
    }
  }
  return tokens;
};

/** Recursive-descent parser over the tokens of one query. */
class Parser {
  readonly #tokens: Token[];
  readonly #length: number;
  #i = 0;

  constructor(tokens: Token[], length: number) {
    this.#tokens = tokens;
    this.#length = length;
  }

  parse(): { where: Node | undefined; order: 'ASC' | 'DESC' | undefined } {
    const where = this.#atKeyword('order') || this.#peek() === undefined ? undefined : this.#or();
    let order: 'ASC' | 'DESC' | undefined;
    if (this.#atKeyword('order')) {
      this.#i++;
      this.#expectKeyword('by');
      const field = this.#next('a field name');
      if (field.text.toLowerCase() !== 'key')
        throw new JqlError(
          `Error in the JQL Query: the Jira stand-in orders by key only, not '${field.text}'. ${position(field.at)}`,
        );
      order = 'ASC';
      if (this.#atKeyword('asc') || this.#atKeyword('desc'))
        order = this.#next('').text.toUpperCase() as 'ASC';
    }
    const rest = this.#peek();
    if (rest)
      throw new JqlError(
        `Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${rest.text}'. ${position(rest.at)}`,
      );
    return { where, order };
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#i];
  }

  #atKeyword(word: string): boolean {
    const token = this.#peek();
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  #next(expected: string): Token {
    const token = this.#peek();
    if (!token)
      throw new JqlError(
        `Error in the JQL Query: Expecting ${expected} but reached the end of the query. ${position(this.#length)}`,
      );
    this.#i++;
    return token;
  }

  #expectKeyword(word: string): void {
    const token = this.#next(`'${word.toUpperCase()}'`);
    if (token.kind !== 'word' || token.text.toLowerCase() !== word)
      throw new JqlError(
        `Error in the JQL Query: Expecting '${word.toUpperCase()}' but got '${token.text}'. ${position(token.at)}`,
      );
  }

  #expectOp(op: string): void {
    const token = this.#next(`'${op}'`);
    if (token.kind !== 'op' || token.text !== op)
      throw new JqlError(
        `Error in the JQL Query: Expecting '${op}' but got '${token.text}'. ${position(token.at)}`,
      );
  }

  #or(): Node {
    let left = this.#and();
    while (this.#atKeyword('or')) {
      this.#i++;
      left = { type: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Node {
    let left = this.#factor();
    while (this.#atKeyword('and')) {
      this.#i++;
      left = { type: 'and', left, right: this.#factor() };
    }
    return left;
  }

  #factor(): Node {
    if (this.#atKeyword('not')) {
      this.#i++;
      return { type: 'not', operand: this.#factor() };
    }
    const token = this.#peek();
    if (token?.kind === 'op' && token.text === '(') {
      this.#i++;
      const inner = this.#or();
      this.#expectOp(')');
      return inner;
    }
    return this.#clause();
  }

  #field(): JqlField {
    const token = this.#next('a field name');
    if (token.kind === 'op')
      throw new JqlError(
        `Error in the JQL Query: Expecting a field name but got '${token.text}'. ${position(token.at)}`,
      );
    const name = token.text.toLowerCase();
    const field = ALIASES[name] ?? (JQL_FIELDS as readonly string[]).find((f) => f === name);
    if (field) return field as JqlField;
    if (REAL_BUT_UNSUPPORTED.has(name))
      throw new JqlError(
        `Error in the JQL Query: the Jira stand-in does not understand the field '${token.text}' (it evaluates ${JQL_FIELDS.join(', ')}). ${position(token.at)}`,
      );
    throw new JqlError(`Field '${token.text}' does not exist or you do not have permission to view it.`);
  }

  #value(): string {
    const token = this.#next('a value');
    if (token.kind === 'op')
      throw new JqlError(
        `Error in the JQL Query: Expecting a value but got '${token.text}'. ${position(token.at)}`,
      );
    return token.text;
  }

  #list(): string[] {
    this.#expectOp('(');
    const values = [this.#value()];
    for (;;) {
      const token = this.#next("',' or ')'");
      if (token.kind === 'op' && token.text === ')') return values;
      if (token.kind !== 'op' || token.text !== ',')
        throw new JqlError(
          `Error in the JQL Query: Expecting ',' or ')' but got '${token.text}'. ${position(token.at)}`,
        );
      values.push(this.#value());
    }
  }

  #clause(): Node {
    const field = this.#field();
    const token = this.#next('an operator');
    const word = token.kind === 'word' ? token.text.toLowerCase() : undefined;
    if (token.kind === 'op' && (token.text === '=' || token.text === '!='))
      return { type: 'clause', field, operator: token.text, values: [this.#value()] };
    if (word === 'in') return { type: 'clause', field, operator: 'in', values: this.#list() };
    if (word === 'not') {
      this.#expectKeyword('in');
      return { type: 'clause', field, operator: 'not in', values: this.#list() };
    }
    if (word === 'is') {
      let operator = 'is';
      if (this.#atKeyword('not')) {
        this.#i++;
        operator = 'is not';
      }
      const empty = this.#next("'EMPTY'");
      if (empty.kind !== 'word' || !['empty', 'null'].includes(empty.text.toLowerCase()))
        throw new JqlError(
          `Error in the JQL Query: Expecting 'EMPTY' but got '${empty.text}'. ${position(empty.at)}`,
        );
      return { type: 'clause', field, operator, values: [] };
    }
    throw new JqlError(
      `Error in the JQL Query: Expecting operator but got '${token.text}'. The valid operators are '=', '!=', 'IN', 'NOT IN', 'IS' and 'IS NOT' in the Jira stand-in. ${position(token.at)}`,
    );
  }
}

const evaluate = (node: Node, values: JqlValues): boolean => {
  switch (node.type) {
    case 'and':
      return evaluate(node.left, values) && evaluate(node.right, values);
    case 'or':
      return evaluate(node.left, values) || evaluate(node.right, values);
    case 'not':
      return !evaluate(node.operand, values);
    case 'clause': {
      // Stand-in issues may hold odd values on purpose (a number as type): only strings compare.
      const have = values[node.field].filter((v) => typeof v === 'string').map((v) => v.toLowerCase());
      const asked = node.values.map((v) => v.toLowerCase());
      const any = have.some((v) => asked.includes(v));
      switch (node.operator) {
        case '=':
        case 'in':
          return any;
        case '!=':
        case 'not in':
          // Atlassian: "!=" and "NOT IN" do not match issues where the field is empty.
          return have.length > 0 && !any;
        case 'is':
          return have.length === 0;
        default:
          return have.length > 0;
      }
    }
  }
};

const structureOf = (node: Node): unknown =>
  node.type === 'clause'
    ? {
        field: { name: node.field },
        operator: node.operator,
        operand:
          node.values.length === 0 ? { value: 'EMPTY' } : { values: node.values.map((value) => ({ value })) },
      }
    : node.type === 'not'
      ? { operator: 'not', clauses: [structureOf(node.operand)] }
      : { operator: node.type, clauses: [structureOf(node.left), structureOf(node.right)] };

const collect = (node: Node | undefined, field: JqlField, into: string[]): string[] => {
  if (!node) return into;
  if (node.type === 'clause') {
    if (node.field === field) into.push(...node.values.map((v) => v.toLowerCase()));
  } else if (node.type === 'not') collect(node.operand, field, into);
  else {
    collect(node.left, field, into);
    collect(node.right, field, into);
  }
  return into;
};

/**
 * Parses one JQL query.
 * @throws JqlError with a Jira-like message (and `(line 1, character N)` for syntax errors).
 */
export const compileJql = (jql: string): CompiledJql => {
  const { where, order } = new Parser(tokenize(jql), jql.length).parse();
  return {
    matches: (values) => (where ? evaluate(where, values) : true),
    order,
    valuesOf: (field) => collect(where, field, []),
    structure: {
      ...(where ? { where: structureOf(where) } : {}),
      ...(order ? { orderBy: { fields: [{ field: { name: 'key' }, direction: order.toLowerCase() }] } } : {}),
    },
  };
};

/**
 * The issues of `versionId` that match every condition (as `JiraPort.listReleaseIssues` scopes
 * them): for in-memory Jira fakes, so unit tests get the stand-in's JQL semantics.
 * @throws JqlError for a condition the engine cannot read (Jira would answer 400).
 */
export const filterByJql = (
  issues: readonly JiraIssue[],
  versionId: string,
  conditions: ReadonlyArray<string | undefined> = [],
): JiraIssue[] => {
  const queries = conditions.filter((c): c is string => c !== undefined && c.trim() !== '').map(compileJql);
  return issues.filter((issue) =>
    queries.every((query) =>
      query.matches({
        issuetype: issue.issueType ? [issue.issueType] : [],
        labels: issue.labels ?? [],
        level: issue.securityLevel ? [issue.securityLevel] : [],
        component: issue.components ?? [],
        status: issue.status ? [issue.status] : [],
        fixversion: [versionId],
        key: [issue.key],
      }),
    ),
  );
};
