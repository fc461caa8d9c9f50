import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, maskEmailsIn, serializeError } from '#shared/logger';

/** A root logger writing parsed lines into an array. */
const capture = (level?: string) => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ ...(level !== undefined ? { level } : {}), destination });
  return { logger, lines };
};

describe('Function: maskEmailsIn', () => {
  it('masks every address in a text and keeps the rest', () => {
    // Act
    const masked = maskEmailsIn('MessageRejected: <ada@example.com>, bob.smith@mail.example.org refused');

    // Assert
    expect(masked).toBe('MessageRejected: <a***@e***.com>, b***@m***.org refused');
  });

  it('masks an address inside a ledger key and a quoted recipient, but leaves package paths of a stack trace alone', () => {
    // Arrange
    const text = [
      'claim failed for send#10042:b1d0h0m0900@2026-12-15:jane.doe+news@example.co.uk',
      '"Jane" <jane@example.com>',
      '    at file:///var/task/node_modules/@opentelemetry/api/build/esm/index.mjs:12:3',
      '    at /work/main/node_modules/@aws-sdk/client-sesv2/dist-cjs/index.js:1:2',
    ].join('\n');

    // Act
    const masked = maskEmailsIn(text);

    // Assert
    expect(masked).toBe(
      [
        'claim failed for send#10042:b1d0h0m0900@2026-12-15:j***@e***.uk',
        '"Jane" <j***@e***.com>',
        '    at file:///var/task/node_modules/@opentelemetry/api/build/esm/index.mjs:12:3',
        '    at /work/main/node_modules/@aws-sdk/client-sesv2/dist-cjs/index.js:1:2',
      ].join('\n'),
    );
  });

  it('leaves a text without addresses as it is, also when called again', () => {
    // Act
    const first = maskEmailsIn('send#10042:b1d0h0m0900@2026-12-15 version 2.0');
    const second = maskEmailsIn('send#10042:b1d0h0m0900@2026-12-15 version 2.0');

    // Assert
    expect(first).toBe('send#10042:b1d0h0m0900@2026-12-15 version 2.0');
    expect(second).toBe(first);
  });
});

describe('Function: serializeError', () => {
  it('masks addresses in the message, the stack, causes and own properties without touching the error', () => {
    // Arrange
    const cause = new Error('SES said: ada@example.com is on the suppression list');
    const err = Object.assign(
      new Error('send#10042:b1d0h0m0900@2026-12-15:ada@example.com failed', { cause }),
      { sendKey: 'send#10042:p@2026-12-15:ada@example.com', details: { to: ['bob@example.org'] } },
    );

    // Act
    const serialized = serializeError(err) as Record<string, unknown>;

    // Assert
    const text = JSON.stringify(serialized);
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('bob@example.org');
    expect(serialized.type).toBe('Error');
    expect(serialized.message).toBe(
      'send#10042:b1d0h0m0900@2026-12-15:a***@e***.com failed: SES said: a***@e***.com is on the suppression list',
    );
    expect(serialized.stack).toContain('a***@e***.com failed');
    expect(serialized.stack).toContain('caused by: Error: SES said: a***@e***.com');
    expect(serialized.sendKey).toBe('send#10042:p@2026-12-15:a***@e***.com');
    expect(serialized.details).toEqual({ to: ['b***@e***.org'] });
    expect(err.message).toContain('ada@example.com');
    expect(err.details.to).toEqual(['bob@example.org']);
  });

  it('masks a string or a plain object logged as err', () => {
    // Act / Assert
    expect(serializeError('no ada@example.com')).toBe('no a***@e***.com');
    expect(serializeError({ reason: 'ada@example.com' })).toEqual({ reason: 'a***@e***.com' });
    expect(serializeError(undefined)).toBeUndefined();
  });
});

describe('Function: createLogger', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('never writes an address of an error logged as { err } in clear', () => {
    // Arrange
    const { logger, lines } = capture();
    const err = new Error('MessageRejected: Email address is not verified: ada@example.com');

    // Act
    logger.child({ stage: 'send' }).warn({ err, reason: 'ses_rejected' }, 'email_rejected');

    // Assert
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toContain('ada@example.com');
    expect(lines[0]).toMatchObject({
      msg: 'email_rejected',
      stage: 'send',
      err: { type: 'Error', message: 'MessageRejected: Email address is not verified: a***@e***.com' },
    });
  });

  it('masks an error passed as the first argument', () => {
    // Arrange
    const { logger, lines } = capture();

    // Act
    logger.error(new Error('claim of ada@example.com lost'), 'send_claim_give_back_failed');

    // Assert
    expect(JSON.stringify(lines)).not.toContain('ada@example.com');
    expect(lines[0]).toMatchObject({ err: { message: 'claim of a***@e***.com lost' } });
  });

  it('logs at info by default and ignores LOG_LEVEL in the environment', () => {
    // Arrange: the level is config's (handlers pass config.LOG_LEVEL); the logger reads no env.
    vi.stubEnv('LOG_LEVEL', 'debug');
    const { logger, lines } = capture();

    // Act
    logger.debug('hidden');
    logger.info('shown');

    // Assert
    expect(logger.level).toBe('info');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });

  it('logs at the level it is given', () => {
    // Arrange
    const { logger, lines } = capture('warn');

    // Act
    logger.info('hidden');
    logger.warn('shown');

    // Assert
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
  });
});
