import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type Log, silentLogger } from '#shared/logger';
import { SES_EVENT_SOURCE } from '#stages/feedback/sesFeedbackEvent';
import { LOCAL_AWS_REGION, localClientConfig } from './localAwsConfig.ts';
import { createLoopbackForwarder } from './loopbackForwarder.ts';

/** Account id in the ARNs of emulated events (moto's default account). */
const LOCAL_ACCOUNT_ID = '123456789012';

/** SES v2 SendEmail on the wire (restJson1). */
const SEND_EMAIL = { method: 'POST', path: '/v2/email/outbound-emails' } as const;

/** Attempts of one PutEvents before an event is given up (and logged). */
const PUT_ATTEMPTS = 3;

/** Options of {@link startSesEventPublisher}. */
export interface SesEventPublisherOptions {
  /** The emulator (moto) to forward SES v2 requests to, e.g. `http://127.0.0.1:5000` (loopback only). */
  target: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** Logger (`ses_event_published`, `ses_event_publish_failed`). Default silent. */
  logger?: Log;
  /** Clock of the event timestamps. Default the wall clock. */
  now?: () => Date;
  /** Let the process exit while it listens (a process-wide publisher). Default false. */
  unref?: boolean;
}

/** A running publisher. */
export interface SesEventPublisher {
  /** `http://127.0.0.1:<port>`: the SES v2 endpoint to give the handlers (`AWS_ENDPOINT_URL_SESV2`). */
  readonly url: string;
  /** SendEmail calls the emulator accepted, and events put on the default bus for them. */
  readonly counts: { accepted: number; events: number; failed: number };
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** The SendEmail request fields an event repeats. */
interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  ConfigurationSetName?: string;
  EmailTags?: Array<{ Name?: string; Value?: string }>;
}

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const parseJson = (bytes: Buffer): unknown => {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Recipient domains the local stack treats like SES's mailbox simulator: an email to
 * `<anyone>@bounce.herald.test` bounces (permanently), one to `<anyone>@complaint.herald.test`
 * is delivered and then complained about. `.test` is reserved (RFC 2606): no real mailbox.
 */
export const SIMULATED_DOMAINS = {
  bounce: 'bounce.herald.test',
  complaint: 'complaint.herald.test',
} as const;

/** What the simulated mailbox of `address` does with an email. */
const simulatedOutcome = (address: string): 'bounce' | 'complaint' | 'delivery' => {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  if (domain === SIMULATED_DOMAINS.bounce) return 'bounce';
  if (domain === SIMULATED_DOMAINS.complaint) return 'complaint';
  return 'delivery';
};

/**
 * The events SES would put on the default bus for one accepted email sent with a configuration
 * set (source `aws.ses`; detail = the event publishing record, `mail.tags` with
 * `ses:configuration-set` and the email's own tags, as SES's event publishing documents them):
 * `Email Sent`, then `Email Delivered`; for a recipient at {@link SIMULATED_DOMAINS} `bounce`,
 * `Email Bounced` (Permanent) instead of the delivery, at `complaint` an `Email Complaint
 * Received` after it.
 */
export const sesAcceptedEvents = (
  body: SendEmailBody,
  messageId: string,
  at: Date,
): PutEventsRequestEntry[] => {
  const configurationSet = body.ConfigurationSetName;
  if (!configurationSet) return [];
  const from = body.FromEmailAddress ?? '';
  const destination = body.Destination?.ToAddresses ?? [];
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [configurationSet],
    'ses:from-domain': [from.slice(from.lastIndexOf('@') + 1)],
    'ses:operation': ['SendEmail'],
  };
  for (const tag of body.EmailTags ?? []) if (tag.Name && tag.Value) tags[tag.Name] = [tag.Value];
  const timestamp = at.toISOString();
  const mail = {
    timestamp,
    source: from,
    sourceArn: `arn:aws:ses:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:identity/${from}`,
    sendingAccountId: LOCAL_ACCOUNT_ID,
    messageId,
    destination,
    headersTruncated: false,
    tags,
  };
  const entry = (detailType: string, detail: object): PutEventsRequestEntry => ({
    Source: SES_EVENT_SOURCE,
    DetailType: detailType,
    Time: at,
    Resources: [`arn:aws:ses:${LOCAL_AWS_REGION}:${LOCAL_ACCOUNT_ID}:configuration-set/${configurationSet}`],
    Detail: JSON.stringify(detail),
  });
  const outcome = simulatedOutcome(destination[0] ?? '');
  const sent = entry('Email Sent', { eventType: 'Send', mail, send: {} });
  if (outcome === 'bounce') {
    return [
      sent,
      entry('Email Bounced', {
        eventType: 'Bounce',
        mail,
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: destination.map((emailAddress) => ({
            emailAddress,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown (local stack)',
          })),
          timestamp,
          reportingMTA: 'local.herald.test',
        },
      }),
    ];
  }
  const delivered = entry('Email Delivered', {
    eventType: 'Delivery',
    mail,
    delivery: {
      timestamp,
      processingTimeMillis: 0,
      recipients: destination,
      smtpResponse: '250 2.0.0 OK (local stack)',
      reportingMTA: 'local.herald.test',
    },
  });
  if (outcome === 'delivery') return [sent, delivered];
  return [
    sent,
    delivered,
    entry('Email Complaint Received', {
      eventType: 'Complaint',
      mail,
      complaint: {
        complainedRecipients: destination.map((emailAddress) => ({ emailAddress })),
        complaintFeedbackType: 'abuse',
        timestamp,
      },
    }),
  ];
};

