import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { type StageTopology, topology } from '#topology/topology';
import { readAppContext, stackNameOf } from '../../infra/appContext.ts';
import { StageQueues } from '../../infra/constructs/StageQueues.ts';
import { assertRequestTimeoutFits } from '../../infra/requestTimeouts.ts';
import { type SendConcurrencyOptions, sendConcurrency } from '../../infra/sendConcurrency.ts';

/** {@link sendConcurrency}'s input with a batch of 10 and a 30 s timeout unless given. */
const limits = (
  given: Pick<SendConcurrencyOptions, 'maxSendRatePerSecond' | 'stageMaxConcurrency'> &
    Partial<SendConcurrencyOptions>,
): SendConcurrencyOptions => ({ batchSize: 10, timeoutSeconds: 30, ...given });

describe('Function: sendConcurrency', () => {
  it('keeps the configured ceiling when the rate allows it and splits the rate among instances', () => {
    const result = sendConcurrency(limits({ maxSendRatePerSecond: 14, stageMaxConcurrency: 2 }));

    expect(result).toEqual({ maxConcurrency: 2, perInstanceRatePerSecond: 7, batchSize: 10 });
  });

  it('lowers concurrency when each instance would otherwise be too slow to send a batch in time', () => {
    // 10 emails in 15 s needs 2/3 email/s per instance: 4 emails/s serves at most 6 instances.
    const result = sendConcurrency(limits({ maxSendRatePerSecond: 4, stageMaxConcurrency: 50 }));

    expect(result.maxConcurrency).toBe(6);
    expect(result.maxConcurrency * result.perInstanceRatePerSecond).toBeCloseTo(4);
  });

  it('caps concurrency at the event source maximum of 1000', () => {
    const result = sendConcurrency(
      limits({ maxSendRatePerSecond: 100_000, stageMaxConcurrency: 5000, batchSize: 1 }),
    );

    expect(result.maxConcurrency).toBe(1000);
  });

  it('lowers the batch for a sandbox rate that cannot serve two instances with the configured batch', () => {
    // 1 email/s over 2 instances is 0.5/s each: 7 emails fit in half of a 30 s timeout, 10 do not.
    const result = sendConcurrency(limits({ maxSendRatePerSecond: 1, stageMaxConcurrency: 5 }));

    expect(result).toEqual({ maxConcurrency: 2, perInstanceRatePerSecond: 0.5, batchSize: 7 });
    expect(result.batchSize / result.perInstanceRatePerSecond).toBeLessThanOrEqual(15);
  });

  it('throws when the rate cannot give two instances even one email each per timeout share', () => {
    expect(() =>
      sendConcurrency({
        maxSendRatePerSecond: 0.1,
        stageMaxConcurrency: 5,
        batchSize: 10,
        timeoutSeconds: 30,
      }),
    ).toThrow(/SES send rate 0.1 emails\/s cannot serve 2 concurrent send invocations of even 1 email/);
  });

  it('throws on a rate that is not positive', () => {
    expect(() =>
      sendConcurrency({ maxSendRatePerSecond: 0, stageMaxConcurrency: 5, batchSize: 10, timeoutSeconds: 30 }),
    ).toThrow(/must be positive/);
  });
});

describe('Function: assertRequestTimeoutFits', () => {
  it('accepts a request timeout of up to half the function timeout', () => {
    expect(() =>
      assertRequestTimeoutFits({
        functionName: 'compose',
        variable: 'OPENAI_TIMEOUT_MS',
        requestTimeoutMs: 60_000,
        functionTimeoutSeconds: 120,
      }),
    ).not.toThrow();
  });

  it('refuses a request timeout longer than half the function timeout, naming both', () => {
    expect(() =>
      assertRequestTimeoutFits({
        functionName: 'enrich',
        variable: 'JIRA_TIMEOUT_MS',
        requestTimeoutMs: 30_001,
        functionTimeoutSeconds: 60,
      }),
    ).toThrow(
      /enrich: JIRA_TIMEOUT_MS 30001 ms exceeds half the function timeout \(60 s, so at most 30000 ms\)/,
    );
  });
});

describe('Function: StageQueues', () => {
  it('refuses a visibility timeout shorter than 6 times the function timeout', () => {
    const stage: StageTopology = { ...topology.stages.ingest, visibilityTimeoutSeconds: 60 };
    const stack = new Stack(new App(), 'S');

    expect(
      () =>
        new StageQueues(stack, 'Q', {
          stage,
          envName: '',
          rescheduleVisibilitySeconds: 180,
          rescheduleMaxReceiveCount: 10,
        }),
    ).toThrow(/visibility timeout 60 s must be at least 6 × the function timeout \(30 s\)/);
  });

  it('refuses a reschedule redrive count that the main queue has already used up', () => {
    const stack = new Stack(new App(), 'S');

    expect(
      () =>
        new StageQueues(stack, 'Q', {
          stage: topology.stages.ingest,
          envName: '',
          rescheduleVisibilitySeconds: 180,
          rescheduleMaxReceiveCount: topology.stages.ingest.retry.maxReceiveCount,
        }),
    ).toThrow(/must exceed the main queue's \(5\): where SQS keeps the receive count across a redrive/);
  });
});

describe('Function: readAppContext', () => {
  const base = {
    senderEmail: 'releases@example.com',
    jiraSiteUrl: 'https://example.atlassian.net',
    jiraEmail: 'bot@example.com',
  };
  const from = (values: Record<string, unknown>) => (key: string) => values[key];

  it('applies defaults: no environment name, us-east-1, retained data, real code', () => {
    const context = readAppContext(from(base));

    expect(context).toMatchObject({
      envName: '',
      regions: ['us-east-1'],
      retainData: true,
      placeholderCode: false,
    });
  });

  it('reads -c strings: comma-separated regions, boolean flags, numbers', () => {
    const context = readAppContext(
      from({
        ...base,
        regions: 'eu-west-1, eu-central-1',
        retainData: 'false',
        jiraMaxIssues: '200',
        jiraTimeoutMs: '15000',
        alarmEmail: '',
      }),
    );

    expect(context).toMatchObject({
      regions: ['eu-west-1', 'eu-central-1'],
      retainData: false,
      jiraMaxIssues: 200,
      jiraTimeoutMs: 15_000,
      alarmEmail: undefined,
    });
  });

  it('names every bad key in one error', () => {
    expect(() =>
      readAppContext(from({ ...base, senderEmail: 'nope', regions: 'mars-1', envName: 'Prod!' })),
    ).toThrow(
      /-c envName: .*; -c regions.0: must be an AWS region.*; -c senderEmail: must be an email address/,
    );
  });

  it('refuses a region given twice', () => {
    expect(() => readAppContext(from({ ...base, regions: 'eu-west-1,eu-west-1' }))).toThrow(
      /must not repeat a region/,
    );
  });

  it('names the stack after the prefix and environment', () => {
    expect(stackNameOf('herald', '')).toBe('herald');
    expect(stackNameOf('herald', 'prod')).toBe('herald-prod');
  });
});
