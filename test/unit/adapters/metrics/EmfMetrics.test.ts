import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from '#adapters/metrics/EmfMetrics';
import { METRIC_NAMES, METRICS_NAMESPACE } from '#adapters/metrics/MetricsPort';

/** The JSON lines written to stdout while `fn` runs. */
const stdoutLines = (fn: () => void): Record<string, unknown>[] => {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Class: EmfMetrics', () => {
  it('writes one Embedded Metric Format line per flush with the namespace, dimensions and counts', () => {
    // Arrange
    const metrics = new EmfMetrics({ stage: 'send', env: 'dev' });

    // Act
    const lines = stdoutLines(() => {
      metrics.count(METRIC_NAMES.emailsSent);
      metrics.count(METRIC_NAMES.emailsSent);
      metrics.count(METRIC_NAMES.recordsProcessed, 2);
      metrics.flush();
    });

    // Assert
    expect(lines).toHaveLength(1);
    const [line] = lines as [Record<string, unknown>];
    const aws = line._aws as { CloudWatchMetrics: Array<Record<string, unknown>> };
    expect(aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [expect.arrayContaining(['service', 'environment', 'stage'])],
        Metrics: expect.arrayContaining([
          { Name: 'EmailsSent', Unit: 'Count' },
          { Name: 'RecordsProcessed', Unit: 'Count' },
        ]),
      },
    ]);
    expect((aws.CloudWatchMetrics[0] as { Dimensions: string[][] }).Dimensions[0]).toHaveLength(3);
    expect(line).toMatchObject({
      service: 'release-herald',
      environment: 'dev',
      stage: 'send',
      EmailsSent: [1, 1],
      RecordsProcessed: 2,
    });
  });

  it('writes nothing for a batch that counted nothing, and starts afresh after a flush', () => {
    // Arrange
    const metrics = new EmfMetrics({ stage: 'ingest', env: '' });

    // Act
    const empty = stdoutLines(() => metrics.flush());
    const next = stdoutLines(() => {
      metrics.count(METRIC_NAMES.recordsFailed);
      metrics.flush();
      metrics.flush();
    });

    // Assert
    expect(empty).toEqual([]);
    expect(next).toHaveLength(1);
    expect(next[0]).toMatchObject({ environment: 'default', stage: 'ingest', RecordsFailed: 1 });
  });

  it('ignores counts of zero (an answer without token usage)', () => {
    // Arrange
    const metrics = new EmfMetrics({ stage: 'compose', env: 'dev' });

    // Act
    const lines = stdoutLines(() => {
      metrics.count(METRIC_NAMES.llmPromptTokens, 0);
      metrics.flush();
    });

    // Assert
    expect(lines).toEqual([]);
  });
});
