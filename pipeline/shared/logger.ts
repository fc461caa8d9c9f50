import { type Logger, pino } from 'pino';

/** Paths redacted from every log line (secrets and message bodies that may hold them). */
export const REDACT_PATHS = [
  'secret',
  '*.secret',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-hub-signature"]',
  'password',
  '*.password',
];

/**
 * Masks an email address for logs: `jane.doe@example.com` → `j***@e***.com`. Never log an
 * address in clear.
 */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${local[0]}***@${domain[0] ?? ''}***${tld}`;
};

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Log level; default `LOG_LEVEL` or `info`. */
  level?: string;
  /** Service name in every line. Default `release-herald`. */
  name?: string;
  /** Write synchronously (Lambda must flush before the invocation ends). Default true. */
  sync?: boolean;
  /** Destination stream; default stdout. */
  destination?: NodeJS.WritableStream;
}

/** Builds the pino root logger. One per process, built at module scope in each handler. */
export const createLogger = (options: CreateLoggerOptions = {}): Logger => {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const destination = options.destination ?? pino.destination({ sync: options.sync ?? true });
  return pino(
    {
      name: options.name ?? 'release-herald',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
};

/** The narrow logger every core takes. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'child'>;

/** A logger that discards everything (tests). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
