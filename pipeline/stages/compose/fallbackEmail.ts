import type { JiraIssue } from '#adapters/jira/JiraPort';
import { issueKey, type LlmEmail } from '#contracts/emailDraft';
import { singleLine, truncate } from '#shared/text';
import { formatReleaseDate, localeStrings } from '#stages/shared/localeStrings';
import { readerText, redactContactDetails } from './contentPolicy.ts';
import { findKeyTokens } from './grounding/index.ts';

/** Most issues the template lists by default; the rest are summarised as a count. */
export const DEFAULT_FALLBACK_MAX_ITEMS = 50;

/** Most sections (issue-type groups) of an email, as the `llmEmail` schema allows. */
const MAX_SECTIONS = 10;

/** What the template email is written from. Jira strings are untrusted (the renderer escapes them). */
export interface FallbackInput {
  projectName: string;
  versionName: string;
  /** Jira `yyyy-mm-dd` release date, when set. */
  releaseDate?: string | undefined;
  pointKind: 'before' | 'on_release';
  /** Whole days from the send point to the release date (`before` points). */
  daysBefore?: number | undefined;
  locale: string;
  issues: readonly JiraIssue[];
  /** True when Jira holds more issues than `issues`. */
  truncated: boolean;
  /** Most issues listed, 0..100 (a section holds at most 100), default {@link DEFAULT_FALLBACK_MAX_ITEMS}. */
  maxItems?: number | undefined;
}

interface Group {
  heading: string;
  issues: JiraIssue[];
}

/** Sort key of an issue inside its type: product area (first component), then epic; none last. */
const areaOf = (issue: JiraIssue): string =>
  `${issue.components?.[0] ?? '\uffff'}\u0000${issue.epic ?? '\uffff'}`;

/**
 * Groups issues by type, biggest group first (ties keep Jira's order), merging the tail into one;
 * inside a group, issues of one product area (component) and then one epic sit together.
 */
const groupByType = (issues: readonly JiraIssue[], otherHeading: string): Group[] => {
  const groups = new Map<string, Group>();
  const byArea = [...issues].sort((a, b) => (areaOf(a) < areaOf(b) ? -1 : areaOf(a) > areaOf(b) ? 1 : 0));
  for (const issue of byArea) {
    const heading = truncate(safeLine(issue.issueType ?? ''), 150) || otherHeading;
    const group = groups.get(heading) ?? { heading, issues: [] };
    group.issues.push(issue);
    groups.set(heading, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.issues.length - a.issues.length);
  if (sorted.length <= MAX_SECTIONS) return sorted;
  const kept = sorted.slice(0, MAX_SECTIONS - 1);
  const rest = sorted.slice(MAX_SECTIONS - 1).flatMap((g) => g.issues);
  const existingOther = kept.find((g) => g.heading === otherHeading);
  if (existingOther) existingOther.issues.push(...rest);
  else kept.push({ heading: otherHeading, issues: rest });
  return kept;
};

/**
 * Jira text as the template may print it: one line, with every URL, domain name, email address
 * and phone number cut out (the content policy the model's answer is held to).
 */
const safeLine = (value: string): string => redactContactDetails(singleLine(value));

/**
 * One issue as a template item: its summary, cleaned ({@link safeLine}), citing its own key and
 * every in-scope key the summary names (keys anywhere must be cited where they are named); other
 * key-shaped tokens of a scope project (an issue left out of scope) are cut out.
 */
const templateItem = (issue: JiraIssue, scope: ReadonlySet<string>, projects: ReadonlySet<string>) => {
  // The team's customer-facing sentence, when Jira has one, reads better than the summary.
  const source = issue.releaseNote ?? issue.summary;
  const named = findKeyTokens(source);
  const hidden = named.filter((key) => !scope.has(key) && projects.has(key.slice(0, key.lastIndexOf('-'))));
  // As a reader sees it: a zero-width space inside a hidden key must not keep it from being cut.
  let text = readerText(safeLine(source));
  for (const key of hidden) text = text.split(key).join('');
  text = text.replace(/ {2,}/g, ' ').trim();
  const cited = [issue.key, ...named.filter((key) => scope.has(key) && key !== issue.key)];
  return { text: truncate(text, 1000) || issue.key, issueKeys: [...new Set(cited)] };
};

/** Picks up to `max` issues round-robin across groups, so every type is represented. */
const pickRoundRobin = (groups: Group[], max: number): Group[] => {
  const picked = groups.map((g) => ({ heading: g.heading, issues: [] as JiraIssue[] }));
  let taken = 0;
  for (let round = 0; taken < max; round += 1) {
    let progressed = false;
    groups.forEach((group, index) => {
      const issue = group.issues[round];
      if (issue === undefined || taken >= max) return;
      picked[index]?.issues.push(issue);
      taken += 1;
      progressed = true;
    });
    if (!progressed) break;
  }
  return picked.filter((g) => g.issues.length > 0);
};

/**
 * The email written from a template when there is no LLM (no OpenAI key configured) or the
 * LLM's answer failed validation twice: issues grouped by type, at most `maxItems` listed and
 * the rest counted, and a visible line saying the summary was generated from Jira. Jira text goes
 * through the content policy: URLs, domain names, email addresses and phone numbers are cut out
 * of every line it prints. The caller marks the draft `source: 'template'`. Pure; the result satisfies the `llmEmail` schema.
 */
export const fallbackEmail = (input: FallbackInput): LlmEmail => {
  const strings = localeStrings(input.locale);
  const maxItems = Math.min(100, Math.max(0, input.maxItems ?? DEFAULT_FALLBACK_MAX_ITEMS));
  const project = safeLine(input.projectName);
  const version = safeLine(input.versionName);
  const date = input.releaseDate ? formatReleaseDate(input.releaseDate, input.locale) : strings.noReleaseDate;
  const when = strings.when(input.daysBefore, date);

  // Jira keys always match; the guard keeps the schema's promise if a stand-in sends odd data.
  const issues = input.issues.filter((issue) => issueKey.safeParse(issue.key).success);
  const scope = new Set(issues.map((issue) => issue.key));
  const projects = new Set(issues.map((issue) => issue.key.slice(0, issue.key.lastIndexOf('-'))));
  const groups = pickRoundRobin(groupByType(issues, strings.otherType), maxItems);
  const shown = groups.reduce((n, g) => n + g.issues.length, 0);
  const hidden = issues.length - shown;

  const subject =
    input.pointKind === 'on_release'
      ? strings.templateSubjectOnRelease(project, version)
      : strings.templateSubjectBefore(project, version, when);
  const lead =
    input.pointKind === 'on_release'
      ? strings.templateIntroOnRelease(version)
      : strings.templateIntroBefore(version, when);
  const intro = issues.length > 0 ? lead : strings.noIssues;

  return {
    subject: truncate(subject, 150),
    preheader: truncate(intro, 200),
    intro: truncate(`${strings.templateMarker}\n\n${intro}`, 2000),
    sections: groups.map((group) => ({
      heading: group.heading,
      items: group.issues.map((issue) => templateItem(issue, scope, projects)),
    })),
    outro: truncate(
      [hidden > 0 ? strings.moreIssues(hidden) : '', input.truncated ? strings.truncatedNote : '']
        .filter((line) => line.length > 0)
        .join(' '),
      1000,
    ),
  };
};
