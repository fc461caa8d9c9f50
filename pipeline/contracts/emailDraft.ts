import * as z from 'zod';

/** A Jira issue key such as `ABC-123`. */
export const issueKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}-\d{1,9}$/, 'not a Jira issue key');

/**
 * What the LLM must return: structured content, never HTML. Every item cites the issue keys it
 * talks about; compose checks each cited key belongs to the release.
 */
export const llmEmail = z.object({
  subject: z.string().min(1).max(150),
  preheader: z.string().max(200),
  intro: z.string().max(2000),
  sections: z
    .array(
      z.object({
        heading: z.string().min(1).max(150),
        items: z
          .array(z.object({ text: z.string().min(1).max(1000), issueKeys: z.array(issueKey).min(1) }))
          .max(100),
      }),
    )
    .max(10),
  outro: z.string().max(1000),
});

/** The LLM's structured email. */
export type LlmEmail = z.output<typeof llmEmail>;

/** Per-recipient placeholders in a draft's html and text; the send stage fills them in. */
export const DRAFT_PLACEHOLDERS = {
  /** The recipient's display name, or a neutral greeting word when there is none. */
  name: '{{recipient_name}}',
  /** The recipient's one-click unsubscribe URL. */
  unsubscribeUrl: '{{unsubscribe_url}}',
} as const;

/** How the draft was written: by the model, from the template, or edited by an operator (`herald drafts edit`). */
export const DRAFT_SOURCES = ['llm', 'template', 'edited'] as const;

/**
 * What the grounding verifier concluded about a draft: every item `supported`; `items_removed`
 * (unsupported items dropped, the rest passed); `rejected` (the answer was retried or replaced
 * by the template); `unavailable` (the call failed: the deterministic checks alone decided).
 */
export const VERIFIER_OUTCOMES = ['supported', 'items_removed', 'rejected', 'unavailable'] as const;

/** A composed email for one release point and locale, cached in the ledger. */
export const emailDraft = z.object({
  key: z.string().min(1),
  source: z.enum(DRAFT_SOURCES),
  /** The model that wrote it, when `source` is `llm`. */
  model: z.string().optional(),
  locale: z.string(),
  subject: z.string(),
  /**
   * Rendered HTML body (escaped template output). The only per-recipient parts are the
   * placeholders {@link DRAFT_PLACEHOLDERS}, which send replaces (HTML-escaped) per recipient.
   */
  html: z.string(),
  /** Plain-text body, with the same placeholders. */
  text: z.string(),
  /** Issue keys the email cites. */
  issueKeys: z.array(z.string()),
  createdAt: z.iso.datetime(),
  /**
   * Which in-scope issues the email mentions (cites in an item): the scope's size, the keys
   * mentioned and the keys left out. Absent on drafts stored before coverage was recorded.
   */
  coverage: z
    .object({
      inScope: z.number().int().min(0),
      mentioned: z.array(z.string()),
      missing: z.array(z.string()),
    })
    .optional(),
  /** Items the grounding verifier found unsupported and removed, with its reason. */
  removedItems: z
    .array(z.object({ text: z.string(), issueKeys: z.array(z.string()), reason: z.string() }))
    .optional(),
  /** What the grounding verifier (a second model call, policy `verifyGrounding`) concluded. */
  verifier: z.object({ outcome: z.enum(VERIFIER_OUTCOMES), model: z.string().optional() }).optional(),
  /**
   * Display name of the From header (the policy's `sender.fromName`, default the project name +
   * " releases"). Decided at compose and kept on the draft, like the footer in the bodies, so a
   * draft is self-contained: a reviewer sees exactly who the email comes from and where replies
   * go, and a policy change after compose cannot alter an email already approved or half sent.
   * Absent on drafts written before it existed: the bare sender address is used then.
   */
  fromName: z.string().max(100).optional(),
  /** Reply-To address (the policy's `sender.replyTo`); absent: replies go to the From address. */
  replyTo: z.string().max(254).optional(),
  /**
   * The structured email the bodies were rendered from (the model's, the template's or an
   * operator's edit), so a draft can be edited and rendered again (`herald drafts edit`).
   * Absent on drafts stored before it existed and on review emails.
   */
  content: llmEmail.optional(),
  /**
   * What writing the draft cost in model calls and tokens (the writer's answers, its retry and
   * the grounding verifier together); `herald report` prices it. Zero calls for a template draft
   * written without a model; absent on drafts stored before usage was recorded.
   */
  usage: z
    .object({
      llmCalls: z.number().int().min(0),
      promptTokens: z.number().int().min(0),
      completionTokens: z.number().int().min(0),
    })
    .optional(),
});

/** A composed email draft. */
export type EmailDraft = z.output<typeof emailDraft>;
