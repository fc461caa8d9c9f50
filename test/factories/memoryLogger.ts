import { pino } from 'pino';
import type { Log } from '#shared/logger';

/** A logger that keeps every line as a parsed object. */
export interface MemoryLogger {
  logger: Log;
  /** Every line written so far (pino JSON, `msg` is the event name). */
  lines: Array<Record<string, unknown>>;
  /** The lines whose event name is `msg`. */
  events(msg: string): Array<Record<string, unknown>>;
}

/** The one logger double: a pino logger writing into memory, for asserting on events (and on what is never logged). */
export const memoryLogger = (): MemoryLogger => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug', base: undefined },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines, events: (msg) => lines.filter((l) => l.msg === msg) };
};
