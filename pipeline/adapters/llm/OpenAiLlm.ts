import OpenAI from 'openai';
import * as z from 'zod';
import { llmEmail } from '#contracts/emailDraft';
import { describeIssues } from '#contracts/errors';
import { groundingVerdict } from '#contracts/groundingVerdict';
import { withSpan } from '#shared/tracing';
import { LlmOutputError } from './errors.ts';
import type {
  EmailAnswer,
  EmailRequest,
  LlmCallOptions,
  LlmPort,
  LlmUsage,
  VerifyAnswer,
  VerifyRequest,
} from './LlmPort.ts';
import { type BuildMessagesOptions, buildMessages, type PromptMessage } from './prompt.ts';
import { translateOpenAiError } from './translateOpenAiError.ts';
import { buildVerifierMessages } from './verifierPrompt.ts';

/** Options of {@link OpenAiLlm}. */
export interface OpenAiLlmOptions {
  /** OpenAI API key. Never logged. */
  apiKey: string;
  /** Model, e.g. `gpt-4.1-mini`. Must support Structured Outputs (json_schema, strict). */
  model: string;
  /** API base URL including `/v1` (stand-ins, proxies). Default the SDK's (`https://api.openai.com/v1`). */
  baseURL?: string;
  /**
   * Per-request timeout, milliseconds. Default 60000. A call's `signal` (its attempt deadline)
   * can only shorten it: a request takes at most min(timeoutMs, until the signal fires), so
   * this bound matters less than the function timeout it runs under.
   */
  timeoutMs?: number;
  /** Most tokens the answer may use. Default 4096. */
  maxCompletionTokens?: number;
  /** Prompt size limits, see {@link BuildMessagesOptions}. */
  prompt?: BuildMessagesOptions;
  /** OpenAI client; default one built from the options above with `maxRetries: 0`. */
  client?: OpenAI;
}

/** Default {@link OpenAiLlmOptions.timeoutMs}. */
export const DEFAULT_OPENAI_TIMEOUT_MS = 60_000;

/** Default {@link OpenAiLlmOptions.maxCompletionTokens}. */
export const DEFAULT_MAX_COMPLETION_TOKENS = 4096;

/** Name of the structured output format sent with every request. */
export const RESPONSE_FORMAT_NAME = 'release_email';

/**
 * Strips the keywords OpenAI's strict Structured Outputs does not accept on strings
 * (`minLength`, `maxLength`) and the `$schema` marker. Array bounds and `pattern` stay. The
 * answer is validated against the full zod schema anyway, so nothing is lost.
 */
const toStrictSchema = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(toStrictSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'minLength' && key !== 'maxLength' && key !== '$schema')
      .map(([key, value]) => [key, toStrictSchema(value)]),
  );
};

/**
 * The JSON Schema of `llmEmail` sent as `response_format` (built once: zod 4's `toJSONSchema`,
 * which already marks every property required and `additionalProperties: false`, as strict
 * mode wants).
 */
export const LLM_EMAIL_JSON_SCHEMA = toStrictSchema(
  z.toJSONSchema(llmEmail, { target: 'draft-07' }),
) as Record<string, unknown>;

/** Name of the structured output format of a verification ({@link OpenAiLlm.verifyItems}). */
export const VERIFIER_FORMAT_NAME = 'grounding_verdict';

/** The JSON Schema of `groundingVerdict` sent as `response_format` of a verification. */
export const GROUNDING_VERDICT_JSON_SCHEMA = toStrictSchema(
  z.toJSONSchema(groundingVerdict, { target: 'draft-07' }),
) as Record<string, unknown>;

/**
 * {@link LlmPort} on the OpenAI Chat Completions API (openai SDK 6) with Structured Outputs:
 * `response_format` is a strict `json_schema` generated from `llmEmail`, and the answer is
 * validated with zod again here. The SDK's own retries are off (`maxRetries: 0`): the pipeline's
 * `withRetry` retries what {@link translateOpenAiError} marks retryable. A refusal, a cut-off or
 * an answer that is not a valid `llmEmail` is an {@link LlmOutputError}. A call's `signal` is
 * passed to the SDK as a per-request option; it also bounds reading the body, which the SDK's
 * own timeout does not.
 */
export class OpenAiLlm implements LlmPort {
  readonly model: string;
  readonly #client: OpenAI;
  readonly #maxCompletionTokens: number;
  readonly #prompt: BuildMessagesOptions;

