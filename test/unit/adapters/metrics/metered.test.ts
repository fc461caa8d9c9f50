import { describe, expect, it } from 'vitest';
import { LlmOutputError, LlmUnavailableError } from '#adapters/llm/errors';
import type { EmailAnswer, EmailRequest, LlmPort, VerifyAnswer, VerifyRequest } from '#adapters/llm/LlmPort';
import type { MailerPort, OutgoingEmail } from '#adapters/mailer/MailerPort';
import { METRIC_NAMES } from '#adapters/metrics/MetricsPort';
import { meteredLlm } from '#adapters/metrics/meteredLlm';
import { meteredMailer } from '#adapters/metrics/meteredMailer';
import { recordingMetrics } from '#test/factories/recordingMetrics';

const request = {} as EmailRequest;
const answer = { model: 'gpt-test', usage: { promptTokens: 1200, completionTokens: 300 } } as EmailAnswer;
const verdicts = { verdicts: [], model: 'gpt-test', usage: { promptTokens: 50, completionTokens: 7 } };

describe('Function: meteredLlm', () => {
  it('counts the tokens of every answer, and of an answer the adapter rejected', async () => {
    // Arrange
    const metrics = recordingMetrics();
    let calls = 0;
    const llm: LlmPort = {
      writeEmail: async () => {
        calls += 1;
        if (calls === 2) {
          throw new LlmOutputError('schema_mismatch', 'bad answer', {
            usage: { promptTokens: 1000, completionTokens: 100 },
          });
        }
        return answer;
      },
      verifyItems: async (_request: VerifyRequest): Promise<VerifyAnswer> => verdicts,
    };
    const metered = meteredLlm(llm, metrics);

    // Act
    const first = await metered.writeEmail(request);
    const second = await metered.writeEmail(request).catch((err: unknown) => err);
    await metered.verifyItems?.({ locale: 'en', items: [], issues: [] });

    // Assert
    expect(first).toBe(answer);
    expect(second).toBeInstanceOf(LlmOutputError);
    expect(metrics.total(METRIC_NAMES.llmPromptTokens)).toBe(1200 + 1000 + 50);
    expect(metrics.total(METRIC_NAMES.llmCompletionTokens)).toBe(300 + 100 + 7);
  });

  it('counts nothing for a call that never got an answer, and keeps an LLM without a verifier so', async () => {
    // Arrange
    const metrics = recordingMetrics();
    const llm: LlmPort = {
      writeEmail: async () => {
        throw new LlmUnavailableError('openai down', { status: 503 });
      },
    };
    const metered = meteredLlm(llm, metrics);

    // Act
    const error = await metered.writeEmail(request).catch((err: unknown) => err);

    // Assert
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(metrics.counts).toEqual([]);
    expect(metered.verifyItems).toBeUndefined();
  });
});

describe('Function: meteredMailer', () => {
  it('counts each email the provider accepted and none it refused', async () => {
    // Arrange
    const metrics = recordingMetrics();
    let sends = 0;
    const mailer: MailerPort = {
      send: async () => {
        sends += 1;
        if (sends === 2) throw new Error('MessageRejected');
        return { messageId: `m-${sends}` };
      },
    };
    const metered = meteredMailer(mailer, metrics);
    const email = {} as OutgoingEmail;

    // Act
    const first = await metered.send(email);
    const refused = await metered.send(email).catch((err: unknown) => err);
    await metered.send(email);

    // Assert
    expect(first).toEqual({ messageId: 'm-1' });
    expect(refused).toBeInstanceOf(Error);
    expect(metrics.total(METRIC_NAMES.emailsSent)).toBe(2);
  });
});
