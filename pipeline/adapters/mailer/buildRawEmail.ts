import MailComposer from 'nodemailer/lib/mail-composer';
import { InvalidEmailError } from './errors.ts';
import type { OutgoingEmail } from './MailerPort.ts';

/** Options of {@link buildRawEmail}. */
export interface BuildRawEmailOptions {
  /** Date header. Default now. */
  date?: Date;
  /** Message-ID header, `<id@domain>`. Default one generated from the From domain (SES replaces it). */
  messageId?: string;
}

/** Headers the composer writes itself from the email's fields; an extra header may not replace them. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** RFC 5322 field name: printable US-ASCII except the colon. */
const HEADER_NAME = /^[!-9;-~]+$/;
/** A value that can be written as is: printable US-ASCII and spaces. */
const PLAIN_VALUE = /^[ -~]*$/;
/** RFC 5322 line limit, characters without CRLF. */
const MAX_LINE = 998;
const LINE_BREAK = /[\r\n]/;

type ComposerHeaders = Record<string, string | { prepared: true; value: string }>;

const headersOf = (headers: Record<string, string>): ComposerHeaders => {
  const out: ComposerHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new InvalidEmailError(`header name "${name}" is not a valid field name`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new InvalidEmailError(`header ${name} is written from the email's own fields and cannot be set`);
    }
    if (LINE_BREAK.test(value)) throw new InvalidEmailError(`header ${name} contains a line break`);
    // ASCII values go out exactly as given: the composer would otherwise fold a long
    // List-Unsubscribe `<url>` onto a continuation line, which some receivers parse badly.
    out[name] =
      PLAIN_VALUE.test(value) && name.length + 2 + value.length <= MAX_LINE
        ? { prepared: true, value }
        : value;
  }
  return out;
};

/**
 * Builds the MIME message of one email as SES sends it Raw: From (with its display name when
 * given), Reply-To when given, To, Subject (display name and subject RFC 2047 encoded when not
 * ASCII), the extra headers (List-Unsubscribe, List-Unsubscribe-Post, X-...), and a
 * `multipart/alternative` body with the text part first and the HTML part last, both UTF-8
 * quoted-printable, CRLF line ends. The local outbox writes the same bytes.
 * @throws InvalidEmailError for a line break in an address, the subject or a header, a bad or a
 *   reserved header name.
 */
export const buildRawEmail = async (
  email: OutgoingEmail,
  options: BuildRawEmailOptions = {},
): Promise<Buffer> => {
  for (const [field, value] of [
    ['from', email.from],
    ['to', email.to],
    ['subject', email.subject],
    ['from name', email.fromName ?? ''],
    ['reply-to', email.replyTo ?? ''],
  ] as const) {
    if (LINE_BREAK.test(value)) throw new InvalidEmailError(`${field} contains a line break`);
  }
  const composer = new MailComposer({
    // An address object, so the composer quotes the name and encodes it (RFC 2047) when not ASCII.
    from: email.fromName ? { name: email.fromName, address: email.from } : email.from,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: headersOf(email.headers),
    date: options.date,
    messageId: options.messageId,
    newline: 'win',
    // The composer must never read a file or fetch a URL named in the content.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
};
