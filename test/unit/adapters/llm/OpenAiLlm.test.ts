import { APIUserAbortError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmOutputError, LlmRequestError, LlmUnavailableError } from '#adapters/llm/errors';
import type { VerifyRequest } from '#adapters/llm/LlmPort';
import {
  GROUNDING_VERDICT_JSON_SCHEMA,
  LLM_EMAIL_JSON_SCHEMA,
  OpenAiLlm,
  VERIFIER_FORMAT_NAME,
} from '#adapters/llm/OpenAiLlm';
import { translateOpenAiError } from '#adapters/llm/translateOpenAiError';
import { VERIFIER_SYSTEM_PROMPT } from '#adapters/llm/verifierPrompt';
import { llmEmail } from '#contracts/emailDraft';
import { isRetryable } from '#retry/isRetryable';
import { PermanentError, RetryableError } from '#shared/errors';
import { emailRequestOf } from '#test/factories/emailRequest';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';

const API_KEY = 'sk-test-key';

const request = emailRequestOf;

describe('Class: OpenAiLlm', () => {
  let standIn: OpenAiStandIn;
  let llm: OpenAiLlm;

  beforeAll(async () => {
    standIn = await startOpenAiStandIn({ apiKey: API_KEY });
    llm = new OpenAiLlm({ apiKey: API_KEY, model: 'gpt-4.1-mini', baseURL: standIn.url, timeoutMs: 2000 });
  });

  afterEach(() => {
    standIn.reset();
  });

  afterAll(async () => {
    await standIn.close();
  });

  describe('Method: writeEmail', () => {
    it('returns the parsed email, the model and the token usage', async () => {
      // act
      const answer = await llm.writeEmail(request());

      // assert
      expect(llmEmail.safeParse(answer.email).success).toBe(true);
      // German from the stand-in: the request's locale reached the model through the adapter.
      expect(answer.email.subject).toBe('Acme Portal v2.4: bald verfügbar');
      expect(answer.email.sections.flatMap((s) => s.items.flatMap((i) => i.issueKeys)).sort()).toEqual([
        'ABC-1',
        'ABC-2',
      ]);
      expect(answer.model).toBe('gpt-4.1-mini');
      expect(answer.usage.promptTokens).toBeGreaterThan(0);
      expect(answer.usage.completionTokens).toBeGreaterThan(0);
    });

    it('sends a strict json_schema response format and the prompt messages', async () => {
      // act
      await llm.writeEmail(request({ feedback: 'cite only listed keys' }));

      // assert
      const body = standIn.calls.last?.body as {
        model: string;
        messages: Array<{ role: string; content: string }>;
        response_format: { type: string; json_schema: { name: string; strict: boolean; schema: unknown } };
      };
      expect(body.model).toBe('gpt-4.1-mini');
      expect(body.response_format).toMatchObject({
        type: 'json_schema',
        json_schema: { name: 'release_email', strict: true },
      });
      expect(body.response_format.json_schema.schema).toEqual(LLM_EMAIL_JSON_SCHEMA);
      expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
      expect(standIn.calls.last?.issueKeys).toEqual(['ABC-1', 'ABC-2']);
      expect(standIn.calls.last?.locale).toBe('de-DE');
    });

    it('throws a RetryableError after one request when OpenAI answers 429 with retry-after 2', async () => {
      // arrange
      standIn.faults.enqueue({ status: 429, retryAfterSeconds: 2 });

      // act
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(RetryableError);
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 2 });
      expect(standIn.calls.count).toBe(1);
    });

    it('throws a RetryableError when OpenAI answers 500', async () => {
      // arrange
      standIn.faults.enqueue({ status: 500 });

      // act
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect(error).toMatchObject({ status: 500, retryAfterSeconds: undefined });
      expect(isRetryable(error)).toBe(true);
    });

    it('throws a RetryableError when the connection drops or times out', async () => {
      // arrange
      standIn.faults.enqueue({ drop: true }).enqueue({ delayMs: 3000 });
      const impatient = new OpenAiLlm({
        apiKey: API_KEY,
        model: 'gpt-4.1-mini',
        baseURL: standIn.url,
        timeoutMs: 200,
      });

      // act
      const dropped = await llm.writeEmail(request()).catch((err: unknown) => err);
      const slow = await impatient.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(dropped).toBeInstanceOf(LlmUnavailableError);
      expect(slow).toBeInstanceOf(LlmUnavailableError);
      expect((slow as Error).message).toMatch(/timed out/i);
    });

    it('aborts a slow request when the signal fires, well before its own timeout', async () => {
      // arrange: OpenAI takes 3 s, the adapter's timeout is 2 s, the caller's deadline 100 ms.
      standIn.faults.enqueue({ delayMs: 3000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('deadline passed', 'TimeoutError')), 100);
      const started = performance.now();

      // act
      const error = await llm
        .writeEmail(request(), { signal: controller.signal })
        .catch((err: unknown) => err);

      // assert
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect((error as Error).message).toMatch(/aborted by the caller: deadline passed/);
      expect(isRetryable(error)).toBe(true);
      expect(elapsed).toBeLessThan(1500);
    });

    it('makes no request when the signal has already aborted', async () => {
      // arrange
      const signal = AbortSignal.abort(new DOMException('deadline passed', 'TimeoutError'));

      // act
      const error = await llm.writeEmail(request(), { signal }).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect(standIn.calls.count).toBe(0);
    });

    it('throws a PermanentError llm_bad_request when OpenAI answers 400', async () => {
      // arrange
      standIn.faults.enqueue({ status: 400 });

      // act
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({ name: 'LlmRequestError', reason: 'llm_bad_request', status: 400 });
    });

    it('throws a PermanentError llm_auth when the API key is wrong', async () => {
      // arrange
      const wrong = new OpenAiLlm({ apiKey: 'sk-wrong', model: 'gpt-4.1-mini', baseURL: standIn.url });

      // act
      const error = await wrong.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(LlmRequestError);
      expect(error).toMatchObject({ reason: 'llm_auth', status: 401, code: 'invalid_api_key' });
    });

    it('throws a PermanentError llm_quota when the account is out of quota (429 insufficient_quota)', async () => {
      // arrange
      standIn.faults.enqueue({
        status: 429,
        body: {
          error: {
            message: 'You exceeded your current quota.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          },
        },
      });

      // act
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toMatchObject({ name: 'LlmRequestError', reason: 'llm_quota' });
      expect(isRetryable(error)).toBe(false);
    });

    it.each([
      ['invalidJson', 'invalid_json'],
      ['schemaInvalid', 'schema_mismatch'],
      ['refusal', 'refusal'],
    ] as const)('throws an LlmOutputError when the answer is %s', async (mode, problem) => {
      // arrange
      standIn.mode = mode;

      // act
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(LlmOutputError);
      expect(error).toMatchObject({ name: 'LlmOutputError', problem, model: 'gpt-4.1-mini' });
      expect((error as LlmOutputError).usage?.promptTokens).toBeGreaterThan(0);
      expect(isRetryable(error)).toBe(false);
    });

    it('lists each schema problem on a schema mismatch', async () => {
      // arrange
      standIn.mode = 'schemaInvalid';

      // act
      const error = (await llm.writeEmail(request()).catch((err: unknown) => err)) as LlmOutputError;

      // assert
      expect(error.details).toEqual(
        expect.arrayContaining([expect.stringMatching(/^sections:/), expect.stringMatching(/^subject:/)]),
      );
    });
  });

  describe('Method: verifyItems', () => {
    const verifyRequest = (): VerifyRequest => ({
      locale: 'en',
      items: [
        { id: 's0i0', text: 'You can export reports to CSV.', issueKeys: ['ABC-1'] },
        { id: 's0i1', text: 'Logins no longer time out.', issueKeys: ['ABC-1'] },
      ],
      issues: request().issues,
    });

    it('returns a verdict per item, the model and the usage', async () => {
      // act
      const answer = await llm.verifyItems(verifyRequest());

      // assert
      expect(answer.verdicts).toEqual([
        { id: 's0i0', supported: true, reason: expect.any(String) },
        { id: 's0i1', supported: false, reason: expect.any(String) },
      ]);
      expect(answer.model).toBe('gpt-4.1-mini');
      expect(answer.usage.promptTokens).toBeGreaterThan(0);
    });

    it('sends the strict grounding_verdict format, the items and the cited issues as delimited data', async () => {
      // act
      await llm.verifyItems(verifyRequest());

      // assert
      const body = standIn.calls.last?.body as {
        response_format: { json_schema: { name: string; strict: boolean; schema: unknown } };
        messages: Array<{ role: string; content: string }>;
      };
      expect(body.response_format.json_schema).toEqual({
        name: VERIFIER_FORMAT_NAME,
        strict: true,
        schema: GROUNDING_VERDICT_JSON_SCHEMA,
      });
      expect(body.messages[0]?.content).toBe(VERIFIER_SYSTEM_PROMPT);
      expect(body.messages[1]?.content).toContain('<draft_items>\n[{"id":"s0i0"');
      expect(body.messages[1]?.content).toContain('"summary":"Export to CSV"');
    });

    it('does not use up a queued writer mode', async () => {
      // arrange
      standIn.enqueueModes('refusal');

      // act
      await llm.verifyItems(verifyRequest());
      const error = await llm.writeEmail(request()).catch((err: unknown) => err);

      // assert
      expect(error).toBeInstanceOf(LlmOutputError);
    });

    it('throws LlmOutputError when the verdict does not match its schema', async () => {
      // arrange: a completion whose content is JSON of the wrong shape.
      standIn.faults.enqueue({
        status: 200,
        body: {
          id: 'chatcmpl-x',
          object: 'chat.completion',
          created: 0,
          model: 'gpt-4.1-mini',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '{"items":"none"}', refusal: null },
              finish_reason: 'stop',
            },
          ],
        },
      });

      // act
      const error = (await llm.verifyItems(verifyRequest()).catch((err: unknown) => err)) as LlmOutputError;

      // assert
      expect(error).toBeInstanceOf(LlmOutputError);
      expect(error.problem).toBe('schema_mismatch');
      expect(error.message).toContain('does not match the verdict schema');
    });
  });
});

