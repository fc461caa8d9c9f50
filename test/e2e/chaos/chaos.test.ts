import { describe, expect, inject, it } from 'vitest';
import { formatChaosReport, runChaos } from '#bench/runChaos';
import { STAGES } from '#topology/topology';

describe('Function: runChaos', () => {
  it('sends every email exactly once and leaves every DLQ empty when Jira, OpenAI and SES fail, SES answers are lost after acceptance, webhooks repeat and the runtime is killed between SES and the ledger', async () => {
    // Arrange: 5 releases × 2 points × 3 recipients, faults on 20% of calls (12% of SendEmail
    // answers lost after SES accepted the email), one SIGKILL between SES's acceptance of an
    // email and the ledger's record of it. An SES fault before acceptance, and the killed
    // worker's claims, wait for the 60 s send lease, so the run takes 1.5-3 minutes.
    const options = {
      endpoint: inject('awsEndpoint'),
      releases: 5,
      points: 2,
      recipients: 3,
      faultRate: 0.2,
      seed: 7,
      kills: ['ses-accepted'] as const,
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
    // The ambiguous path ran: answers lost after acceptance, and emails settled from SES's events
    // (at least the one the kill left between SES and the ledger) instead of being sent again.
    expect(report.faults.ses.answersLost, context).toBeGreaterThan(0);
    expect(report.ambiguous.resolved, context).toBeGreaterThan(0);
    expect(report.ambiguous.eventsPublished, context).toBeGreaterThanOrEqual(2 * report.sent);
    expect(report.webhooks.lateDuplicates, context).toBe(1);
    expect(report.ok, context).toBe(true);
  }, 360_000);
});
