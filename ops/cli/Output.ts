/** A stream the CLI writes to (process.stdout, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
  /** True when the sink is a terminal (progress bars and prompts are only shown on one). */
  isTTY?: boolean | undefined;
}

/**
 * Where a command prints. Data (tables, JSON) goes to stdout; notes, warnings, progress and
 * errors go to stderr, so `herald ... --json | jq` always reads clean JSON.
 */
export interface Output {
  /** Prints a line (or lines) of data to stdout. */
  out(text: string): void;
  /** Prints a note or warning to stderr. */
  note(text: string): void;
  /** Prints `value` as pretty JSON to stdout. */
  json(value: unknown): void;
  /** stderr, for progress bars. */
  readonly stderr: TextSink;
}

/** An {@link Output} over two sinks. */
export const createOutput = (stdout: TextSink, stderr: TextSink): Output => ({
  out: (text) => {
    stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  note: (text) => {
    stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  json: (value) => {
    stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  },
  stderr,
});
