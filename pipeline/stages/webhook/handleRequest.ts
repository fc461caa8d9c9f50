import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { EventBusPort } from '#adapters/events/EventBusPort';
import { normaliseEmail } from '#contracts/contact';
import { JIRA_EVENT_SOURCE } from '#contracts/eventBridgeJiraEvent';
import { openLegacyUnsubscribeLink } from '#shared/legacyUnsubscribeLink';
import { type Log, maskEmail } from '#shared/logger';
import type { SigningKeys } from '#shared/signingKeys';
import { currentTraceparent, EVENT_TRACEPARENT_FIELD, withSpan } from '#shared/tracing';
import { openUnsubscribeToken } from '#shared/unsubscribeToken';
import { topology } from '#topology/topology';
import { jsonDepth } from './jsonDepth.ts';
import { type ReviewDeps, reviewLink } from './reviewLink.ts';
import type { HttpRequest, HttpResponse } from './types.ts';
import { renderInvalidLink, renderUnsubscribeConfirmation, renderUnsubscribed } from './unsubscribePage.ts';
import { verifySignature } from './verifySignature.ts';

/** Header carrying Jira's signature (`sha256=<hex>`), lower-case. */
export const SIGNATURE_HEADER = 'x-hub-signature';

/** The opt-out reason recorded for the one-click unsubscribe link. */
export const UNSUBSCRIBE_REASON = 'unsubscribe_link';

/** EventBridge's limit on a detail-type, characters. */
const MAX_DETAIL_TYPE_LENGTH = 128;

/**
 * Deepest JSON nesting accepted in a webhook body. Jira's payloads nest a handful of levels (a
 * few dozen for rich-text issue events); far deeper bodies only serve to break a parser
 * downstream (the bus, a recursive consumer) and would otherwise answer 500 on every retry.
 */
export const MAX_WEBHOOK_JSON_DEPTH = 100;

/** What {@link handleRequest} needs (the review pages' {@link ReviewDeps} included). */
export interface WebhookDeps extends ReviewDeps {
  /** The herald bus. */
  bus: EventBusPort;
  /** The client directory (unsubscribe opt-outs). */
  directory: DirectoryPort;
  /** The webhook secret: keys Jira's signature only. Cached by the caller. */
  webhookSecret: () => Promise<string>;
  logger: Log;
  /** Clock; the event time put on the bus. */
  now: () => Date;
  /** Largest accepted webhook body, bytes. Default `topology.webhook.maxBodyBytes` (64 KiB). */
  maxBodyBytes?: number;
  /** Deepest accepted JSON nesting. Default {@link MAX_WEBHOOK_JSON_DEPTH}. */
  maxJsonDepth?: number;
  /** The signing keys that open unsubscribe tokens (their own secret, never the webhook's). Cached by the caller. */
  signingKeys: () => Promise<SigningKeys>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Unsubscribe URLs carry a token: never leak them through Referer.
  'referrer-policy': 'no-referrer',
} as const;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const html = (status: number, body: string): HttpResponse => ({
  status,
  headers: {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    // frame-ancestors does not fall back to default-src: the one-click confirmation pages must
    // not be framed (clickjacking).
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
  },
  body,
});

const reject = (logger: Log, status: number, reason: string): HttpResponse => {
  logger.warn({ reason, status }, 'webhook_rejected');
  return json(status, { error: reason });
};

/**
 * Routes: the webhook (POST `/` or `/webhook`), the unsubscribe link (GET/POST `/unsubscribe`)
 * and the Approve/Hold links of review emails (GET/POST `/review`).
 */
const ROUTES = {
  '/': ['POST'],
  '/webhook': ['POST'],
  '/unsubscribe': ['GET', 'POST'],
  '/review': ['GET', 'POST'],
} as const satisfies Record<string, readonly string[]>;

type Route = keyof typeof ROUTES;

const isRoute = (path: string): path is Route => Object.hasOwn(ROUTES, path);

/**
 * Accepts a Jira webhook: size cap, HMAC check (the only authentication of the function URL),
 * a JSON body of bounded depth with a `webhookEvent`, then one PutEvents on the bus. Every Jira
 * event is forwarded; the bus rule routes version events to ingest and ingest drops anything else.
 */
