import { describe, expect, it } from 'vitest';
import { consoleLine } from '#local/consoleLine';

const err = {
  type: 'JiraUnavailableError',
  message: 'Jira answered 503',
  stack: 'JiraUnavailableError: …\n    at x',
};

describe('Function: consoleLine', () => {
  it('says when a failed record is tried again', () => {
    // Act
    const printed = consoleLine({
      level: 40,
      stage: 'enrich',
      key: '20951:jira:version_created:1',
      msg: 'record_failed',
      err,
      receiveCount: 2,
      visibilityTimeoutSeconds: 8,
    });

    // Assert
    expect(printed).toEqual({
      stage: 'enrich',
      line: '✗ 20951:jira:version_created:1: JiraUnavailableError: Jira answered 503 → retry in 8s (receive 2)',
    });
  });

  it('says when a rescheduled record comes back, or that it will be dead-lettered when no reschedule is left', () => {
    // Act
    const later = consoleLine({
      level: 40,
      stage: 'compose',
      key: 'k-1',
      msg: 'record_rescheduled',
      err,
      reason: 'max_receives:5',
      rescheduleInSeconds: 300,
    });
    const last = consoleLine({ level: 40, stage: 'compose', key: 'k-1', msg: 'record_rescheduled', err });

    // Assert
    expect(later?.line).toBe(
      '✗ k-1: max_receives:5 (JiraUnavailableError: Jira answered 503) → rescheduled in 5m',
    );
    expect(last?.line).toBe(
      '✗ k-1: JiraUnavailableError: Jira answered 503 → rescheduled, then dead-lettered (no reschedule left): fix and `herald dlq redrive compose`',
    );
  });

  it('names the redrive command of the stage for a dead-lettered record, from the runner or the rescheduler', () => {
    // Act
    const runner = consoleLine({
      level: 50,
      stage: 'ingest',
      messageId: 'm-1',
      msg: 'record_dead_lettered',
      reason: 'contract:eventbridge.jira_event',
      err: { type: 'ContractError', message: 'contract:eventbridge.jira_event broken' },
    });
    const rescheduler = consoleLine({
      level: 50,
      stage: 'send',
      msg: 'record_dead_lettered',
      reason: 'retries_exhausted',
      lastError: 'SesThrottled: slow down',
    });

    // Assert: a reason the error message already starts with is not said twice.
    expect(runner?.line).toBe(
      '✗ m-1: ContractError: contract:eventbridge.jira_event broken → dead-lettered: fix and `herald dlq redrive ingest`',
    );
    expect(rescheduler?.line).toBe(
      '✗ record: retries_exhausted (SesThrottled: slow down) → dead-lettered: fix and `herald dlq redrive send`',
    );
  });

  it('keeps a long or multi-line reason to one short line', () => {
    // Act
    const printed = consoleLine({
      level: 40,
      stage: 'send',
      key: 'k',
      msg: 'record_failed',
      err: { type: 'Error', message: `first line\nsecond line ${'x'.repeat(500)}` },
      visibilityTimeoutSeconds: 2,
    });

    // Assert
    expect(printed?.line).not.toContain('\n');
    expect(printed?.line).toMatch(/^✗ k: Error: first line second line x+… → retry in 2s$/);
    expect(printed?.line.length).toBeLessThan(200);
  });

  it('prints other errors with their event and leaves info and warnings to the log file', () => {
    // Act
    const error = consoleLine({ level: 50, stage: 'send', msg: 'dead_letter_failed', err });
    const info = consoleLine({ level: 30, stage: 'send', msg: 'email_sent' });
    const warning = consoleLine({ level: 40, stage: 'send', msg: 'routed_delete_failed', err });

    // Assert
    expect(error).toEqual({
      stage: 'send',
      line: '✗ dead_letter_failed: JiraUnavailableError: Jira answered 503 (see the log)',
    });
    expect(info).toBeUndefined();
    expect(warning).toBeUndefined();
  });
});
