import { type MessageTag, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SpanKind } from '@opentelemetry/api';
import { PermanentError, RetryableError } from '#shared/errors';
import { withSpan } from '#shared/tracing';
import { buildRawEmail } from './buildRawEmail.ts';
import { SesRejectedError, type SesRejectionScope } from './errors.ts';
import type { MailerPort, OutgoingEmail } from './MailerPort.ts';

/** Options of {@link SesMailer}. */
export interface SesMailerOptions {
  /** SES v2 client. Default `new SESv2Client({})`. */
  client?: SESv2Client;
  /** Configuration set for delivery, bounce and complaint events. Default none. */
  configurationSet?: string;
}

/** SES's limit on a message tag's name and value, characters. */
const MAX_TAG_LENGTH = 256;

/**
 * SES v2 SendEmail errors a later attempt may not hit: request throttling, the account's sending
 * rate or daily quota (LimitExceededException), and SES's own faults.
 */
const RETRYABLE: ReadonlySet<string> = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'InternalServiceErrorException',
  'ServiceUnavailable',
]);

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

/** A tag name or value as SES accepts it: [A-Za-z0-9_-], at most 256 characters. */
const sanitiseTag = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, MAX_TAG_LENGTH);

/** The email's tags as SES message tags; a tag whose name or value is empty is dropped. */
const emailTagsOf = (tags: Record<string, string>): MessageTag[] =>
  Object.entries(tags)
    .map(([name, value]) => ({ Name: sanitiseTag(name), Value: sanitiseTag(value) }))
    .filter((tag) => tag.Name !== '' && tag.Value !== '');

/** Translates a SendEmail error; unknown errors are returned as they are. */
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
  const meta = err as { $fault?: unknown; $retryable?: unknown } | undefined;
  if (RETRYABLE.has(name) || meta?.$fault === 'server' || meta?.$retryable) {
    return new RetryableError(`SES SendEmail failed (${name || 'server error'}): ${detail}`, { cause: err });
  }
  return err;
};

/**
 * {@link MailerPort} over SES v2: builds the MIME message with {@link buildRawEmail} and sends it
 * as `Content.Raw`, so what SES delivers is exactly what tests read back. Throttling and quota
 * errors are {@link RetryableError}; refusals are {@link SesRejectedError} (a PermanentError
 * carrying the SES error name and whether it concerns the email or the account).
 */
export class SesMailer implements MailerPort {
  readonly #client: SESv2Client;
  readonly #configurationSet: string | undefined;

  constructor(options: SesMailerOptions = {}) {
    this.#client = options.client ?? new SESv2Client({});
    this.#configurationSet = options.configurationSet;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const raw = await buildRawEmail(email);
    return withSpan(
      'SESv2.SendEmail',
      async () => {
        let messageId: string | undefined;
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
          messageId = output.MessageId;
        } catch (err) {
          throw translate(err);
        }
        // Permanent on purpose: SES answered 200, so the email is on its way; a retry would send
        // it twice.
        if (!messageId) {
          throw new PermanentError('ses_no_message_id', 'SES accepted the email but returned no MessageId');
        }
        return { messageId };
      },
      {
        kind: SpanKind.CLIENT,
        attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'SESv2', 'rpc.method': 'SendEmail' },
      },
    );
  }
}
