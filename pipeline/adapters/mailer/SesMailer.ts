import { type MessageTag, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SpanKind } from '@opentelemetry/api';
import { httpStatusOf, isRetryable } from '#retry/isRetryable';
import { sesTagText } from '#contracts/sendTag';
import { awsClientDefaults } from '#shared/awsClientDefaults';
import { RetryableError } from '#shared/errors';
import { withSpan } from '#shared/tracing';
import { buildRawEmail } from './buildRawEmail.ts';
import { SesRejectedError, type SesRejectionScope } from './errors.ts';
import type { MailerPort, OutgoingEmail } from './MailerPort.ts';
import { SesAmbiguousError } from './SesAmbiguousError.ts';

/** Options of {@link SesMailer}. */
export interface SesMailerOptions {
  /**
   * SES v2 client. Default `new SESv2Client({ ...awsClientDefaults(), maxAttempts: 1 })`: a 10 s
   * request timeout (3 s to connect) and no SDK retries (see the constructor).
   */
  client?: SESv2Client;
  /** Configuration set for delivery, bounce and complaint events. Default none. */
  configurationSet?: string;
}

/**
 * SES v2 SendEmail errors that say SES refused the request for its rate: the email was certainly
 * not accepted, so it can be sent again. LimitExceededException counts only when its message is
 * about a rate or quota (see {@link RATE_LIMIT_MESSAGE}).
 */
const THROTTLED: ReadonlySet<string> = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
]);

/** A LimitExceededException about sending rate or daily quota, which waiting fixes. */
const RATE_LIMIT_MESSAGE = /rate|quota|throttl|too many requests/i;

/**
 * Socket and DNS error codes raised before a connection exists, so before any byte of the request
 * was sent: SES certainly did not get the email. Every other network error (a reset, a timeout, a
 * broken pipe) may come after SES read the request, and is ambiguous.
 */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Most causes followed when looking for a network code. */
const MAX_CAUSE_DEPTH = 5;

const networkCodeOf = (err: unknown, depth = 0): string | undefined => {
  if (typeof err !== 'object' || err === null || depth > MAX_CAUSE_DEPTH) return undefined;
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return code;
  return networkCodeOf(cause, depth + 1);
};

/**
 * SES v2 SendEmail errors that retrying will not fix, with the reason they carry to the DLQ.
 * SendingPausedException is here, not with the retryable ones: sending is paused by AWS during a
 * reputation review or by an operator on purpose, and either lasts longer than the retry ladder;
 * the DLQ keeps the emails for a redrive once sending is enabled again.
 */
const PERMANENT: Readonly<Record<string, { reason: string; scope: SesRejectionScope }>> = {
  MessageRejected: { reason: 'ses_rejected', scope: 'message' },
  BadRequestException: { reason: 'ses_bad_request', scope: 'message' },
  MailFromDomainNotVerifiedException: { reason: 'ses_mail_from_not_verified', scope: 'account' },
  AccountSuspendedException: { reason: 'ses_account_suspended', scope: 'account' },
  SendingPausedException: { reason: 'ses_sending_paused', scope: 'account' },
  NotFoundException: { reason: 'ses_not_found', scope: 'account' },
};

/**
 * MessageRejected is usually about the email, but SES (and moto) also use it for an unverified
 * From identity, and in the sandbox for an unverified recipient: both are the account's setup,
 * and marking every email rejected for good would lose them once the setup is fixed.
 */
const UNVERIFIED_IDENTITY = /not verified|authority to send/i;
const UNVERIFIED = { reason: 'ses_identity_not_verified', scope: 'account' } as const;

/** The email's tags as SES message tags; a tag whose name or value is empty is dropped. */
const emailTagsOf = (tags: Record<string, string>): MessageTag[] =>
  Object.entries(tags)
    .map(([name, value]) => ({ Name: sesTagText(name), Value: sesTagText(value) }))
    .filter((tag) => tag.Name !== '' && tag.Value !== '');

