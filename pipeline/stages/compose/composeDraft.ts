import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { EmailRequest } from '#adapters/llm/LlmPort';
import type { EmailDraft, LlmEmail } from '#contracts/emailDraft';
import type { Audience } from '#contracts/issueScope';
import { truncate } from '#shared/text';
import { localeStrings } from '#stages/shared/localeStrings';
import { checkCitations } from './citations.ts';
import type { DraftContext } from './DraftContext.ts';
import { daysBefore } from './daysBefore.ts';
import { emailPresentationOf } from './emailPresentation.ts';
import { fallbackEmail } from './fallbackEmail.ts';
import { coverageOf } from './grounding/index.ts';
import type { LeftOutIssue } from './releaseScope.ts';
import { renderEmail } from './renderEmail.ts';
import { type AnswerChecks, type LlmCounters, type Written, writeWithLlm } from './writeWithLlm.ts';

/** What one draft is written from: the audience's in-scope issues (read once per record and audience). */
export interface ReleaseFacts {
  projectName: string;
  issues: JiraIssue[];
  truncated: boolean;
  audience: Audience;
  /** Issues of the release this audience does not hear about, with the reason. */
  leftOut: LeftOutIssue[];
}

/** Which draft {@link composeDraft} writes: its ledger key and locale. */
export interface DraftTarget {
  key: string;
  locale: string;
}

/** The `llmEmail` schema's longest outro, characters. */
const MAX_OUTRO_LENGTH = 1000;

/**
 * The model's email with the locale's "Jira lists further issues" line closing the outro. The
 * model sees only the issues read (at most JIRA_MAX_ISSUES) and is not told more exist, so
 * without this a 10,000-issue release would read as complete; the template says it too.
 */
const withTruncationNote = (email: LlmEmail, locale: string): LlmEmail => {
  const note = localeStrings(locale).truncatedNote;
  const outro = truncate(email.outro.trim(), MAX_OUTRO_LENGTH - note.length - 1);
  return { ...email, outro: outro ? `${outro} ${note}` : note };
};

/** How the answers of one draft are checked: its scope (the issues handed to the writer) and policy. */
const answerChecks = (c: DraftContext, facts: ReleaseFacts, locale: string): AnswerChecks => ({
  scope: {
    issues: facts.issues,
    locale,
    release: {
      versionName: c.version.name,
      description: c.version.description,
      releaseDate: c.version.releaseDate,
    },
  },
  minCoverage: c.policy.minCoverage,
  verify: c.policy.verifyGrounding === true,
});

/** A draft's email before it is rendered: the model's when usable, else the template's. */
interface ComposedEmail {
  email: LlmEmail;
  /** The model's usable answer; undefined when the template wrote the email. */
  written: Written | undefined;
  counters: LlmCounters;
}

/** Writes the email of one draft: the LLM (checked, one retry with feedback), else the template. */
const writeEmail = async (c: DraftContext, facts: ReleaseFacts, locale: string): Promise<ComposedEmail> => {
  const { point, version, deps } = c;
  const days = daysBefore(point, deps.now());
  const counters: LlmCounters = { llmCalls: 0, verifierCalls: 0, promptTokens: 0, completionTokens: 0 };
  const request: EmailRequest = {
    projectName: facts.projectName,
    versionName: version.name,
    versionDescription: version.description,
    releaseDate: version.releaseDate,
    pointKind: point.pointKind,
    daysBefore: days,
    locale,
    issues: facts.issues,
    audience: { name: facts.audience.name, instructions: facts.audience.instructions },
  };
  const checks = answerChecks(c, facts, locale);
  const llmOptions = { request, checks, counters, retry: c.retry, logger: c.logger };
  const written = (deps.llm ? await writeWithLlm({ llm: deps.llm, ...llmOptions }) : null) ?? undefined;
  if (written) {
    const email = facts.truncated ? withTruncationNote(written.answer.email, locale) : written.answer.email;
    return { email, written, counters };
  }
  const email = fallbackEmail({
    projectName: facts.projectName,
    versionName: version.name,
    releaseDate: version.releaseDate,
    pointKind: point.pointKind,
    daysBefore: days,
    locale,
    issues: facts.issues,
    truncated: facts.truncated,
    maxItems: deps.fallbackMaxItems,
  });
  return { email, written: undefined, counters };
};

/** The draft record of a written email: rendered, its citations and coverage, its LLM usage. */
const draftOf = (
  c: DraftContext,
  target: DraftTarget,
  facts: ReleaseFacts,
  composed: ComposedEmail,
): EmailDraft => {
  const { key, locale } = target;
  const { email, written, counters } = composed;
  const answer = written?.answer;
  const releaseKeys = new Set(facts.issues.map((issue) => issue.key));
  const presentation = emailPresentationOf(c.policy, facts.projectName);
  const rendered = renderEmail(email, {
    projectName: facts.projectName,
    versionName: c.version.name,
    releaseDate: c.version.releaseDate,
    siteUrl: c.deps.jira.siteUrl,
    locale,
    references: presentation.references,
    footerLine: presentation.footerLine,
  });
  return {
    key,
    source: answer ? 'llm' : 'template',
    ...(answer ? { model: answer.model } : {}),
    locale,
    ...rendered,
    issueKeys: checkCitations(email, releaseKeys).cited,
    createdAt: c.deps.now().toISOString(),
    coverage: coverageOf(email, [...releaseKeys]),
    ...(written && written.removedItems.length > 0 ? { removedItems: written.removedItems } : {}),
    ...(written?.verifier ? { verifier: written.verifier } : {}),
    fromName: presentation.fromName,
    ...(presentation.replyTo !== undefined ? { replyTo: presentation.replyTo } : {}),
    content: email,
    usage: {
      llmCalls: counters.llmCalls,
      promptTokens: counters.promptTokens,
      completionTokens: counters.completionTokens,
    },
  };
};

/** Writes, renders and stores the draft of one locale; resolves to the stored (first-written) draft. */
export const composeDraft = async (
  c: DraftContext,
  target: DraftTarget,
  facts: ReleaseFacts,
): Promise<EmailDraft> => {
  const composed = await writeEmail(c, facts, target.locale);
  const draft = draftOf(c, target, facts, composed);
  const stored = await c.retry('ledger.put_draft', () => c.deps.ledger.putDraftIfAbsent(draft));
  c.logger.info(
    {
      draftKey: target.key,
      audience: facts.audience.name,
      locale: target.locale,
      source: draft.source,
      model: draft.model,
      issueCount: facts.issues.length,
      leftOutCount: facts.leftOut.length,
      leftOut: facts.leftOut,
      issuesTruncated: facts.truncated,
      citedCount: draft.issueKeys.length,
      coverage: `${draft.coverage?.mentioned.length ?? 0}/${draft.coverage?.inScope ?? 0}`,
      removedItems: draft.removedItems?.length ?? 0,
      verifier: draft.verifier?.outcome,
      ...composed.counters,
      // Another chunk stored its draft first: ours is dropped and theirs is sent.
      lostRace: stored.createdAt !== draft.createdAt || stored.html !== draft.html,
    },
    'email_composed',
  );
  return stored;
};
