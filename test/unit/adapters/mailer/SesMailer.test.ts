import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRawEmail } from '#adapters/mailer/buildRawEmail';
import { InvalidEmailError, SesRejectedError } from '#adapters/mailer/errors';
import type { OutgoingEmail } from '#adapters/mailer/MailerPort';
import { SesAmbiguousError } from '#adapters/mailer/SesAmbiguousError';
import { SesMailer } from '#adapters/mailer/SesMailer';
import { isRetryable } from '#retry/isRetryable';
import { PermanentError, RetryableError } from '#shared/errors';
import { parseMime } from './parseMime.ts';

const ses = mockClient(SESv2Client);
const UNSUBSCRIBE =
  '<https://hooks.example.com/unsubscribe?p=ABC&e=jane%40example.org&t=c2lnbmF0dXJlLW9mLXRoZS11bnN1YnNjcmliZS1saW5rLXRoYXQtaXMtbG9uZw>';

const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: 'Release Herald <herald@example.com>',
  to: 'jane@example.org',
  subject: 'Größe 2.0 ✓ erscheint in 7 Tagen — alle Änderungen im Überblick für Ihr Team',
  html: '<p>Hallo Jürgen,</p><p>Version 2.0 ✓ kommt.</p>',
  text: 'Hallo Jürgen,\n\nVersion 2.0 ✓ kommt.',
  headers: {
    'List-Unsubscribe': UNSUBSCRIBE,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Herald-Release': '10001',
  },
  tags: { release: '10001', point: 'b7d0h0m0900', project: 'ABC' },
  ...overrides,
});

const mailer = (configurationSet?: string) =>
  new SesMailer({ client: new SESv2Client({ region: 'us-east-1' }), configurationSet });

/** The Raw Data of the n-th SendEmail (1-based). */
const sentRaw = (n = 1): Uint8Array => {
  const data = ses.commandCalls(SendEmailCommand)[n - 1]?.args[0].input.Content?.Raw?.Data;
  if (!data) throw new Error(`SendEmail #${n} carried no Raw data`);
  return data;
};

afterEach(() => {
  ses.reset();
});

