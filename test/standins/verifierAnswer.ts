/**
 * The OpenAI stand-in's grounding verifier: how it recognises a verification request and the
 * deterministic verdict it answers. The verdict is a word-overlap heuristic, not a model: an
 * item is supported when it shares a token (a word stem, a number or an acronym) with the
 * summary, release note or description of an issue it cites, or has no token at all. A
 * misattributed item (a real change citing another issue) usually shares none; a faithful item
 * in another language than the Jira text may share none either (a model reads both).
 */

/** `response_format.json_schema.name` of a verification (OpenAiLlm's VERIFIER_FORMAT_NAME). */
export const VERIFIER_FORMAT = 'grounding_verdict';

/** How the stand-in answers verifications. */
export type VerifierMode =
  /** The word-overlap verdict described above. */
  | 'overlap'
  /** Every item supported. */
  | 'approveAll'
  /** Every item unsupported. */
  | 'rejectAll';

/** Whether a chat completion body asks for a grounding verdict. */
export const isVerifierRequest = (body: Record<string, unknown>): boolean => {
  const format = body.response_format as { json_schema?: { name?: unknown } } | undefined;
  return format?.json_schema?.name === VERIFIER_FORMAT;
};

const STOP_WORDS = new Set(
  'this that with from have will into when been were their they them than then there these those your about after before more most some such only also over under which while what where'.split(
    ' ',
  ),
);

/**
 * The tokens two texts are compared on: words of 4+ letters cut to their first 5 (a crude stem
 * that also meets cognates across languages: "minutes"/"minutos", "export"/"exporte"), digit
 * runs, and acronyms (SMS, MB, CSV).
 */
const contentWords = (text: string): Set<string> =>
  new Set([
    ...(text.toLowerCase().match(/\p{L}{4,}/gu) ?? [])
      .filter((word) => !STOP_WORDS.has(word))
      .map((word) => word.slice(0, 5)),
    ...(text.match(/\d+/g) ?? []),
    ...(text.match(/\b\p{Lu}{2,}\b/gu) ?? []),
  ]);

const block = (text: string, name: string): unknown => {
  const match = new RegExp(`<${name}>\\n([\\s\\S]*?)\\n</${name}>`).exec(text);
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]);
  } catch {
    return undefined;
  }
};

interface Item {
  id?: unknown;
  text?: unknown;
  issueKeys?: unknown;
}

interface Issue {
  key?: unknown;
  summary?: unknown;
  releaseNote?: unknown;
  description?: unknown;
}

const supported = (item: Item, issues: Map<string, Issue>): boolean => {
  const words = contentWords(typeof item.text === 'string' ? item.text : '');
  if (words.size === 0) return true;
  const keys = Array.isArray(item.issueKeys) ? item.issueKeys : [];
  return keys.some((key) => {
    const issue = issues.get(String(key));
    if (!issue) return false;
    const data = contentWords(
      [issue.summary, issue.releaseNote, issue.description].filter((t) => typeof t === 'string').join(' '),
    );
    return [...words].some((word) => data.has(word));
  });
};

/** The JSON content of the verdict for a verification prompt's user text. */
export const verifierAnswer = (userText: string, mode: VerifierMode = 'overlap'): string => {
  const items = (block(userText, 'draft_items') as Item[] | undefined) ?? [];
  const data = block(userText, 'jira_data') as { issues?: Issue[] } | undefined;
  const issues = new Map((data?.issues ?? []).map((issue) => [String(issue.key), issue]));
  return JSON.stringify({
    items: items.map((item) => {
      const ok = mode === 'approveAll' || (mode === 'overlap' && supported(item, issues));
      return {
        id: String(item.id),
        supported: ok,
        reason: ok
          ? 'The cited issue describes this change.'
          : 'The cited issues do not describe this change.',
      };
    }),
  });
};

/**
 * A writer answer with a real change attributed to the wrong issue: the first two items swap
 * their cited keys (mode `misattribute`). Passes every deterministic check when the texts hold
 * no numbers or promises; the verifier is what catches it.
 */
export const misattribute = <T extends { sections: Array<{ items: Array<{ issueKeys: string[] }> }> }>(
  email: T,
): T => {
  const items = email.sections.flatMap((section) => section.items);
  const [first, second] = items;
  if (first && second) [first.issueKeys, second.issueKeys] = [second.issueKeys, first.issueKeys];
  return email;
};
