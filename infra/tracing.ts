/**
 * How the functions' OpenTelemetry spans reach AWS X-Ray: the AWS Distro for OpenTelemetry (ADOT)
 * Lambda layer for JavaScript registers the OpenTelemetry SDK (tracer provider, context manager,
 * W3C and X-Ray propagators) before the handler loads, so the spans the bundled
 * `@opentelemetry/api` starts (#shared/tracing) are exported; Lambda active tracing runs the X-Ray
 * daemon the layer sends them to. The bundles carry no SDK: tracing adds no handler bytes.
 */

/** AWS's account that publishes the ADOT JavaScript layer in every commercial region. */
export const ADOT_LAYER_ACCOUNT = '615299751070';

/** Name of the ADOT JavaScript layer (one layer for x86_64 and arm64). */
export const ADOT_LAYER_NAME = 'AWSOpenTelemetryDistroJs';

/**
 * The layer version the stack uses unless `-c adotLayerArn=…` names another. Layer versions are
 * per region: check https://aws-otel.github.io/docs/getting-started/lambda for your region, and
 * that the layer's `@opentelemetry/api` is at least the bundled one (an older global API is
 * ignored by a newer bundled API, and every span is then a no-op).
 */
export const ADOT_LAYER_VERSION = 16;

/** The ADOT JavaScript layer's ARN in `region` at {@link ADOT_LAYER_VERSION}. */
export const adotLayerArn = (region: string, version: number = ADOT_LAYER_VERSION): string =>
  `arn:aws:lambda:${region}:${ADOT_LAYER_ACCOUNT}:layer:${ADOT_LAYER_NAME}:${version}`;

/**
 * Variables the ADOT layer reads (not pipeline/shared/config.ts): its start-up wrapper, which
 * registers the SDK and then loads `index.handler`.
 */
export const TRACING_ENVIRONMENT = { AWS_LAMBDA_EXEC_WRAPPER: '/opt/otel-instrument' } as const;

/** What active tracing needs on the role (X-Ray has no resource type for them: `*`). */
export const XRAY_WRITE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;
