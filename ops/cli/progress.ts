import { SingleBar } from 'cli-progress';
import type { TextSink } from './Output.ts';

/** A progress indicator of one long operation. */
export interface Progress {
  /** Sets the value reached, and the total when it became known or changed. */
  update(value: number, total?: number): void;
  /** Removes the bar (it leaves a final line on the terminal). */
  stop(): void;
}

/** Starts a progress indicator labelled `label` with an expected `total`. */
export type ProgressFactory = (label: string, total: number) => Progress;

const NOOP: Progress = { update: () => {}, stop: () => {} };

/** A factory that shows nothing (pipes, `--json`, tests). */
export const noProgress: ProgressFactory = () => NOOP;

/**
 * Progress bars on `stream` (stderr) when it is a terminal; otherwise nothing, so logs, pipes and
 * CI never get control characters. stdout stays clean either way (`--json` output included).
 */
export const createProgressFactory = (stream: TextSink): ProgressFactory => {
  if (stream.isTTY !== true) return noProgress;
  return (label, total) => {
    const bar = new SingleBar({
      format: `${label} [{bar}] {value}/{total} {percentage}% | {duration_formatted}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    });
    bar.start(Math.max(total, 0), 0);
    return {
      update: (value, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, value));
        bar.update(value);
      },
      stop: () => bar.stop(),
    };
  };
};
