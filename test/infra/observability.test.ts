import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES, METRICS_NAMESPACE } from '#adapters/metrics/MetricsPort';
import { queueName, resourceName, STAGES, topology } from '#topology/topology';
import { FUNCTION_NAMES } from '../../infra/functionNames.ts';
import { infraSettings } from '../../infra/settings.ts';
import { adotLayerArn, TRACING_ENVIRONMENT, XRAY_WRITE_ACTIONS } from '../../infra/tracing.ts';
import { flatten, resourcesOf, SYNTH_TIMEOUT_MS, synthApp } from './synthApp.ts';

const ENV = 'prod';
const REGION = 'eu-west-1';

type Resource = { Properties: Record<string, unknown> };
/** One `metrics` row of a dashboard graph: namespace, name, dimension pairs, then options. */
type MetricRow = (string | Record<string, unknown>)[];
interface Widget {
  properties: { title: string; metrics?: MetricRow[] };
}

let template: Template;
let widgets: Widget[];
let dashboard: Resource;

/** Logical id of the queue named `name`. */
const queueId = (name: string): string => {
  const ids = Object.entries(resourcesOf(template, 'AWS::SQS::Queue'))
    .filter(([, r]) => r.Properties.QueueName === name)
    .map(([id]) => id);
  expect(ids, name).toHaveLength(1);
  return ids[0] as string;
};

/** A graph's metric: namespace, name and dimensions (CloudFormation sorts the dimension pairs). */
interface GraphMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** The metrics of the graph titled `title`, without their options. */
const rowsOf = (title: string): GraphMetric[] => {
  const widget = widgets.find((w) => w.properties.title === title);
  expect(widget, title).toBeDefined();
  return (widget?.properties.metrics ?? []).map((row) => {
    const [namespace = '', name = '', ...pairs] = row.filter(
      (part): part is string => typeof part === 'string',
    );
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
    return { namespace, name, dimensions };
  });
};

/** The SQS metrics `metric` of each queue in `names`. */
const sqsRows = (metric: string, names: readonly string[]): GraphMetric[] =>
  names.map((name) => ({
    namespace: 'AWS/SQS',
    name: metric,
    dimensions: { QueueName: `<${queueId(name)}.QueueName>` },
  }));

const heraldRow = (metric: string, stage: string): GraphMetric => ({
  namespace: METRICS_NAMESPACE,
  name: metric,
  dimensions: { service: 'release-herald', environment: ENV, stage },
});

beforeAll(() => {
  const synthesised = synthApp({ envName: ENV, regions: REGION });
  template = synthesised.templates[0] as Template;
  const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  dashboard = dashboards[0] as Resource;
  widgets = (JSON.parse(flatten(dashboard.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
}, SYNTH_TIMEOUT_MS);

describe('Function: HeraldStack (observability)', () => {
  describe('dashboard', () => {
    it('is named after the environment and the region (dashboards are global to an account)', () => {
      expect(dashboard.Properties.DashboardName).toBe(
        `${resourceName(infraSettings.dashboardName, ENV)}-${REGION}`,
      );
    });

    it.each([
      ['Records processed', METRIC_NAMES.recordsProcessed],
      ['Records failed (retried)', METRIC_NAMES.recordsFailed],
      ['Records rescheduled', METRIC_NAMES.recordsRescheduled],
      ['Records dead-lettered', METRIC_NAMES.recordsDeadLettered],
    ])('draws %s per stage from the EMF metrics the runner writes', (title, metric) => {
      expect(rowsOf(title)).toEqual(STAGES.map((stage) => heraldRow(metric, stage)));
    });

    it("draws the send stage's emails and the compose stage's LLM tokens", () => {
      expect(rowsOf('Emails sent')).toEqual([heraldRow(METRIC_NAMES.emailsSent, 'send')]);
      expect(rowsOf('LLM tokens')).toEqual([
        heraldRow(METRIC_NAMES.llmPromptTokens, 'compose'),
        heraldRow(METRIC_NAMES.llmCompletionTokens, 'compose'),
      ]);
    });

    it('draws the depth and the oldest message of every DLQ, the stages’, the ingest rule’s and the feedback one', () => {
      const dlqs = [
        ...STAGES.map((s) => queueName(s, 'dlq', ENV)),
        resourceName(topology.rule.deadLetterQueue, ENV),
        resourceName(topology.feedback.deadLetterQueue, ENV),
      ];
      expect(rowsOf('DLQ depth (messages)')).toEqual(sqsRows('ApproximateNumberOfMessagesVisible', dlqs));
      expect(rowsOf('Oldest message in a DLQ (s)')).toEqual(sqsRows('ApproximateAgeOfOldestMessage', dlqs));
    });

    it('draws the age of the oldest message of every stage queue and reschedule queue', () => {
      expect(rowsOf('Oldest message on a stage queue (s)')).toEqual(
        sqsRows(
          'ApproximateAgeOfOldestMessage',
          STAGES.map((s) => queueName(s, 'main', ENV)),
        ),
      );
      expect(rowsOf('Oldest message on a reschedule queue (s)')).toEqual(
        sqsRows(
          'ApproximateAgeOfOldestMessage',
          STAGES.map((s) => queueName(s, 'reschedule', ENV)),
        ),
      );
    });
  });

  describe('tracing', () => {
    const functions = () => Object.values(resourcesOf(template, 'AWS::Lambda::Function'));

    it('runs every function with active tracing, the ADOT layer of its region and the layer’s wrapper', () => {
      expect(functions()).toHaveLength(FUNCTION_NAMES.length);
      for (const fn of functions()) {
        const name = fn.Properties.FunctionName;
        expect(fn.Properties.TracingConfig, String(name)).toEqual({ Mode: 'Active' });
        expect(fn.Properties.Layers, String(name)).toEqual([adotLayerArn(REGION)]);
        const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
        expect(variables, String(name)).toMatchObject(TRACING_ENVIRONMENT);
      }
    });

    it("lets every function's role write to X-Ray", () => {
      for (const fn of functions()) {
        const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
        const actions = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
          .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
          .flatMap(
            (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
          )
          .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
        expect(actions, String(fn.Properties.FunctionName)).toEqual(
          expect.arrayContaining([...XRAY_WRITE_ACTIONS]),
        );
      }
    });

    it('takes another layer ARN from the context, and leaves tracing off when told to', () => {
      const arn = 'arn:aws:lambda:eu-west-1:615299751070:layer:AWSOpenTelemetryDistroJs:9';
      const other = synthApp({ envName: ENV, regions: REGION, adotLayerArn: arn }).templates[0] as Template;
      const off = synthApp({ envName: ENV, regions: REGION, tracing: 'false' }).templates[0] as Template;

      for (const fn of Object.values(resourcesOf(other, 'AWS::Lambda::Function'))) {
        expect(fn.Properties.Layers).toEqual([arn]);
      }
      for (const fn of Object.values(resourcesOf(off, 'AWS::Lambda::Function'))) {
        expect(fn.Properties.TracingConfig).toBeUndefined();
        expect(fn.Properties.Layers).toBeUndefined();
        const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
        expect(Object.keys(variables)).not.toContain('AWS_LAMBDA_EXEC_WRAPPER');
      }
    });
  });
});
