import { singleLine, truncate } from '#shared/text';
import { adfToText } from './adfToText.ts';
import type { JiraIssue } from './JiraPort.ts';

/** Text limits of the fields read here, characters. */
const LIMITS = { name: 100, releaseNote: 500, listItems: 20 } as const;

const tidyName = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = singleLine(value);
  return text ? truncate(text, LIMITS.name) : undefined;
};

/** Strings, or the `name` of `{ name }` objects, of a Jira list field; undefined when none. */
const names = (value: unknown): string[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  const out = value
    .map((item) =>
      tidyName(typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : item),
    )
    .filter((name): name is string => name !== undefined)
    .slice(0, LIMITS.listItems);
  return out.length > 0 ? out : undefined;
};

/** The parent's summary when the parent is an epic (hierarchy level 1, or a type named Epic). */
const epicOf = (parent: unknown): string | undefined => {
  if (typeof parent !== 'object' || parent === null) return undefined;
  const fields = (parent as { fields?: unknown }).fields;
  if (typeof fields !== 'object' || fields === null) return undefined;
  const { summary, issuetype } = fields as { summary?: unknown; issuetype?: unknown };
  const type =
    typeof issuetype === 'object' && issuetype !== null ? (issuetype as Record<string, unknown>) : {};
  // A sub-task's parent is a story, not an epic: its summary is no product area.
  const isEpic = type.hierarchyLevel === 1 || (typeof type.name === 'string' && /^epic$/i.test(type.name));
  if (!isEpic || typeof summary !== 'string') return undefined;
  const text = singleLine(summary);
  return text ? truncate(text, 300) : undefined;
};

/** A release-note custom field: plain text, or rich text (ADF) flattened (adfToText reads both). */
const releaseNoteOf = (value: unknown): string | undefined =>
  adfToText(value, LIMITS.releaseNote) || undefined;

/**
 * The editorial fields of a search result (labels, components, security level, parent epic,
 * release note), read defensively: an odd shape is read as absent, never as a failure.
 */
export const issueExtras = (
  fields: Record<string, unknown>,
  releaseNoteField: string | undefined,
): Pick<JiraIssue, 'labels' | 'components' | 'securityLevel' | 'epic' | 'releaseNote'> => {
  const security = fields.security;
  const securityLevel =
    typeof security === 'object' && security !== null
      ? (tidyName((security as { name?: unknown }).name) ?? 'restricted')
      : undefined;
  const releaseNote = releaseNoteField ? releaseNoteOf(fields[releaseNoteField]) : undefined;
  const out: Pick<JiraIssue, 'labels' | 'components' | 'securityLevel' | 'epic' | 'releaseNote'> = {};
  const labels = names(fields.labels);
  const components = names(fields.components);
  const epic = epicOf(fields.parent);
  if (labels) out.labels = labels;
  if (components) out.components = components;
  if (securityLevel) out.securityLevel = securityLevel;
  if (epic) out.epic = epic;
  if (releaseNote) out.releaseNote = releaseNote;
  return out;
};