describe('Function: translateOpenAiError', () => {
  it('returns an APIUserAbortError unchanged when no signal of ours aborted', () => {
    // arrange
    const err = new APIUserAbortError();

    // act
    const translated = translateOpenAiError(err, 'chat.completions.create', {
      signal: new AbortController().signal,
    });

    // assert
    expect(translated).toBe(err);
  });

  it('makes an abort by our signal a retryable LlmUnavailableError naming the reason', () => {
    // arrange
    const err = new APIUserAbortError();
    const signal = AbortSignal.abort(new DOMException('compose deadline', 'TimeoutError'));

    // act
    const translated = translateOpenAiError(err, 'chat.completions.create', { signal });

    // assert
    expect(translated).toBeInstanceOf(LlmUnavailableError);
    expect((translated as Error).message).toBe(
      'OpenAI chat.completions.create aborted by the caller: compose deadline',
    );
    expect((translated as Error).cause).toBe(err);
  });
});

describe('Constant: LLM_EMAIL_JSON_SCHEMA', () => {
  it('is strict-mode ready: every object closed and fully required, no string length keywords', () => {
    // arrange
    const objects: Array<Record<string, unknown>> = [];
    const lengths: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        for (const item of node) walk(item);
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.type === 'object') objects.push(record);
      for (const key of Object.keys(record))
        if (key === 'minLength' || key === 'maxLength') lengths.push(key);
      for (const value of Object.values(record)) walk(value);
    };

    // act
    walk(LLM_EMAIL_JSON_SCHEMA);

    // assert
    expect(objects.length).toBe(3);
    for (const object of objects) {
      expect(object.additionalProperties).toBe(false);
      expect(object.required).toEqual(Object.keys(object.properties as object));
    }
    expect(lengths).toEqual([]);
  });
});