describe('Function: SesMailer.send', () => {
  it('sends the email Raw to the one recipient and resolves to the SES message id', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    const result = await mailer('herald-events').send(email());

    // Assert
    expect(result).toEqual({ messageId: 'ses-message-1' });
    expect(ses).toReceiveCommandWith(SendEmailCommand, {
      FromEmailAddress: 'Release Herald <herald@example.com>',
      Destination: { ToAddresses: ['jane@example.org'] },
      ConfigurationSetName: 'herald-events',
      EmailTags: [
        { Name: 'release', Value: '10001' },
        { Name: 'point', Value: 'b7d0h0m0900' },
        { Name: 'project', Value: 'ABC' },
      ],
    });
  });

  it('writes From, To, a UTF-8 subject and the unsubscribe headers exactly', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    await mailer().send(email());

    // Assert
    const mime = parseMime(sentRaw());
    expect(mime.headers.get('from')).toBe('Release Herald <herald@example.com>');
    expect(mime.headers.get('to')).toBe('jane@example.org');
    expect(mime.headers.get('subject')).toBe(email().subject);
    expect(mime.rawHeaders.get('subject')).toMatch(/^=\?UTF-8\?[BQ]\?/);
    // One unfolded line each: a folded List-Unsubscribe is parsed badly by some receivers.
    expect(mime.headerLines).toContain(`List-Unsubscribe: ${UNSUBSCRIBE}`);
    expect(mime.headerLines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mime.rawHeaders.get('x-herald-release')).toBe('10001');
    expect(mime.headers.get('mime-version')).toBe('1.0');
  });

  it('carries both a text and an HTML part, text first, UTF-8, CRLF only', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    await mailer().send(email());

    // Assert
    const mime = parseMime(sentRaw());
    expect(mime.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(mime.parts.map((p) => [p.type, p.charset])).toEqual([
      ['text/plain', 'utf-8'],
      ['text/html', 'utf-8'],
    ]);
    expect(mime.parts[0]?.body).toBe('Hallo Jürgen,\r\n\r\nVersion 2.0 ✓ kommt.');
    expect(mime.parts[1]?.body).toBe('<p>Hallo Jürgen,</p><p>Version 2.0 ✓ kommt.</p>');
    expect(mime.crlfOnly).toBe(true);
    expect(mime.overlongLines).toBe(0);
  });

  it('sanitises tag names and values to what SES accepts and drops empty ones', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    await mailer().send(
      email({ tags: { 'release id': '10001/2.0', locale: 'de-DE', empty: '', long: 'x'.repeat(300) } }),
    );

    // Assert
    expect(ses).toReceiveCommandWith(SendEmailCommand, {
      EmailTags: [
        { Name: 'release_id', Value: '10001_2_0' },
        { Name: 'locale', Value: 'de-DE' },
        { Name: 'long', Value: 'x'.repeat(256) },
      ],
    });
  });

  it('reports an email SES accepted without a message id as accepted, with no id, so it is not sent twice', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({});

    // Act
    const result = await mailer().send(email());

    // Assert: a success, never a thrown error (MailerPort: `messageId: undefined`).
    expect(result).toStrictEqual({ messageId: undefined });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  const meta = { $metadata: { httpStatusCode: 400 } };
  const serverFault = { $fault: 'server' as const, $metadata: { httpStatusCode: 500 } };
  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'slow down', ...meta })],
    [
      'LimitExceededException (sending rate)',
      new LimitExceededException({ message: 'Maximum sending rate exceeded.', ...meta }),
    ],
    [
      'LimitExceededException (daily quota)',
      new LimitExceededException({ message: 'Daily message quota exceeded.', ...meta }),
    ],
    [
      'an HTTP 429 of another name',
      Object.assign(new Error('Rate exceeded'), { name: 'SomethingNew', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'ECONNREFUSED (no connection made)',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    [
      'ENOTFOUND under a cause',
      new Error('request failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) }),
    ],
  ])('turns %s into a RetryableError: SES certainly did not take the email', async (_name, error) => {
    // Arrange
    ses.on(SendEmailCommand).rejects(error);

    // Act
    const result = mailer().send(email());

    // Assert
    await expect(result).rejects.toThrow(RetryableError);
    await expect(result).rejects.toMatchObject({ cause: error });
  });

  it.each([
    ['InternalServiceErrorException', new InternalServiceErrorException({ message: 'oops', ...serverFault })],
    [
      'a 503 server fault of another name',
      Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', ...serverFault }),
    ],
    [
      'a request timeout',
      Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }),
    ],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('turns %s into a SesAmbiguousError that is retryable but not a RetryableError', async (_name, error) => {
    // Arrange
    ses.on(SendEmailCommand).rejects(error);

    // Act
    const failure = await mailer()
      .send(email())
      .catch((err: unknown) => err);

    // Assert
    expect(failure).toBeInstanceOf(SesAmbiguousError);
    expect(failure).not.toBeInstanceOf(RetryableError);
    expect(failure).not.toBeInstanceOf(PermanentError);
    expect(failure).toMatchObject({ cause: error, sesError: error.name });
    expect(isRetryable(failure)).toBe(true);
  });

  it.each([
    [
      'MessageRejected',
      new MessageRejected({ message: 'Message contains a virus.', ...meta }),
      'ses_rejected',
      'message',
    ],
    [
      'MessageRejected',
      new MessageRejected({
        message:
          'Email address is not verified. The following identities failed the check: herald@example.com',
        ...meta,
      }),
      'ses_identity_not_verified',
      'account',
    ],
    [
      'MessageRejected',
      new MessageRejected({
        message: 'Did not have authority to send from email herald@example.com',
        ...meta,
      }),
      'ses_identity_not_verified',
      'account',
    ],
    [
      'BadRequestException',
      new BadRequestException({ message: 'Illegal address', ...meta }),
      'ses_bad_request',
      'message',
    ],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ message: 'not verified', ...meta }),
      'ses_mail_from_not_verified',
      'account',
    ],
    [
      'AccountSuspendedException',
      new AccountSuspendedException({ message: 'suspended', ...meta }),
      'ses_account_suspended',
      'account',
    ],
    [
      'SendingPausedException',
      new SendingPausedException({ message: 'paused', ...meta }),
      'ses_sending_paused',
      'account',
    ],
    [
      'NotFoundException',
      new NotFoundException({ message: 'no such configuration set', ...meta }),
      'ses_not_found',
      'account',
    ],
    [
      'LimitExceededException',
      new LimitExceededException({ message: 'Too many configuration sets.', ...meta }),
      'ses_limit_exceeded',
      'account',
    ],
  ])('turns %s into a permanent SesRejectedError', async (name, error, reason, scope) => {
    // Arrange
    ses.on(SendEmailCommand).rejects(error);

    // Act
    const result = mailer().send(email());

    // Assert
    await expect(result).rejects.toThrow(SesRejectedError);
    await expect(result).rejects.toThrow(PermanentError);
    await expect(result).rejects.toMatchObject({ reason, scope, sesError: name });
  });

  it('rethrows an error it does not know', async () => {
    // Arrange
    const error = new Error('socket hang up');
    ses.on(SendEmailCommand).rejects(error);

    // Act
    const result = mailer().send(email());

    // Assert
    await expect(result).rejects.toBe(error);
  });
});

