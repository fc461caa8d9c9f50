import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPLICATION_ALLOWANCE_SECONDS } from '#shared/regionRole';
import { resourceName, topology } from '#topology/topology';
import {
  countByType,
  resourcesOf,
  SYNTH_TIMEOUT_MS,
  type SynthesisedApp,
  synthApp,
  TEST_ACCOUNT,
} from './synthApp.ts';

const PRIMARY = 'eu-west-1';
const STANDBY = 'eu-central-1';

let synthesised: SynthesisedApp;
let primary: Template;
let standby: Template;

beforeAll(() => {
  synthesised = synthApp({ envName: 'prod', regions: `${PRIMARY},${STANDBY}` });
  [primary, standby] = synthesised.templates as [Template, Template];
}, SYNTH_TIMEOUT_MS);

describe('Function: buildApp with a standby region', () => {
  it('creates one stack per region, the standby deployed after the primary', () => {
    const [p, s] = synthesised.stacks;
    expect(synthesised.stacks).toHaveLength(2);
    expect([p?.region, s?.region]).toEqual([PRIMARY, STANDBY]);
    expect(p?.stackName).toBe(s?.stackName);
    expect(s?.dependencies).toEqual([p]);
  });

  it('replicates the primary tables and secrets to the standby region', () => {
    for (const table of Object.values(resourcesOf(primary, 'AWS::DynamoDB::GlobalTable'))) {
      const regions = (table.Properties.Replicas as { Region: string }[]).map((r) => r.Region).sort();
      expect(regions).toEqual([PRIMARY, STANDBY].sort());
    }
    for (const secret of Object.values(resourcesOf(primary, 'AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.ReplicaRegions).toEqual([{ Region: STANDBY }]);
    }
  });

  it('gives the standby the whole pipeline but no tables or secrets of its own', () => {
    const counts = countByType(standby);
    expect(counts['AWS::DynamoDB::GlobalTable']).toBeUndefined();
    expect(counts['AWS::SecretsManager::Secret']).toBeUndefined();
    const {
      'AWS::DynamoDB::GlobalTable': _t,
      'AWS::SecretsManager::Secret': _s,
      ...rest
    } = countByType(primary);
    expect(counts).toEqual(rest);
  });

  it('points the standby functions at the local replicas by name', () => {
    const policies = JSON.stringify(resourcesOf(standby, 'AWS::IAM::Policy'));
    const directory = resourceName(topology.tables.directory, 'prod');
    const secret = resourceName(topology.secrets.jiraApiToken, 'prod');
    expect(policies).toContain(`:dynamodb:${STANDBY}:${TEST_ACCOUNT}:table/${directory}`);
    expect(policies).toContain(`:secretsmanager:${STANDBY}:${TEST_ACCOUNT}:secret:${secret}-??????`);
  });

  it('makes the primary the home region of compose and send in both regions', () => {
    for (const template of [primary, standby]) {
      for (const name of ['compose', 'send']) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: resourceName(name, 'prod'),
          Environment: { Variables: Match.objectLike({ HERALD_HOME_REGION: PRIMARY }) },
        });
      }
    }
  });

  it('alarms in each region when the ledger replicates to the other slower than the replication allowance', () => {
    const ledger = resourceName(topology.tables.ledger, 'prod');
    for (const [template, receiving] of [
      [primary, STANDBY],
      [standby, PRIMARY],
    ] as const) {
      const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties.MetricName === 'ReplicationLatency',
      );
      expect(alarms).toHaveLength(1);
      expect(alarms[0]?.Properties).toMatchObject({
        AlarmName: `${ledger}-replication-to-${receiving}`,
        Namespace: 'AWS/DynamoDB',
        Statistic: 'Maximum',
        Threshold: REPLICATION_ALLOWANCE_SECONDS * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarms[0]?.Properties.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'TableName', Value: ledger },
          { Name: 'ReceivingRegion', Value: receiving },
        ]),
      );
      const topicId = Object.keys(resourcesOf(template, 'AWS::SNS::Topic'))[0];
      expect(alarms[0]?.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('passes the cdk-nag AwsSolutions checks in both regions', () => {
    expect(new AwsSolutionsChecks().validateScope(synthesised.app).violations).toEqual([]);
  });
});