const acceptWebhook = async (req: HttpRequest, deps: WebhookDeps): Promise<HttpResponse> => {
  const { logger } = deps;
  const maxBodyBytes = deps.maxBodyBytes ?? topology.webhook.maxBodyBytes;
  if (req.body.length > maxBodyBytes) return reject(logger, 413, 'body_too_large');

  const signature = req.headers[SIGNATURE_HEADER];
  if (!signature) return reject(logger, 401, 'missing_signature');
  if (!verifySignature(await deps.webhookSecret(), req.body, signature)) {
    return reject(logger, 401, 'bad_signature');
  }

  const text = req.body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reject(logger, 400, 'body_not_json');
  }
  if (jsonDepth(text) > (deps.maxJsonDepth ?? MAX_WEBHOOK_JSON_DEPTH)) {
    return reject(logger, 400, 'body_too_deep');
  }
  const webhookEvent =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).webhookEvent
      : undefined;
  if (typeof webhookEvent !== 'string' || webhookEvent.length === 0) {
    return reject(logger, 400, 'missing_webhook_event');
  }
  if (webhookEvent.length > MAX_DETAIL_TYPE_LENGTH) return reject(logger, 400, 'webhook_event_too_long');

  await withSpan('eventbridge.put_events', () => {
    // Ingest continues this trace (the one hop without an envelope); without a tracer, verbatim.
    const traceparent = currentTraceparent();
    const detail = traceparent
      ? JSON.stringify({ ...(parsed as object), [EVENT_TRACEPARENT_FIELD]: traceparent })
      : text;
    return deps.bus.put([
      { source: JIRA_EVENT_SOURCE, detailType: webhookEvent, detail, time: deps.now().getTime() },
    ]);
  });
  logger.info({ webhookEvent, bytes: req.body.length }, 'webhook_accepted');
  return json(202, { accepted: true });
};

/**
 * The one-click unsubscribe link (RFC 8058): GET shows a confirmation form, POST opts the
 * address out everywhere. The opaque token (project and address sealed under a signing key, see
 * `unsubscribeToken`) authenticates both and is all the link carries; any accepted key opens it.
 * Links of emails sent before the opaque tokens (`p`, `e` and a MAC under the webhook secret)
 * still open ({@link openLegacyUnsubscribeLink}).
 * The POST body is not required to be `List-Unsubscribe=One-Click`.
 */
const unsubscribe = async (req: HttpRequest, url: URL, deps: WebhookDeps): Promise<HttpResponse> => {
  const { logger } = deps;
  const token = url.searchParams.get('t') ?? '';
  const subject =
    token === ''
      ? undefined
      : (openUnsubscribeToken(await deps.signingKeys(), token) ??
        openLegacyUnsubscribeLink(await deps.webhookSecret(), url.searchParams));
  if (subject === undefined) {
    logger.warn({ reason: 'bad_unsubscribe_token', method: req.method }, 'webhook_rejected');
    return html(403, renderInvalidLink());
  }

  const { projectKey, email } = subject;
  if (req.method === 'GET') {
    return html(
      200,
      renderUnsubscribeConfirmation({ projectKey, email, action: `${url.pathname}${url.search}` }),
    );
  }

  const address = normaliseEmail(email);
  await withSpan('directory.opt_out', () => deps.directory.optOut(address, UNSUBSCRIBE_REASON));
  logger.info({ projectKey, email: maskEmail(address), reason: UNSUBSCRIBE_REASON }, 'contact_opted_out');
  return html(200, renderUnsubscribed(address));
};

/** The Approve/Hold link pages ({@link reviewLink}); a refusal is logged with its reason. */
const review = async (req: HttpRequest, url: URL, deps: WebhookDeps): Promise<HttpResponse> => {
  const page = await reviewLink(req, url, deps);
  if (page.refused !== undefined) {
    deps.logger.warn(
      { reason: page.refused, method: req.method, status: page.status },
      'review_link_refused',
    );
  }
  return html(page.status, page.html);
};

/**
 * The webhook function's transport-free core, shared by the Lambda function URL handler and the
 * local HTTP server.
 *
 * - `POST /` or `/webhook`: 413 over the body cap, 401 on a missing or bad signature, 400 when
 *   the body is not JSON with a `webhookEvent` string or nests deeper than
 *   {@link MAX_WEBHOOK_JSON_DEPTH}, else one bus event and 202 `{accepted:true}`.
 * - `GET /unsubscribe?t=<token>`: a confirmation page; `POST` (one click): opt-out and 200;
 *   403 when the token does not verify.
 * - `GET /review?t=<token>`: what an Approve/Hold link will decide, with a form; `POST /review`
 *   (form field `t`) decides it; every refused link gets its own page and 4xx ({@link reviewLink}).
 * - Other paths 404, other methods 405. A failing dependency answers 500 (Jira retries 5xx).
 *
 * Never logs a body, a signature or an address in clear.
 */
export const handleRequest = async (req: HttpRequest, deps: WebhookDeps): Promise<HttpResponse> => {
  const url = new URL(req.path, 'http://localhost');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const method = req.method.toUpperCase();
  if (!isRoute(path)) return json(404, { error: 'not_found' });
  const allowed: readonly string[] = ROUTES[path];
  if (!allowed.includes(method)) {
    return json(405, { error: 'method_not_allowed' }, { allow: allowed.join(', ') });
  }

  try {
    if (path === '/unsubscribe') return await unsubscribe({ ...req, method }, url, deps);
    if (path === '/review') return await review({ ...req, method }, url, deps);
    return await acceptWebhook(req, deps);
  } catch (err) {
    deps.logger.error({ err, path }, 'request_failed');
    return json(500, { error: 'internal_error' });
  }
};
