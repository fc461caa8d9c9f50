import type { MetricName, MetricsPort } from '#adapters/metrics/MetricsPort';

/** A {@link MetricsPort} that keeps every count and flush, for assertions. */
export interface RecordingMetrics extends MetricsPort {
  /** Counts added since the start, by metric, in order. */
  readonly counts: Array<{ name: MetricName; value: number }>;
  /** How many times `flush` ran. */
  readonly flushes: number;
  /** The sum of the counts of `name`. */
  total(name: MetricName): number;
}

/** A fresh {@link RecordingMetrics}. */
export const recordingMetrics = (): RecordingMetrics => {
  const counts: Array<{ name: MetricName; value: number }> = [];
  let flushes = 0;
  return {
    counts,
    get flushes() {
      return flushes;
    },
    count: (name, value = 1) => {
      counts.push({ name, value });
    },
    flush: () => {
      flushes += 1;
    },
    total: (name) => counts.filter((c) => c.name === name).reduce((sum, c) => sum + c.value, 0),
  };
};
