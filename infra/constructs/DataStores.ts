import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { resourceName, topology } from '#topology/topology';

/** Keys of `topology.secrets`. */
export type SecretKey = keyof typeof topology.secrets;

/** Options of {@link DataStores}. */
export interface DataStoresProps {
  /** Environment name in resource names; empty for none. */
  readonly envName: string;
  /**
   * `owner`: this stack creates the tables (global tables, replicated to `replicaRegions`) and the
   * secrets (replicated likewise). `replica`: another region's stack owns them; this stack only
   * refers to the local replicas by name.
   */
  readonly mode: 'owner' | 'replica';
  /** Regions the owner replicates tables and secrets to. Empty for one region. */
  readonly replicaRegions: readonly string[];
  /** Keep tables and secrets when the stack is deleted, and protect tables from deletion. */
  readonly retainData: boolean;
}

/** Name and ARN of one data resource. */
export interface NamedArn {
  readonly name: string;
  readonly arn: string;
}

/**
 * DynamoDB tables (on demand, point-in-time recovery, TTL on the ledger) and the Secrets Manager
 * secrets, created empty: their values are put by the operator (docs/DEPLOY.md), never by code
 * or template. Tables are DynamoDB global tables (AWS::DynamoDB::GlobalTable) even in one region
 * so that adding a standby region later is a replica, not a table replacement.
 */
export class DataStores extends Construct {
  /** Contacts, send policy, opt-outs: pk (S) + sk (S). */
  readonly directory: NamedArn;
  /** Idempotency ledger: pk (S), TTL `expiresAt`. */
  readonly ledger: NamedArn;
  /** Each secret of `topology.secrets`. */
  readonly secrets: Record<SecretKey, NamedArn>;

  constructor(scope: Construct, id: string, props: DataStoresProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const tableArn = (name: string) =>
      stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: name });
    const names = {
      directory: resourceName(topology.tables.directory, props.envName),
      ledger: resourceName(topology.tables.ledger, props.envName),
    };
    const secretKeys = Object.keys(topology.secrets) as SecretKey[];

    if (props.mode === 'replica') {
      this.directory = { name: names.directory, arn: tableArn(names.directory) };
      this.ledger = { name: names.ledger, arn: tableArn(names.ledger) };
      const secrets = {} as Record<SecretKey, NamedArn>;
      for (const key of secretKeys) {
        const name = resourceName(topology.secrets[key], props.envName);
        // A replica keeps its primary's name; the 6 characters are Secrets Manager's random suffix.
        const arn = stack.formatArn({
          service: 'secretsmanager',
          resource: 'secret',
          resourceName: `${name}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
        secrets[key] = { name, arn };
      }
      this.secrets = secrets;
      return;
    }

    const common = {
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.retainData,
      removalPolicy,
      replicas: props.replicaRegions.map((region) => ({ region })),
    } satisfies Partial<dynamodb.TablePropsV2>;
    const directory = new dynamodb.TableV2(this, 'Directory', {
      ...common,
      tableName: names.directory,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    });
    const ledger = new dynamodb.TableV2(this, 'Ledger', {
      ...common,
      tableName: names.ledger,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });
    this.directory = { name: names.directory, arn: directory.tableArn };
    this.ledger = { name: names.ledger, arn: ledger.tableArn };

    const secrets = {} as Record<SecretKey, NamedArn>;
    for (const key of secretKeys) {
      const name = resourceName(topology.secrets[key], props.envName);
      // The L1 resource on purpose: the L2 Secret always generates a value, and these start empty.
      const secret = new secretsmanager.CfnSecret(this, `Secret-${key}`, {
        name,
        description: `release-herald ${topology.secrets[key]}; value put by the operator (docs/DEPLOY.md)`,
        replicaRegions: props.replicaRegions.length
          ? props.replicaRegions.map((region) => ({ region }))
          : undefined,
      });
      secret.applyRemovalPolicy(removalPolicy);
      secrets[key] = { name, arn: secret.ref };
    }
    this.secrets = secrets;
  }
}
