import { singleLine, truncate } from '#shared/text';
import { formatAge } from '#ops/format/formatAge';

/** One JSON log line of a handler, as pino writes it. */
export type LogEntry = Record<string, unknown>;

/** pino's numeric level of `error`. */
const ERROR_LEVEL = 50;

/** Longest reason on a console line, characters; the log file has the whole error. */
const MAX_REASON_CHARS = 140;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** `Type: message` of a serialized error, on one line and cut short. */
const reasonOf = (entry: LogEntry): string => {
  const err = entry.err as { type?: unknown; message?: unknown } | undefined;
  const described = err
    ? [text(err.type), text(err.message)].filter(Boolean).join(': ')
    : (text(entry.lastError) ?? '');
  const reason = text(entry.reason);
  const whole = reason && !described.includes(reason) ? `${reason} (${described})` : described || reason;
  return truncate(singleLine(whole ?? 'unknown error'), MAX_REASON_CHARS);
};

const redrive = (stage: string) => `fix and \`herald dlq redrive ${stage}\``;

/** What the retry ladder does next with the record, in words. */
const nextStep = (entry: LogEntry, stage: string): string | undefined => {
  switch (entry.msg) {
    case 'record_failed': {
      const seconds = Number(entry.visibilityTimeoutSeconds);
      const receive = Number(entry.receiveCount);
      return Number.isFinite(seconds)
        ? `retry in ${formatAge(seconds)}${Number.isFinite(receive) ? ` (receive ${receive})` : ''}`
        : 'retry';
    }
    case 'record_rescheduled': {
      const seconds = Number(entry.rescheduleInSeconds);
      return entry.rescheduleInSeconds !== undefined && Number.isFinite(seconds)
        ? `rescheduled in ${formatAge(seconds)}`
        : `rescheduled, then dead-lettered (no reschedule left): ${redrive(stage)}`;
    }
    case 'record_dead_lettered':
      return `dead-lettered: ${redrive(stage)}`;
    default:
      return undefined;
  }
};

/**
 * The console line of a handler's log entry, or undefined for entries the console leaves to the
 * log file: a record that failed (`record_failed`, `record_rescheduled`, `record_dead_lettered`)
 * becomes `<key or message id>: <reason> → <what happens next>` ("retry in 8s", "rescheduled in
 * 5m", "dead-lettered: fix and `herald dlq redrive ingest`"); any other error-level entry
 * `<event>: <reason> (see the log)`. Returned with the stage it belongs to, for the caller's
 * column.
 */
export const consoleLine = (entry: LogEntry): { stage: string; line: string } | undefined => {
  const stage = text(entry.stage) ?? 'herald';
  const subject = text(entry.key) ?? text(entry.messageId);
  const next = nextStep(entry, stage);
  if (next !== undefined) {
    return { stage, line: `✗ ${subject ?? 'record'}: ${reasonOf(entry)} → ${next}` };
  }
  if (typeof entry.level === 'number' && entry.level >= ERROR_LEVEL && text(entry.msg)) {
    return { stage, line: `✗ ${entry.msg}: ${reasonOf(entry)} (see the log)` };
  }
  return undefined;
};
