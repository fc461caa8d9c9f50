import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TRACING_ENVIRONMENT, XRAY_WRITE_ACTIONS } from '../tracing.ts';

/** Memory and timeout of a function. */
export interface FunctionSettings {
  /** Memory, MiB. */
  readonly memoryMb: number;
  /** Timeout, seconds. */
  readonly timeoutSeconds: number;
}

/** Options of {@link HeraldFunction}. */
export interface HeraldFunctionProps {
  /** Physical function name (`resourceName(name, env)`). */
  readonly functionName: string;
  /** What the console shows. */
  readonly description: string;
  /** The bundle (`dist/<name>`), or inline code in tests. */
  readonly code: lambda.Code;
  readonly settings: FunctionSettings;
  /** Environment variables (pipeline/shared/config.ts names). */
  readonly environment: Record<string, string>;
  /** Days the log group keeps events. */
  readonly logRetentionDays: number;
  /** Asynchronous invocations: DLQ for events that still fail after {@link retryAttempts}. */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Asynchronous invocations: retries, 0..2. Default Lambda's (2). */
  readonly retryAttempts?: number;
}

/**
 * One Lambda function of release-herald: Node.js 24 on arm64 running the esbuild bundle's
 * `index.handler`, with its own log group (fixed retention) and its own role whose only
 * permissions are writing that log group plus what {@link HeraldFunction.allow} adds; no AWS
 * managed policy is attached.
 */
export class HeraldFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HeraldFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    // The log group ARN attribute ends in `:*`, which covers its streams: no wider grant needed.
    this.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);
    this.fn = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      memorySize: props.settings.memoryMb,
      timeout: Duration.seconds(props.settings.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
    });
  }

  /**
   * Sends the function's OpenTelemetry spans to X-Ray: the ADOT layer and its wrapper
   * ({@link TRACING_ENVIRONMENT}), Lambda active tracing, and the X-Ray write actions on the role.
   */
  enableTracing(adotLayer: lambda.ILayerVersion): void {
    this.fn.addLayers(adotLayer);
    for (const [name, value] of Object.entries(TRACING_ENVIRONMENT)) this.fn.addEnvironment(name, value);
    (this.fn.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
    this.allow(XRAY_WRITE_ACTIONS, ['*']);
  }

  /** Adds one allow statement to the function's role. */
  allow(
    actions: readonly string[],
    resources: readonly string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [...resources], conditions }),
    );
  }
}

const retentionDays = (days: number): logs.RetentionDays => {
  const allowed = Object.values(logs.RetentionDays).filter(
    (v): v is logs.RetentionDays => typeof v === 'number',
  );
  const match = allowed.find((v) => v === days);
  if (match === undefined) throw new Error(`log retention ${days} days is not one CloudWatch Logs offers`);
  return match;
};