  constructor(options: OpenAiLlmOptions) {
    this.model = options.model;
    this.#client =
      options.client ??
      new OpenAI({
        apiKey: options.apiKey,
        baseURL: options.baseURL ?? null,
        timeout: options.timeoutMs ?? DEFAULT_OPENAI_TIMEOUT_MS,
        maxRetries: 0,
        // Explicit nulls: otherwise the SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID from the
        // environment behind config.ts's back.
        organization: null,
        project: null,
        webhookSecret: null,
      });
    this.#maxCompletionTokens = options.maxCompletionTokens ?? DEFAULT_MAX_COMPLETION_TOKENS;
    this.#prompt = options.prompt ?? {};
  }

  async writeEmail(request: EmailRequest, options: LlmCallOptions = {}): Promise<EmailAnswer> {
    const { value, model, usage } = await this.#complete({
      messages: buildMessages(request, this.#prompt),
      format: { name: RESPONSE_FORMAT_NAME, schema: LLM_EMAIL_JSON_SCHEMA, parse: llmEmail, what: 'email' },
      locale: request.locale,
      signal: options.signal,
    });
    return { email: value, model, usage };
  }

  /**
   * Judges each item of a draft against its cited issues (the grounding verifier): one chat
   * completion with the strict `groundingVerdict` schema as response format.
   * @throws LlmOutputError when the answer is not a valid verdict (refusal, cut off, bad JSON).
   */
  async verifyItems(request: VerifyRequest, options: LlmCallOptions = {}): Promise<VerifyAnswer> {
    const { value, model, usage } = await this.#complete({
      messages: buildVerifierMessages(request),
      format: {
        name: VERIFIER_FORMAT_NAME,
        schema: GROUNDING_VERDICT_JSON_SCHEMA,
        parse: groundingVerdict,
        what: 'verdict',
      },
      locale: request.locale,
      signal: options.signal,
    });
    return { verdicts: value.items, model, usage };
  }

  /** One chat completion with a strict structured output, parsed and validated. */
  async #complete<T>(call: {
    messages: PromptMessage[];
    format: StructuredFormat<T>;
    locale: string;
    signal: AbortSignal | undefined;
  }): Promise<{ value: T; model: string; usage: LlmUsage }> {
    const { signal, format } = call;
    return withSpan(
      'openai.chat_completion',
      async (span) => {
        let completion: OpenAI.Chat.Completions.ChatCompletion;
        try {
          completion = await this.#client.chat.completions.create(
            {
              model: this.model,
              messages: call.messages,
              response_format: {
                type: 'json_schema',
                json_schema: { name: format.name, strict: true, schema: format.schema },
              },
              max_completion_tokens: this.#maxCompletionTokens,
            },
            signal ? { signal } : undefined,
          );
        } catch (err) {
          throw translateOpenAiError(err, 'chat.completions.create', { signal });
        }

        const model =
          typeof completion.model === 'string' && completion.model ? completion.model : this.model;
        const usage: LlmUsage = {
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
        };
        span.setAttribute('llm.model', model);
        span.setAttribute('llm.prompt_tokens', usage.promptTokens);
        span.setAttribute('llm.completion_tokens', usage.completionTokens);
        return { value: parseAnswer(completion, format, { model, usage }), model, usage };
      },
      {
        attributes: {
          'llm.request_model': this.model,
          'llm.locale': call.locale,
          'llm.response_format': format.name,
        },
      },
    );
  }
}

/** A strict structured output: its name, JSON Schema, zod schema and what it is called in errors. */
interface StructuredFormat<T> {
  name: string;
  schema: Record<string, unknown>;
  parse: z.ZodType<T>;
  what: string;
}

/** The structured answer in a completion, or an {@link LlmOutputError} saying why there is none. */
const parseAnswer = <T>(
  completion: OpenAI.Chat.Completions.ChatCompletion,
  format: StructuredFormat<T>,
  fields: { model: string; usage: LlmUsage },
): T => {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  if (message?.refusal) {
    throw new LlmOutputError('refusal', `the model refused: ${message.refusal.slice(0, 300)}`, fields);
  }
  if (choice?.finish_reason === 'length') {
    throw new LlmOutputError('truncated', 'the answer was cut off at the token limit', fields);
  }
  if (choice?.finish_reason === 'content_filter') {
    throw new LlmOutputError('content_filter', 'the answer was stopped by the content filter', fields);
  }
  const content = message?.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new LlmOutputError('empty', 'the answer has no content', fields);
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (cause) {
    throw new LlmOutputError('invalid_json', `the answer is not JSON (${(cause as Error).message})`, fields, {
      cause,
    });
  }
  const parsed = format.parse.safeParse(value);
  if (!parsed.success) {
    const details = describeIssues(parsed.error);
    throw new LlmOutputError(
      'schema_mismatch',
      `the answer does not match the ${format.what} schema: ${details.slice(0, 10).join('; ')}`,
      { ...fields, details },
      { cause: parsed.error },
    );
  }
  return parsed.data;
};
