import * as z from 'zod';
import { emailAddress } from './contact.ts';
import { jiraDate, jiraId } from './jiraVersionWebhook.ts';

/** Shortest and longest approval lead, milliseconds: 15 minutes..14 days. */
export const APPROVAL_LEAD_BOUNDS_MS = { min: 15 * 60_000, max: 14 * 86_400_000 } as const;

const LEAD = /^(?:(\d{1,2})d)?(?:(\d{1,3})h)?(?:(\d{1,5})m)?$/;

/** An approval lead spec (`24h`, `2d`, `90m`, `1d12h`) in ms, or undefined when it does not parse or is out of bounds. */
export const approvalLeadMs = (spec: string): number | undefined => {
  const match = LEAD.exec(spec.trim());
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined))
    return undefined;
  const ms =
    Number(match[1] ?? 0) * 86_400_000 + Number(match[2] ?? 0) * 3_600_000 + Number(match[3] ?? 0) * 60_000;
  return ms >= APPROVAL_LEAD_BOUNDS_MS.min && ms <= APPROVAL_LEAD_BOUNDS_MS.max ? ms : undefined;
};

/** What happens at the send time when no approver decided on the current draft. */
export const APPROVAL_TIMEOUT_ACTIONS = ['send', 'hold'] as const;

/**
 * Policy `approval`: a person between the draft and the send. Each point's drafts are composed
 * `lead` before the point is due and emailed to every approver with signed Approve and Hold
 * links. Absent: emails go out unreviewed (the behaviour before approval existed).
 */
export const approvalPolicy = z.object({
  /** Who reviews (1..20 distinct addresses); any one decision counts. */
  approvers: z
    .array(emailAddress)
    .min(1, 'approval needs at least one approver')
    .max(20, 'at most 20 approvers')
    .refine(
      (list) => new Set(list.map((a) => a.toLowerCase())).size === list.length,
      'approvers must be distinct',
    ),
  /** How long before the send time the review email goes out: `24h`, `2d`, `90m`; 15 min..14 days. */
  lead: z
    .string()
    .refine(
      (v) => approvalLeadMs(v) !== undefined,
      'expected a lead such as 24h, 2d or 90m, between 15m and 14d',
    ),
  /** No decision by the send time: `send` the draft anyway or `hold` it (nothing sent). Default `hold`. */
  onTimeout: z.enum(APPROVAL_TIMEOUT_ACTIONS).default('hold'),
});

/** A project's approval settings. */
export type ApprovalPolicy = z.output<typeof approvalPolicy>;

/**
 * States of a point's approval record. `pending_approval`: drafts written, review email sent, no
 * decision yet; `approved` / `held`: an approver (link or CLI) decided on the record's content hash.
 */
export const APPROVAL_STATES = ['pending_approval', 'approved', 'held'] as const;

/** One of {@link APPROVAL_STATES}. */
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** A decision an approver can make. */
export const APPROVAL_DECISIONS = ['approve', 'hold'] as const;

/** One of {@link APPROVAL_DECISIONS}. */
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/**
 * What happened at the send time, recorded once (the first compose job of the point at its send
 * time settles it; every later chunk and zone follows it): `sent` (approved), `held` (held),
 * `timeout_sent` / `timeout_held` (no decision: the policy's `onTimeout`).
 */
export const APPROVAL_SETTLEMENTS = ['sent', 'held', 'timeout_sent', 'timeout_held'] as const;

/** One recorded decision. */
export const approvalDecisionRecord = z.object({
  decision: z.enum(APPROVAL_DECISIONS),
  /** The approver's address (link) or the operator's name (CLI). */
  by: z.string().min(1),
  via: z.enum(['link', 'cli']),
  /** ISO 8601 UTC. */
  at: z.iso.datetime(),
  /** The content hash decided on. */
  contentHash: z.string().min(1),
  revision: z.number().int().min(1),
});

/** A recorded approval decision. */
export type ApprovalDecisionRecord = z.output<typeof approvalDecisionRecord>;

/** A draft group of the point: one audience × locale and how many contacts it has. */
export const approvalGroup = z.object({
  audience: z.string().min(1),
  locale: z.string().min(1),
  recipients: z.number().int().min(0),
});

/**
 * The approval record of one release point (ledger key {@link approvalKey}): the current draft
 * revision, its content hash, the state, and every decision made. A new revision (the release
 * changed, or an operator edited a draft) replaces the content hash and resets the state to
 * `pending_approval`: decisions on an older hash no longer apply.
 */
export const approvalRecord = z.object({
  approvalKey: z.string().min(1),
  versionId: jiraId,
  projectKey: z.string().min(1),
  pointId: z.string().min(1),
  releaseDate: jiraDate.optional(),
  /** 1 for the first drafts; +1 for each change. */
  revision: z.number().int().min(1),
  /** SHA-256 (hex) over the revision's drafts (see `draftContentHash`). Links are bound to it. */
  contentHash: z.string().min(1),
  /** SHA-256 (hex) over what the drafts were written from (release fields, in-scope issues per audience). */
  inputHash: z.string().min(1),
  /** Ledger keys of the revision's drafts, one per audience × locale. */
  draftKeys: z.array(z.string().min(1)),
  groups: z.array(approvalGroup),
  state: z.enum(APPROVAL_STATES),
  /** The earliest send time of the point, ISO 8601 UTC: links expire then. */
  dueAt: z.iso.datetime(),
  /** Why this revision exists: issues added/removed since the previous one, or an edit. */
  changes: z
    .object({
      added: z.array(z.string()),
      removed: z.array(z.string()),
      editedBy: z.string().optional(),
    })
    .optional(),
  decisions: z.array(approvalDecisionRecord),
  /** Set once at the send time; no decision is accepted after it. */
  settled: z
    .object({ outcome: z.enum(APPROVAL_SETTLEMENTS), at: z.iso.datetime(), revision: z.number().int() })
    .optional(),
  updatedAt: z.iso.datetime(),
  /**
   * Set on a revision written at or after the point's send time (the release changed after the
   * review): the send waits for a decision on it until then, and its links expire then.
   */
  waitUntil: z.iso.datetime().optional(),
  /** Every issue key in scope of the revision (over its audiences), sorted: the next revision's `changes` compare with it. */
  inScopeKeys: z.array(z.string()).optional(),
  /** The version's name when the revision was written (for pages and reports; else the id). */
  versionName: z.string().optional(),
  /** The Jira project's name when the revision was written (else the key). */
  projectName: z.string().optional(),
  /**
   * Set on a revision written while the previous one was held (the release changed, or an
   * operator edited a draft): the revision starts `held`, and only an Approve of it sends it,
   * whatever `onTimeout` says. Names the hold it carries (revision, who, when).
   */
  heldFrom: z
    .object({ revision: z.number().int().min(1), by: z.string().min(1), at: z.iso.datetime() })
    .optional(),
});

/** A point's approval record. */
export type ApprovalRecord = z.output<typeof approvalRecord>;

/** Ledger key of a point's approval record: `approval:<versionId>:<pointId>@<releaseDate|none>`. */
export const approvalKey = (p: {
  versionId: string;
  pointId: string;
  releaseDate?: string | undefined;
}): string => `approval:${p.versionId}:${p.pointId}@${p.releaseDate ?? 'none'}`;

/** What an Approve or Hold link is bound to (sealed into its token). */
export interface ApprovalLinkClaims {
  approvalKey: string;
  contentHash: string;
  /** Normalised approver address. */
  approver: string;
  decision: ApprovalDecision;
  /** When the link stops working (the send time), epoch ms. */
  expiresAt: number;
}