/**
 * Translates a SendEmail error:
 * - a refusal → {@link SesRejectedError} (permanent);
 * - throttled (429, TooManyRequests, a rate/quota LimitExceeded) or no connection made →
 *   RetryableError: SES certainly did not accept the email;
 * - a LimitExceededException about anything else → SesRejectedError of the account;
 * - anything else another attempt might fix (5xx `$fault: 'server'`, timeouts, a dropped
 *   connection) → {@link SesAmbiguousError}: SES may have accepted it;
 * - unknown errors are returned as they are.
 */
const translate = (err: unknown): unknown => {
  const name = err instanceof Error ? err.name : '';
  const detail = err instanceof Error ? err.message : String(err);
  const permanent =
    name === 'MessageRejected' && UNVERIFIED_IDENTITY.test(detail) ? UNVERIFIED : PERMANENT[name];
  if (permanent) {
    return new SesRejectedError(
      permanent.reason,
      name,
      permanent.scope,
      `SES refused the email (${name}): ${detail}`,
      {
        cause: err,
      },
    );
  }
  const meta = err as { $retryable?: { throttling?: boolean } } | undefined;
  if (
    THROTTLED.has(name) ||
    (name === 'LimitExceededException' && RATE_LIMIT_MESSAGE.test(detail)) ||
    httpStatusOf(err) === 429 ||
    meta?.$retryable?.throttling === true
  ) {
    return new RetryableError(`SES throttled SendEmail (${name}): ${detail}`, { cause: err });
  }
  if (name === 'LimitExceededException') {
    return new SesRejectedError(
      'ses_limit_exceeded',
      name,
      'account',
      `SES refused the email (${name}): ${detail}`,
      {
        cause: err,
      },
    );
  }
  const notConnected = networkCodeOf(err);
  if (notConnected !== undefined) {
    return new RetryableError(`SES SendEmail could not connect (${notConnected}): ${detail}`, { cause: err });
  }
  if (isRetryable(err)) {
    return new SesAmbiguousError(
      name || 'Error',
      `SES SendEmail failed with an unknown outcome (${name || 'error'}): ${detail}`,
      { cause: err },
    );
  }
  return err;
};

/**
 * {@link MailerPort} over SES v2: builds the MIME message with {@link buildRawEmail} and sends it
 * as `Content.Raw`, so what SES delivers is exactly what tests read back. Errors say whether SES
 * took the email: throttling and failed connections are {@link RetryableError} (it did not);
 * refusals are {@link SesRejectedError} (a PermanentError carrying the SES error name and whether
 * it concerns the email or the account); 5xx answers, timeouts and dropped connections are
 * {@link SesAmbiguousError} (it may have).
 */
export class SesMailer implements MailerPort {
  readonly #client: SESv2Client;
  readonly #configurationSet: string | undefined;

  constructor(options: SesMailerOptions = {}) {
    // maxAttempts 1: the SDK retries timeouts, dropped connections and 5xx answers on its own,
    // and each of those may come after SES accepted the email, so one send() could reach SES
    // twice. Retries belong to the send ledger and the retry ladder, which know about claims.
    // The request timeout bounds a hung call well inside the send lease and the function timeout
    // (a timeout is ambiguous too: SesAmbiguousError).
    this.#client = options.client ?? new SESv2Client({ ...awsClientDefaults(), maxAttempts: 1 });
    this.#configurationSet = options.configurationSet;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string | undefined }> {
    const raw = await buildRawEmail(email);
    return withSpan(
      'SESv2.SendEmail',
      async () => {
        try {
          const output = await this.#client.send(
            new SendEmailCommand({
              FromEmailAddress: email.from,
              Destination: { ToAddresses: [email.to] },
              Content: { Raw: { Data: raw } },
              ConfigurationSetName: this.#configurationSet,
              EmailTags: emailTagsOf(email.tags),
            }),
          );
          // SES answered 200: the email is on its way, with or without an id (see MailerPort).
          return { messageId: output.MessageId || undefined };
        } catch (err) {
          throw translate(err);
        }
      },
      {
        kind: SpanKind.CLIENT,
        attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'SESv2', 'rpc.method': 'SendEmail' },
      },
    );
  }
}
