import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors.ts';

/** Asks a yes/no question; resolves true only for an explicit yes. */
export type Confirm = (question: string) => Promise<boolean>;

/** What {@link confirmOnTerminal} reads from and writes to. */
export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  output: NodeJS.WritableStream;
}

/**
 * Asks on the terminal (`question [y/N] `, answer on stdin). Off a terminal there is nobody to
 * ask: it throws a {@link UsageError} naming `--yes`, so a script never hangs on a prompt.
 */
export const confirmOnTerminal =
  (streams: PromptStreams): Confirm =>
  async (question) => {
    if (streams.input.isTTY !== true) {
      throw new UsageError(`${question} — stdin is not a terminal; pass --yes to confirm`);
    }
    const rl = createInterface({ input: streams.input, output: streams.output });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^(y|yes)$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
