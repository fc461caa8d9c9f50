import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type MetricName, type MetricsPort, metricDimensions } from './MetricsPort.ts';

/** Options of {@link EmfMetrics}. */
export interface EmfMetricsOptions {
  /** Stage (or function) name: the `stage` dimension. */
  stage: string;
  /** `HERALD_ENV`: the `environment` dimension. */
  env: string;
  /**
   * The Powertools instance. Default one on {@link METRICS_NAMESPACE} with the dimensions of
   * `metricDimensions(stage, env)`, writing EMF lines to stdout.
   */
  metrics?: Metrics;
}

/**
 * {@link MetricsPort} as CloudWatch Embedded Metric Format lines on stdout, through Powertools for
 * AWS Lambda (TypeScript) Metrics: Lambda sends stdout to CloudWatch Logs, and CloudWatch turns
 * each EMF line into metric data points, with no API call from the function. `POWERTOOLS_METRICS_DISABLED=true`
 * turns the output off (the local stack sets it).
 */
export class EmfMetrics implements MetricsPort {
  readonly #metrics: Metrics;

  constructor(options: EmfMetricsOptions) {
    const { service, ...dimensions } = metricDimensions(options.stage, options.env);
    this.#metrics =
      options.metrics ??
      new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service, defaultDimensions: dimensions });
  }

  count(name: MetricName, value = 1): void {
    if (value > 0) this.#metrics.addMetric(name, MetricUnit.Count, value);
  }

  flush(): void {
    // Powertools warns on an empty flush; a batch whose records were all deferred counts nothing.
    if (this.#metrics.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
  }
}
