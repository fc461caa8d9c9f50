import { request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import { MAX_REQUEST_BYTES, startLoopbackServer } from '#test/standins/loopbackServer';

/** One email SES accepted, as the send function put it on the wire (raw MIME). */
export interface RecordedEmail {
  /** The MessageId SES answered with. */
  messageId: string;
  /** When SES answered, epoch milliseconds. */
  at: number;
  /** `Destination.ToAddresses` of the request. */
  to: string[];
  /** `FromEmailAddress` of the request. */
  from: string;
  /** `ConfigurationSetName` of the request, if any. */
  configurationSet: string | undefined;
  /** Subject of the MIME message. */
  subject: string;
  /** Every header of the MIME message, lower-case names, first value of each. */
  headers: Record<string, string>;
  /** Plain-text part. */
  text: string;
  /** HTML part. */
  html: string;
}

/** A running recorder. */
export interface SesRecorder {
  /** `http://127.0.0.1:<port>`: the SES v2 endpoint to give the functions (`AWS_ENDPOINT_URL_SESV2`). */
  url: string;
  /** Every email the emulator accepted through this recorder, in order. */
  emails: RecordedEmail[];
  close(): Promise<void>;
}

const readBuffer = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).byteLength;
    if (total > MAX_REQUEST_BYTES) throw new Error(`request body over ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  ConfigurationSetName?: string;
  Content?: { Raw?: { Data?: string } };
}

const headerText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (value && typeof value === 'object' && 'value' in value)
    return String((value as { value: unknown }).value);
  return String(value);
};

/** Parses a SendEmail request's raw MIME (mailparser), once SES answered with `messageId`. */
const recordOf = async (body: Buffer, messageId: string): Promise<RecordedEmail | undefined> => {
  const sent = JSON.parse(body.toString('utf8')) as SendEmailRequest;
  const raw = sent.Content?.Raw?.Data;
  if (!raw) return undefined;
  const mail = await simpleParser(Buffer.from(raw, 'base64'));
  const headers: Record<string, string> = {};
  for (const line of mail.headerLines) {
    const name = line.key.toLowerCase();
    headers[name] ??= line.line.slice(line.line.indexOf(':') + 1).trim();
  }
  for (const [name, value] of mail.headers) headers[name] ??= headerText(value);
  return {
    messageId,
    at: Date.now(),
    to: sent.Destination?.ToAddresses ?? [],
    from: sent.FromEmailAddress ?? '',
    configurationSet: sent.ConfigurationSetName,
    subject: mail.subject ?? '',
    headers,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
  };
};

/**
 * A loopback HTTP proxy in front of the emulator's SES v2 API that keeps the raw MIME of every
 * email it accepted. ministack's SES store keeps only the subject and the body of a raw email
 * (knownDifferences: `ses-store-drops-headers`), so the headers the send function writes
 * (List-Unsubscribe, List-Unsubscribe-Post) are read here, on the wire, as SES would get them.
 * Every request is forwarded unchanged and its answer streamed back; only a SendEmail
 * (`POST /v2/email/outbound-emails`) answered 200 is recorded.
 */
export const startSesRecorder = async (options: { target: string }): Promise<SesRecorder> => {
  const target = new URL(options.target);
  const emails: RecordedEmail[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBuffer(req);
    const isSend = req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v2/email/outbound-emails';
    const answer = await new Promise<{ status: number; headers: string[]; body: Buffer }>(
      (resolve, reject) => {
        const upstream = request(
          {
            hostname: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (response) => {
            readBuffer(response).then(
              (data) =>
                resolve({ status: response.statusCode ?? 502, headers: response.rawHeaders, body: data }),
              reject,
            );
          },
        );
        upstream.on('error', reject);
        upstream.end(body);
      },
    );
    if (isSend && answer.status === 200) {
      const { MessageId } = JSON.parse(answer.body.toString('utf8')) as { MessageId?: string };
      const email = await recordOf(body, MessageId ?? '');
      if (email) emails.push(email);
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  const server = await startLoopbackServer(handle);
  return { url: server.url, emails, close: () => server.close() };
};
