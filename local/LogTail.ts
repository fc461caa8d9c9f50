import { open } from 'node:fs/promises';
import type { LogEntry } from './consoleLine.ts';

/** Options of {@link tailLog}. */
export interface TailLogOptions {
  /** The JSON-lines file the handlers append to (`LOG_FILE`). It may not exist yet. */
  file: string;
  /** Called with each complete line that parses as a JSON object, in order. Must not throw. */
  onEntry: (entry: LogEntry) => void;
  /** Milliseconds between looks at the file. Default 500. */
  intervalMs?: number;
  /** Start at the file's current end rather than its start. Default true. */
  fromEnd?: boolean;
}

/** A running {@link tailLog}. */
export interface LogTail {
  /** Reads what was appended since the last look (also what the timer does). */
  poll(): Promise<void>;
  /** Stops the timer after reading what is left. */
  stop(): Promise<void>;
}

/**
 * Follows a JSON-lines log file as it grows, as `tail -f` does: every interval it reads the
 * bytes appended since the last look and hands each complete line on. A line still being written
 * waits for the next look; a line that is not JSON is skipped. The timer does not keep the
 * process alive.
 */
export const tailLog = async (options: TailLogOptions): Promise<LogTail> => {
  let offset = 0;
  if (options.fromEnd ?? true) {
    offset = await open(options.file, 'r')
      .then(async (handle) => {
        const { size } = await handle.stat();
        await handle.close();
        return size;
      })
      .catch(() => 0);
  }
  let partial = '';
  let reading: Promise<void> = Promise.resolve();

  const readNew = async (): Promise<void> => {
    const handle = await open(options.file, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      // Truncated or replaced (a new run): start again from its beginning.
      if (size < offset) offset = 0;
      if (size === offset) return;
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      const lines = (partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        let entry: LogEntry;
        try {
          entry = JSON.parse(line) as LogEntry;
        } catch {
          continue; // Not JSON (a stray write): the file keeps it; the console skips it.
        }
        options.onEntry(entry);
      }
    } finally {
      await handle.close();
    }
  };
  // One read at a time: a slow read and the next tick must not hand on a line twice.
  const poll = (): Promise<void> => {
    // A failed read (the file moved away mid-read) is tried again at the next look.
    reading = reading.then(() => readNew().catch(() => undefined));
    return reading;
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? 500);
  timer.unref();
  return {
    poll,
    stop: async () => {
      clearInterval(timer);
      await poll();
    },
  };
};
