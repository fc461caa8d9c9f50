import type { VersionEvent } from '#contracts/jiraVersionWebhook';
import type { StandInIssue } from '#test/standins/JiraStandIn';
import type { OpenAiAnswerMode } from '#test/standins/OpenAiStandIn';
import type { StageName } from '#topology/topology';

/** What a corpus case attacks. */
export const CORPUS_CATEGORIES = [
  /** Missing, forged, tampered or malformed `X-Hub-Signature`. */
  'signature',
  /** Malformed, oversized or odd webhook bodies, wrong methods and paths. */
  'webhook',
  /** Signed version events whose body breaks the webhook schema. */
  'schema',
  /** Jira answers with huge, odd or broken fields. */
  'jira',
  /** HTML, script, placeholder, header and prompt-injection text in Jira and directory data. */
  'injection',
  /** The model misbehaving: unknown citations, broken JSON, refusals, echoed injections. */
  'llm',
  /** Big releases and big audiences. */
  'volume',
] as const;

/** One of {@link CORPUS_CATEGORIES}. */
export type CorpusCategory = (typeof CORPUS_CATEGORIES)[number];

/**
 * Everything that makes one case's traffic its own within a run, so outcomes (HTTP answers,
 * DLQ entries, emails) can be attributed to it. Built by the loader from the case's position.
 */
export interface CaseIds {
  /** The case's name. */
  name: string;
  /** `hc07`: put into every body the case sends (`"corpusCase":"hc07"`). */
  marker: string;
  /** Jira project key, `HC07`. */
  projectKey: string;
  /** Jira project id, numeric. */
  projectId: string;
  /** Jira version id, numeric and unique in the run. */
  versionId: string;
  /** `yyyy-mm-dd`, 30 days after the run started: every send point is in the future. */
  releaseDate: string;
  /** Addresses of the case's contacts (example.com/.org/.net), one per contact. */
  recipients: string[];
  /** The webhook secret of the run. */
  secret: string;
  /** When the run started. */
  now: Date;
}

/** How a raw webhook is signed. */
export type SignatureSpec =
  /** `sha256=<hex>` of the exact body under the run's secret. */
  | 'valid'
  /** No `X-Hub-Signature` header at all. */
  | 'none'
  /** `sha256=<hex>` under another secret. */
  | { secret: string }
  /** This exact header value (built from the body and the run's secret). */
  | { header: (body: Buffer, secret: string) => string };

/** A raw HTTP request to the webhook URL. */
export interface WebhookInput {
  kind: 'webhook';
  /** Default `POST`. */
  method?: string;
  /** Path under the webhook URL. Default `/`. */
  path?: string;
  /** The exact body bytes. */
  body: (ids: CaseIds) => string | Buffer;
  /** Default `valid`. */
  signature?: SignatureSpec;
}

/** A contact of the case's project (the address comes from {@link CaseIds.recipients}). */
export interface ContactSpec {
  name?: string;
  /** Default the policy's (`en`). */
  locale?: string;
}

/** How the model answers this case's prompts. */
export type LlmBehaviour =
  | { mode: OpenAiAnswerMode }
  /** The API refuses the request with this HTTP status (OpenAI's error body). */
  | { status: number };

/**
 * A release: the Jira stand-in and the directory are seeded, then a signed version webhook is
 * posted. The project gets a one-point policy (the day before, 09:00 UTC), so each contact gets
 * one email.
 */
export interface ReleaseInput {
  kind: 'release';
  /** Default `jira:version_created`. */
  event?: VersionEvent;
  /** Raw fields merged over the webhook body's `version` object (ids, name, releaseDate). */
  webhookVersion?: Record<string, unknown>;
  /** Raw top-level fields merged into the webhook body. */
  webhookExtra?: Record<string, unknown>;
  /** The project as Jira has it; `false`: Jira does not know it. Default name `Project <KEY>`. */
  project?: { name: string } | false;
  /** Version fields as Jira has them (raw: odd types are sent as given). */
  version?: Record<string, unknown>;
  /** The release's issues. Default three plain issues. */
  issues?: (ids: CaseIds) => StandInIssue[];
  /** Default one contact named `Client`. */
  contacts?: ContactSpec[];
  /** Default `{ mode: 'valid' }`. */
  llm?: LlmBehaviour;
  /**
   * A raw JSON body Jira answers (status 200) for `GET /version/<id>`: from the first read
   * (`enrich`) or only once the send point fires (`compose`).
   */
  versionAnswer?: { body: unknown; from: 'enrich' | 'compose' };
  /** Version fields Jira changes after scheduling, before the point fires (compose re-reads them). */
  versionAtFire?: Record<string, unknown>;
}

/** The HTTP answer of the webhook, and whether anything went on. */
export interface HttpExpectation {
  kind: 'http';
  status: number;
  /** `error` of the JSON answer; or a pattern over the raw answer. */
  error?: string | RegExp;
  /**
   * What happens after a 2xx: `no` nothing reaches ingest (refused, or the bus rule drops it);
   * `dropped` ingest receives it and drops it (no DLQ, no email). Default `no`.
   */
  forwarded?: 'no' | 'dropped';
}

/** One DLQ entry with its reason. */
export interface DlqExpectation {
  kind: 'dlq';
  stage: StageName;
  /** Matched against the `herald-reason` attribute. */
  reason: RegExp;
}

/** One safe email per contact. */
export interface EmailExpectation {
  kind: 'email';
  /** Who wrote it (`X-Herald-Draft-Source`). */
  source?: 'llm' | 'template';
  /** Untrusted strings: never in the HTML as written when they hold markup characters. */
  hostile?: string[];
  /** Text that must be visible (decoded HTML text), proving the hostile input reached the renderer. */
  visible?: string[];
  /** Text that must not be visible anywhere (HTML text, text part, subject). */
  invisible?: string[];
  /** Most issue links allowed. */
  maxIssueLinks?: number;
  /** At least this many issue links. */
  minIssueLinks?: number;
  /**
   * Every linked key's number is at most this: the email mentions only the issues Jira lists
   * first (keys in ascending order), i.e. what fits under JIRA_MAX_ISSUES.
   */
  maxIssueNumber?: number;
}

/**
 * Composed, and rightly nothing sent: compose handled the point once, successfully, and sent no
 * email and dead-lettered nothing (a release whose scope selects no issue: no empty emails).
 */
export interface SilentExpectation {
  kind: 'silent';
}

/** What a case must end in. */
export type Expectation = HttpExpectation | DlqExpectation | EmailExpectation | SilentExpectation;

/** One hostile input and the outcome it must have. */
export interface CorpusCase {
  /** Unique, kebab-case. */
  name: string;
  category: CorpusCategory;
  /** One sentence: what is thrown at the pipeline. */
  about: string;
  input: WebhookInput | ReleaseInput;
  expect: Expectation;
}

/** A case with its identity in a run. */
export interface LoadedCase extends CorpusCase {
  ids: CaseIds;
}

/** Type helper for case modules: checks a list of cases against {@link CorpusCase}. */
export const defineCases = (cases: CorpusCase[]): CorpusCase[] => cases;

export type { StandInIssue };
