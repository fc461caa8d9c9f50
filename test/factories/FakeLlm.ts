import type { EmailAnswer, EmailRequest, LlmPort, VerifyAnswer, VerifyRequest } from '#adapters/llm/LlmPort';
import type { LlmEmail } from '#contracts/emailDraft';

/** An LLM email citing `keys`, one item per key. */
export const llmEmail = (keys: string[], overrides: Partial<LlmEmail> = {}): LlmEmail => ({
  subject: 'Billing 2.4 arrives tomorrow',
  preheader: 'What changes in Billing 2.4',
  intro: 'Billing 2.4 ships tomorrow with these changes.',
  sections: [
    { heading: 'Changes', items: keys.map((key) => ({ text: `Improved ${key}`, issueKeys: [key] })) },
  ],
  outro: 'Thanks for working with us.',
  ...overrides,
});

/** The answer for call number `calls` (1-based) from `script`, whose last entry repeats; an Error entry is thrown. */
const nextAnswer = <T>(script: ReadonlyArray<T | Error>, calls: number, name: string): T => {
  const next = script[Math.min(calls - 1, script.length - 1)];
  if (next === undefined) throw new Error(`FakeLlm has no ${name}`);
  if (next instanceof Error) throw next;
  return next;
};

/** One scripted email answer: the email, one made from the request, or an Error to throw. */
export type ScriptedEmail = LlmEmail | Error | ((request: EmailRequest) => LlmEmail);

/** Options of {@link FakeLlm}. */
export interface FakeLlmOptions {
  /** The model every answer names. Default `gpt-test`. */
  model?: string;
}

/** An LLM that answers from a script, one entry per call (an Error entry is thrown). */
export class FakeLlm implements LlmPort {
  readonly requests: EmailRequest[] = [];
  /** Answers in call order; the last one repeats. */
  script: ScriptedEmail[];
  readonly #model: string;

  constructor(script: ScriptedEmail[] = [llmEmail(['BILL-1', 'BILL-2'])], options: FakeLlmOptions = {}) {
    this.script = script;
    this.#model = options.model ?? 'gpt-test';
  }

  async writeEmail(request: EmailRequest): Promise<EmailAnswer> {
    this.requests.push(request);
    const next = nextAnswer(this.script, this.requests.length, 'script');
    return {
      email: structuredClone(typeof next === 'function' ? next(request) : next),
      model: this.#model,
      usage: { promptTokens: 1000, completionTokens: 200 },
    };
  }

  readonly verifyRequests: VerifyRequest[] = [];
  /**
   * The grounding verifier's answers in call order (the last repeats): the ids judged unsupported,
   * or an Error to throw. Default every item supported.
   */
  verifyScript: Array<string[] | Error> = [[]];

  async verifyItems(request: VerifyRequest): Promise<VerifyAnswer> {
    this.verifyRequests.push(request);
    const next = nextAnswer(this.verifyScript, this.verifyRequests.length, 'verify script');
    return {
      verdicts: request.items.map(({ id }) => ({
        id,
        supported: !next.includes(id),
        reason: next.includes(id) ? 'the cited issue says something else' : 'backed',
      })),
      model: 'gpt-verify',
      usage: { promptTokens: 500, completionTokens: 50 },
    };
  }
}
