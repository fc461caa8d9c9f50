import * as z from 'zod';
import { approvalPolicy } from './approval.ts';
import { emailAddress } from './contact.ts';
import { linkTemplate, REFERENCE_MODES, senderIdentity } from './emailPresentation.ts';
import { ContractError } from './errors.ts';
import { audience, customFieldId, jqlCondition } from './issueScope.ts';
import { locale, timeZone } from './timeZone.ts';

/** Id of the optional point sent when the version is marked released. */
export const ON_RELEASE_POINT_ID = 'onrelease';

/**
 * One send point relative to the release date: the local instant is the release date at `at`
 * (local time, default 00:00) shifted by `days`, `hours` and `minutes` (negative = before).
 */
export const sendPoint = z.object({
  /** Stable id derived from the spec (see {@link pointIdOf}); part of schedule names and ledger keys. */
  id: z.string().regex(/^[a-z0-9]{1,24}$/, 'point id must be 1-24 characters of a-z0-9'),
  /** Day offset from the release date, -366..366. */
  days: z.number().int().min(-366).max(366),
  /** Hour offset, -48..48. */
  hours: z.number().int().min(-48).max(48).default(0),
  /** Minute offset, -1440..1440. */
  minutes: z.number().int().min(-1440).max(1440).default(0),
  /** Local wall-clock time `HH:mm` on the shifted day. Default `00:00`. */
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time as HH:mm')
    .default('00:00'),
});

/** A send point. */
export type SendPoint = z.output<typeof sendPoint>;

/** A project's send policy, stored in the client directory. */
export const sendPolicy = z
  .object({
    /** Points before/on the release date. */
    points: z.array(sendPoint).max(20, 'at most 20 send points per project'),
    /** Also send an email when the version is marked released. */
    onRelease: z.boolean().default(false),
    /** Time zone for contacts that have none. */
    timeZone: timeZone.default('UTC'),
    /** Locale for contacts that have none. */
    defaultLocale: locale.default('en'),
    /**
     * Least share of in-scope issues a draft must mention, 0..1. Below it compose retries once
     * naming the missing issues, then uses the template. Default 0.8 for releases of up to 30
     * issues and none above (a model may summarise a big release).
     */
    minCoverage: z.number().min(0).max(1).optional(),
    /**
     * Check each item of a model-written draft with a second model call (the grounding verifier):
     * unsupported items are removed. At most one extra call per draft; needs the LLM. Default false.
     */
    verifyGrounding: z.boolean().optional(),
    /**
     * JQL condition ANDed with `fixVersion = <id>`: the issues any email may mention. Default
     * (absent) {@link DEFAULT_ISSUE_SCOPE}: no security level, not labelled internal/no-release-notes.
     */
    scope: jqlCondition.optional(),
    /**
     * Audiences with their own extra scope and writer instructions; a contact names one (default
     * `all`, the project scope as is). At most 20, names unique. Default none.
     */
    audiences: z
      .array(audience)
      .max(20, 'at most 20 audiences per project')
      .refine(
        (list) => new Set(list.map((a) => a.name)).size === list.length,
        'audience names must be unique',
      )
      .optional(),
    /** Custom field holding a customer-facing release note (`customfield_10123`); the writer's primary source. */
    releaseNoteField: customFieldId.optional(),
    /** What client emails show of issue keys (see {@link REFERENCE_MODES}). Default `none`. */
    references: z.enum(REFERENCE_MODES).default('none'),
    /** Link of each key when `references` is `links`: https, with `{key}`. */
    linkTemplate: linkTemplate.optional(),
    /** From display name, Reply-To and footer line of client emails. Default `{}` (see {@link senderIdentity}). */
    sender: senderIdentity.default({}),
    /**
     * How late a point may still go out, as a duration (`6h`, `90m`, `1h30m`), 5 min..48 h. Past
     * its deadline (due time + this, and for a point due on the release day never after that local
     * day ends) a point is recorded `missed` and not sent. Default {@link DEFAULT_MAX_LATENESS} (6 h).
     */
    maxLateness: z
      .string()
      .refine(
        (v) => durationMsOrUndefined(v) !== undefined,
        'expected a duration such as 6h, 90m or 1h30m, 5m..48h',
      )
      .optional(),
    /**
     * A point already due when the release is planned (created or moved late, or the schedule
     * stage delayed): `now` sends it at once while within its deadline (recorded `caught_up`),
     * `skip` records it `missed`. Default `now`.
     */
    catchUp: z.enum(['now', 'skip']).optional(),
    /**
     * Review before send: each point's drafts are composed `lead` before it is due and emailed to
     * the approvers with signed Approve and Hold links (see {@link approvalPolicy}). Default none:
     * emails go out unreviewed.
     */
    approval: approvalPolicy.optional(),
    /**
     * The release owners: after each point's sends settle, one summary email (figures, bounces,
     * complaints, what needs a person) goes to these addresses, never to a client. At most 10.
     * Default none (no summary).
     */
    notify: z.array(emailAddress).max(10, 'at most 10 notify addresses').optional(),
  })
  .superRefine((policy, ctx) => {
    if (policy.references === 'links' && policy.linkTemplate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['linkTemplate'],
        message: 'references "links" needs a linkTemplate such as https://status.example.com/changes/{key}',
      });
    }
  });

/** A project's send policy. */
export type SendPolicy = z.output<typeof sendPolicy>;

/** A send policy as written, before defaults (what `putPolicy` accepts). */
export type SendPolicyInput = z.input<typeof sendPolicy>;

