/**
 * Exit codes of every `herald` command. Scripts may rely on them: they are part of the CLI's
 * interface and listed in `herald --help`.
 */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /**
   * The operation failed: AWS, Jira or the emulator refused or could not be reached, something
   * named does not exist (a schedule, a version, a queue), a redrive left messages behind, or a
   * purge was declined at the prompt.
   */
  failed: 1,
  /**
   * Bad usage: unknown command or option, a missing or malformed argument (stage, email, point
   * spec, time zone, number), an unreadable CSV file, or a purge without `--yes` off a terminal.
   * Nothing was changed.
   */
  usage: 2,
  /**
   * Done, but something needs a person: `status --check` found a DLQ that is not empty, or
   * `contacts import` rejected some rows (the good rows were imported).
   */
  attention: 3,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code table as `herald --help` prints it. */
export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  the operation failed (AWS/Jira/emulator error, not found, redrive left messages, purge declined)
  2  bad usage (unknown command or option, bad argument, unreadable file); nothing was changed
  3  done, but needs attention (status --check: a DLQ holds messages; contacts import: rows rejected)`;
