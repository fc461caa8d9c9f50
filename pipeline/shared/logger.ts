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

/**
 * An email address inside free text (an SES error message, a ledger key in an error): a local
 * part of RFC 5322 atom characters and dots, and a host name of dot-separated labels ending in a
 * letters-only top-level domain. No `/` on either side, so a path such as
 * `node_modules/@opentelemetry/api/build/index.mjs` in a stack trace is not an address. Global:
 * use it with `String.prototype.replace` only (a global regex keeps `lastIndex` between `test` calls).
 */
export const EMAIL_ADDRESS_PATTERN = /[A-Za-z0-9.!#$%&*+=?^_`{|}~-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/g;

/** `text` with every email address in it masked with {@link maskEmail}. */
export const maskEmailsIn = (text: string): string =>
  text.replace(EMAIL_ADDRESS_PATTERN, (email) => maskEmail(email));

/** How deep {@link serializeError} looks into an error's own properties for text to mask. */
const MAX_MASK_DEPTH = 4;

/**
 * A copy of `value` with email addresses masked in every string, looking into arrays, plain
 * objects and serialized errors (`errorProto`) only; anything else (a Buffer, an SDK object) is
 * kept as it is. Copies rather than edits: the objects may belong to the live error.
 */
const maskDeep = (
  value: unknown,
  errorProto: object | null,
  depth: number,
  seen: WeakSet<object>,
): unknown => {
  if (typeof value === 'string') return maskEmailsIn(value);
  if (value === null || typeof value !== 'object' || depth > MAX_MASK_DEPTH) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, errorProto, depth + 1, seen));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && proto !== errorProto) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = maskDeep(item, errorProto, depth + 1, seen);
  return copy;
};

/**
 * pino's `err` serializer: pino's standard one (type, message and stack with their causes,
 * own properties, aggregated errors), then every email address in the result masked (see
 * {@link maskEmailsIn}). SES puts the recipient in its error messages and the send ledger key
 * ends with it, so an error must never reach a log line unmasked. A string is masked as text.
 */
export const serializeError = (err: unknown): unknown => {
  if (typeof err === 'string') return maskEmailsIn(err);
  // Returns anything that is not error-like as it is; a plain object is then masked as data.
  const serialized: unknown = pino.stdSerializers.err(err as Error);
  if (serialized === null || typeof serialized !== 'object') return serialized;
  const errorProto = serialized === err ? null : (Object.getPrototypeOf(serialized) as object | null);
  return maskDeep(serialized, errorProto, 0, new WeakSet());
};

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Log level; default `info`. Handlers pass `config.LOG_LEVEL` (this module reads no environment). */
  level?: string;
  /** Service name in every line. Default `release-herald`. */
  name?: string;
  /** Write synchronously (Lambda must flush before the invocation ends). Default true. */
  sync?: boolean;
  /** Destination stream; default {@link CreateLoggerOptions.file}, else stdout. */
  destination?: NodeJS.WritableStream;
  /** File to append the lines to (created with its folder) instead of stdout. Default none. */
  file?: string | undefined;
}

/** Builds the pino root logger. One per process, built at module scope in each handler. */
export const createLogger = (options: CreateLoggerOptions = {}): Logger => {
  const level = options.level ?? 'info';
  const sync = options.sync ?? true;
  const destination =
    options.destination ??
    (options.file ? pino.destination({ dest: options.file, sync, mkdir: true }) : pino.destination({ sync }));
  return pino(
    {
      name: options.name ?? 'release-herald',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
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