const SPEC = /^([+-]?)(?:(\d{1,3})d)?(?:(\d{1,2})h)?(?:(\d{1,4})m)?(?:@(\d{2}:\d{2}))?$/;

/** Canonical id of a point: `b7d0h0m0900` is 7 days before at 09:00, `a0d2h0m0000` 2 hours after. */
export const pointIdOf = (point: Pick<SendPoint, 'days' | 'hours' | 'minutes' | 'at'>): string => {
  const sign = point.days < 0 || point.hours < 0 || point.minutes < 0 ? 'b' : 'a';
  const abs = (n: number) => Math.abs(n);
  return `${sign}${abs(point.days)}d${abs(point.hours)}h${abs(point.minutes)}m${point.at.replace(':', '')}`;
};

/** {@link sendPoint} without its derived id, built on first use. */
let pointSpecSchema: z.ZodType<Omit<SendPoint, 'id'>> | undefined;

/**
 * Parses one point spec such as `-7d@09:00`, `0d@09:00`, `-2h`, `-1d12h@08:30`.
 * @throws ContractError naming the spec when it does not match.
 */
export const parsePointSpec = (spec: string): SendPoint => {
  pointSpecSchema ??= sendPoint.omit({ id: true });
  const match = SPEC.exec(spec.trim());
  if (!match || (match[2] === undefined && match[3] === undefined && match[4] === undefined)) {
    throw new ContractError('send point', [
      `"${spec}" is not a point; expected [-]<days>d[<hours>h][<minutes>m][@HH:mm], e.g. -7d@09:00`,
    ]);
  }
  const sign = match[1] === '-' ? -1 : 1;
  const raw = {
    days: sign * Number(match[2] ?? 0) || 0,
    hours: sign * Number(match[3] ?? 0) || 0,
    minutes: sign * Number(match[4] ?? 0) || 0,
    at: match[5] ?? '00:00',
  };
  // A handful of specs per process (the default policy's at import): zod's compiled fast path
  // would cost more to build than it saves. Same checks, same result.
  const parsed = pointSpecSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) {
    throw new ContractError(
      'send point',
      parsed.error.issues.map((i) => `"${spec}": ${i.path.join('.')}: ${i.message}`),
    );
  }
  return { ...parsed.data, id: pointIdOf(parsed.data) };
};

/** Parses a comma-separated list of point specs (`-7d@09:00,-1d@09:00,0d@09:00`). */
export const parsePointSpecs = (specs: string): SendPoint[] =>
  specs
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(parsePointSpec);

/** Formats a point back to its spec (`-7d@09:00`). */
export const formatPointSpec = (point: SendPoint): string => {
  const negative = point.days < 0 || point.hours < 0 || point.minutes < 0;
  const parts = [
    point.days !== 0 || (point.hours === 0 && point.minutes === 0) ? `${Math.abs(point.days)}d` : '',
    point.hours !== 0 ? `${Math.abs(point.hours)}h` : '',
    point.minutes !== 0 ? `${Math.abs(point.minutes)}m` : '',
  ].join('');
  return `${negative ? '-' : ''}${parts}@${point.at}`;
};

/** Default of {@link SendPolicy.maxLateness}. */
export const DEFAULT_MAX_LATENESS = '6h';

/** Bounds of {@link SendPolicy.maxLateness}, milliseconds: 5 minutes..48 hours. */
export const MAX_LATENESS_BOUNDS_MS = { min: 5 * 60_000, max: 48 * 3_600_000 } as const;

const DURATION = /^(?:(\d{1,2})h)?(?:(\d{1,4})m)?$/;

/** A duration spec in ms when it parses and lies within {@link MAX_LATENESS_BOUNDS_MS}. */
const durationMsOrUndefined = (spec: string): number | undefined => {
  const match = DURATION.exec(spec.trim());
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  const ms = Number(match[1] ?? 0) * 3_600_000 + Number(match[2] ?? 0) * 60_000;
  return ms >= MAX_LATENESS_BOUNDS_MS.min && ms <= MAX_LATENESS_BOUNDS_MS.max ? ms : undefined;
};

/**
 * Parses a lateness duration (`6h`, `90m`, `1h30m`) to milliseconds.
 * @throws ContractError naming the spec when it does not parse or lies outside 5m..48h.
 */
export const parseDurationSpec = (spec: string): number => {
  const ms = durationMsOrUndefined(spec);
  if (ms === undefined) {
    throw new ContractError('send policy', [
      `"${spec}" is not a lateness; expected <hours>h[<minutes>m] or <minutes>m between 5m and 48h, e.g. 6h`,
    ]);
  }
  return ms;
};

/** Formats milliseconds as a duration spec (`6h`, `1h30m`, `45m`); whole minutes. */
export const formatDurationSpec = (ms: number): string => {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 || h === 0 ? `${m}m` : ''}`;
};

/** The policy's maximum lateness in milliseconds (its default when unset). */
export const maxLatenessMsOf = (policy: Pick<SendPolicy, 'maxLateness'>): number =>
  parseDurationSpec(policy.maxLateness ?? DEFAULT_MAX_LATENESS);

/** The policy used when a project has none: 7, 1 and 0 days before the release date at 09:00. */
export const DEFAULT_SEND_POLICY: SendPolicy = {
  points: parsePointSpecs('-7d@09:00,-1d@09:00,0d@09:00'),
  onRelease: false,
  timeZone: 'UTC',
  defaultLocale: 'en',
  references: 'none',
  sender: {},
};