describe('Function: buildRawEmail', () => {
  it('uses the given date and message id', async () => {
    // Act
    const raw = await buildRawEmail(email(), {
      date: new Date('2026-03-01T09:00:00Z'),
      messageId: '<fixed@example.com>',
    });

    // Assert
    const mime = parseMime(raw);
    expect(mime.headers.get('date')).toBe('Sun, 01 Mar 2026 09:00:00 +0000');
    expect(mime.headers.get('message-id')).toBe('<fixed@example.com>');
  });

  it('encodes a non-ASCII extra header value', async () => {
    // Act
    const raw = await buildRawEmail(email({ headers: { 'X-Herald-Project': 'Größe' } }));

    // Assert
    const mime = parseMime(raw);
    expect(mime.rawHeaders.get('x-herald-project')).toMatch(/^=\?UTF-8\?/);
    expect(mime.headers.get('x-herald-project')).toBe('Größe');
  });

  it('writes the From display name, RFC 2047 encoded when not ASCII, and the Reply-To', async () => {
    // Act
    const raw = await buildRawEmail(
      email({ from: 'releases@example.com', fromName: 'Größe Shop releases', replyTo: 'team@example.org' }),
    );

    // Assert
    const mime = parseMime(raw);
    expect(mime.rawHeaders.get('from')).toMatch(/^=\?UTF-8\?[BQ]\?.+\?= <releases@example\.com>$/);
    expect(mime.headers.get('from')).toBe('Größe Shop releases <releases@example.com>');
    expect(mime.headers.get('reply-to')).toBe('team@example.org');
    expect(mime.headerLines.join('\n')).not.toMatch(/Größe/);
  });

  it('quotes an ASCII display name with specials, and writes no Reply-To unless given', async () => {
    // Act
    const raw = await buildRawEmail(
      email({ from: 'releases@example.com', fromName: 'Acme, Inc. "Releases"' }),
    );

    // Assert
    const mime = parseMime(raw);
    expect(mime.rawHeaders.get('from')).toBe('"Acme, Inc. \\"Releases\\"" <releases@example.com>');
    expect(mime.headers.has('reply-to')).toBe(false);
  });

  it('sends the bare address to SES as the envelope sender when the email has a display name', async () => {
    // Arrange
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });

    // Act
    await mailer('herald-email').send(
      email({ from: 'releases@example.com', fromName: 'Demo Shop releases' }),
    );

    // Assert
    expect(ses).toReceiveCommandWith(SendEmailCommand, {
      FromEmailAddress: 'releases@example.com',
      ConfigurationSetName: 'herald-email',
    });
    expect(parseMime(sentRaw()).headers.get('from')).toBe('Demo Shop releases <releases@example.com>');
  });

  it.each([
    ['a line break in a header value', { headers: { 'X-Evil': 'a\r\nBcc: victim@example.net' } }],
    ['a line break in the subject', { subject: 'Hi\nBcc: victim@example.net' }],
    ['a header that replaces one written from the fields', { headers: { Subject: 'other' } }],
    ['a header name with a colon', { headers: { 'X:Y': 'v' } }],
    ['a line break in the From display name', { fromName: 'Shop\r\nBcc: victim@example.net' }],
    ['a line break in the Reply-To', { replyTo: 'a@example.com\nBcc: victim@example.net' }],
    ['a Reply-To header that bypasses the field', { headers: { 'Reply-To': 'evil@example.net' } }],
  ])('rejects %s with InvalidEmailError', async (_label, overrides) => {
    // Act
    const result = buildRawEmail(email(overrides));

    // Assert
    await expect(result).rejects.toThrow(InvalidEmailError);
    await expect(result).rejects.toMatchObject({ reason: 'email_invalid' });
  });
});
