import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as BuildRawEmailModule from '#adapters/mailer/buildRawEmail';
import { buildRawEmail } from '#adapters/mailer/buildRawEmail';
import type { OutgoingEmail } from '#adapters/mailer/MailerPort';
import type * as LoggerModule from '#shared/logger';
import { createLogger } from '#shared/logger';
import { bundleAndImport, type ImportedBundle } from '#test/factories/bundle';

/** What send's handler uses of nodemailer and every handler of pino, for a bundle of its own. */
const ENTRY = [
  "export { buildRawEmail } from './pipeline/adapters/mailer/buildRawEmail.ts';",
  "export { createLogger } from './pipeline/shared/logger.ts';",
].join('\n');

const email: OutgoingEmail = {
  from: 'releases@example.com',
  fromName: 'Démo Shop releases',
  replyTo: 'support@example.com',
  to: 'ada@example.com',
  subject: 'Acme Portal v2.4: bald verfügbar',
  html: '<p>Hallo Ada, <b>Export</b> nach CSV – ab 14. März.</p>',
  text: 'Hallo Ada, Export nach CSV – ab 14. März.',
  headers: {
    'List-Unsubscribe': '<https://unsubscribe.example.com/u?t=abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: { ledger: 'key-1' },
};

/** Collects what a logger writes. */
const sink = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
};

describe('Function: handlerBuildOptions (nodemailer and pino with their unused parts left out)', () => {
  let bundle: ImportedBundle<typeof BuildRawEmailModule & typeof LoggerModule>;
  let bundled: typeof BuildRawEmailModule & typeof LoggerModule;

  beforeAll(async () => {
    bundle = await bundleAndImport(ENTRY);
    bundled = bundle.module;
  }, 60_000);

  afterAll(async () => {
    await bundle?.remove();
  });

  it('builds the same MIME bytes as the sources do', async () => {
    // Arrange
    const options = { date: new Date('2030-03-07T09:00:00Z'), messageId: '<fixed-1@example.com>' };

    // Act
    const fromBundle = await bundled.buildRawEmail(email, options);
    const fromSources = await buildRawEmail(email, options);

    // Assert: the same bytes but for the MIME boundary, random per message.
    const sameBoundary = (raw: Buffer) =>
      raw.toString('latin1').replace(/_NmP-[0-9a-f]+-Part_/g, '_NmP-x-Part_');
    expect(fromBundle.toString()).toContain('Content-Type: multipart/alternative');
    expect(sameBoundary(fromBundle)).toBe(sameBoundary(fromSources));
  });

  it('logs the same line, redactions and error serializer included, as the sources do', () => {
    // Arrange
    const fromBundle = sink();
    const fromSources = sink();
    const err = Object.assign(new Error('rejected for ada@example.com'), { code: 'MessageRejected' });
    const line = (logger: ReturnType<typeof createLogger>) =>
      logger.child({ stage: 'send' }).warn({ err, apiKey: 'sk-secret', to: 'x' }, 'email_rejected');

    // Act
    line(bundled.createLogger({ destination: fromBundle.stream, sync: true }));
    line(createLogger({ destination: fromSources.stream, sync: true }));

    // Assert
    const parse = (lines: string[]) => {
      const {
        time: _time,
        err: e,
        ...rest
      } = JSON.parse(lines.join('')) as Record<string, unknown> & {
        err: { stack?: string };
      };
      return { ...rest, err: { ...e, stack: undefined } };
    };
    expect(parse(fromBundle.lines)).toEqual(parse(fromSources.lines));
    expect(parse(fromBundle.lines)).toMatchObject({
      apiKey: '[redacted]',
      err: { type: 'Error', message: 'rejected for a***@e***.com', code: 'MessageRejected' },
    });
  });
});