/**
 * The SES event publishing the emulator lacks (moto stores sent mail but publishes no events),
 * as a loopback HTTP proxy in front of its SES v2 API: every request is forwarded unchanged;
 * when the emulator accepts a SendEmail that names a configuration set, the proxy puts that
 * email's `Email Sent` and `Email Delivered` events ({@link sesAcceptedEvents}) on the emulator's
 * default EventBridge bus, where the local stack's feedback rule routes them to the feedback
 * stage, as SES does on AWS. The events are put before the answer goes back, so an answer lost on
 * the way to the sender (a fault proxy in between, a sender killed) never loses them; like SES's,
 * they are best effort (a PutEvents that fails 3 times is logged and counted).
 *
 * It belongs to the local stack, not to the pipeline: point the send stage's SES endpoint at it
 * (`startLocalHerald` does unless given its own `SESV2` endpoint; a fault proxy in front of SES
 * should forward to it rather than to the emulator).
 */
export const startSesEventPublisher = async (
  options: SesEventPublisherOptions,
): Promise<SesEventPublisher> => {
  const upstream = createLoopbackForwarder('SesEventPublisher', options.target);
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const events = new EventBridgeClient(localClientConfig(options.target));
  const counts = { accepted: 0, events: 0, failed: 0 };

  const publish = async (entries: PutEventsRequestEntry[], messageId: string): Promise<void> => {
    for (let attempt = 1; attempt <= PUT_ATTEMPTS; attempt++) {
      try {
        const out = await events.send(new PutEventsCommand({ Entries: entries }));
        if (!out.FailedEntryCount) {
          counts.events += entries.length;
          logger.debug({ messageId, events: entries.length }, 'ses_event_published');
          return;
        }
      } catch (err) {
        if (attempt === PUT_ATTEMPTS) logger.error({ err, messageId }, 'ses_event_publish_failed');
      }
    }
    counts.failed += entries.length;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readAll(req);
    const answer = await upstream.forward(req, body);
    const answerBody = await readAll(answer);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const status = answer.statusCode ?? 502;
    if (req.method === SEND_EMAIL.method && path === SEND_EMAIL.path && status >= 200 && status < 300) {
      const messageId = (parseJson(answerBody) as { MessageId?: unknown } | undefined)?.MessageId;
      if (typeof messageId === 'string') {
        counts.accepted += 1;
        const entries = sesAcceptedEvents((parseJson(body) ?? {}) as SendEmailBody, messageId, now());
        if (entries.length > 0) await publish(entries, messageId);
      }
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answerBody.byteLength);
    res.writeHead(status, answer.statusMessage, headers);
    res.end(answerBody);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.warn({ err }, 'ses_event_publisher_forward_failed');
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (options.unref) server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstream.close();
      events.destroy();
    },
  };
};
