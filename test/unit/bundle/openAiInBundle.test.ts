import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type * as OpenAiLlmModule from '#adapters/llm/OpenAiLlm';
import type * as IsRetryableModule from '#retry/isRetryable';
import { bundledInputs } from '#scripts/bundle/packageBytes';
import { bundleAndImport, type ImportedBundle } from '#test/factories/bundle';
import { emailRequestOf } from '#test/factories/emailRequest';
import { type OpenAiStandIn, startOpenAiStandIn } from '#test/standins/OpenAiStandIn';

const API_KEY = 'sk-test-key';

/** An entry exposing what compose's handler uses of the OpenAI client, for a bundle of its own. */
const ENTRY = [
  "export { OpenAiLlm } from './pipeline/adapters/llm/OpenAiLlm.ts';",
  "export { isRetryable } from './pipeline/retry/isRetryable.ts';",
].join('\n');

const request = emailRequestOf({
  locale: 'en',
  issues: [{ key: 'ABC-1', summary: 'Export to CSV', issueType: 'Story', status: 'Done' }],
});

describe('Function: handlerBuildOptions (the OpenAI client with its unused parts left out)', () => {
  let standIn: OpenAiStandIn;
  let bundle: ImportedBundle<typeof OpenAiLlmModule & typeof IsRetryableModule>;
  let bundled: typeof OpenAiLlmModule & typeof IsRetryableModule;
  let inputs: string[];

  beforeAll(async () => {
    bundle = await bundleAndImport(ENTRY);
    bundled = bundle.module;
    inputs = bundledInputs(bundle.metafile);
    standIn = await startOpenAiStandIn({ apiKey: API_KEY });
  }, 60_000);

  afterEach(() => {
    standIn.reset();
  });

  afterAll(async () => {
    await standIn?.close();
    await bundle?.remove();
  });

  it('bundles the chat completions resource and leaves the other API resources out', () => {
    // Assert
    expect(inputs).toContain('node_modules/openai/resources/chat/completions/completions.mjs');
    expect(inputs.filter((input) => /openai\/resources\/(admin|beta|files|responses)\//.test(input))).toEqual(
      [],
    );
  });

  it('writes an email through chat.completions.create', async () => {
    // Arrange
    const llm = new bundled.OpenAiLlm({ apiKey: API_KEY, model: 'gpt-4.1-mini', baseURL: standIn.url });

    // Act
    const answer = await llm.writeEmail(request);

    // Assert
    expect(answer.email.sections.flatMap((s) => s.items.flatMap((i) => i.issueKeys))).toEqual(['ABC-1']);
    expect(answer.model).toBe('gpt-4.1-mini');
    expect(standIn.calls.last?.issueKeys).toEqual(['ABC-1']);
  });

  it('still classifies a 429 from OpenAI as retryable (error class names kept through minification)', async () => {
    // Arrange
    const llm = new bundled.OpenAiLlm({ apiKey: API_KEY, model: 'gpt-4.1-mini', baseURL: standIn.url });
    standIn.faults.enqueue({ status: 429, retryAfterSeconds: 2 });

    // Act
    const error = await llm.writeEmail(request).catch((err: unknown) => err);

    // Assert
    expect(error).toMatchObject({ name: 'LlmUnavailableError', status: 429, retryAfterSeconds: 2 });
    expect(bundled.isRetryable(error)).toBe(true);
    expect(standIn.calls.count).toBe(1);
  });
});
