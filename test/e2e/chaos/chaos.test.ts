import { describe, expect, inject, it } from 'vitest';
import { formatChaosReport, runChaos } from '#bench/runChaos';
import { STAGES } from '#topology/topology';

describe('Function: runChaos', () => {
  it('sends every email exactly once and leaves every DLQ empty when Jira, OpenAI and SES fail, webhooks repeat and the runtime is killed mid-send', async () => {
    // Arrange: 5 releases × 2 points × 3 recipients, faults on 20% of calls, one SIGKILL while sending.
    // Each SES 5xx or dropped connection holds that email for the 60 s send lease (SES may have
    // taken it), so the run takes 1.5-3 minutes depending on how those faults fall.
    const options = {
      endpoint: inject('awsEndpoint'),
      releases: 5,
      points: 2,
      recipients: 3,
      faultRate: 0.2,
      seed: 7,
      kills: ['sending'] as const,
      duplicateRate: 0.4,
      lateDuplicates: 1,
      timeoutMs: 300_000,
    };

    // Act
    const report = await runChaos(options);

    // Assert
    const context = formatChaosReport(report);
    expect(report.expected, context).toBe(30);
    expect(report.duplicates, context).toBe(0);
    expect(report.missing, context).toBe(0);
    expect(report.unexpected, context).toBe(0);
    expect(report.sent, context).toBe(30);
    expect(Object.fromEntries(STAGES.map((s) => [s, report.dlq[s]])), context).toEqual(
      Object.fromEntries(STAGES.map((s) => [s, 0])),
    );
    expect(report.kills, context).toHaveLength(1);
    expect(report.faults.jira.faults, context).toBeGreaterThan(0);
    expect(report.faults.openai.faults, context).toBeGreaterThan(0);
    expect(report.faults.ses.faults, context).toBeGreaterThan(0);
    expect(report.webhooks.lateDuplicates, context).toBe(1);
    expect(report.ok, context).toBe(true);
  }, 360_000);
});
