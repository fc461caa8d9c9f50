import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { run } from '#local/childProcess';
import { REPO_ROOT } from '#local/Emulator';
import { type LocalClientConfig, localClientConfig } from '#local/localAwsConfig';
import { StackDeployError } from './errors.ts';
import { zipDirectory } from './zipDirectory.ts';

/** The account ministack answers for with non-numeric access keys (its default). */
export const STACK_TEST_ACCOUNT = '000000000000';

/**
 * Runs `cdk synth` (the CDK CLI of node_modules on the running Node) into `outDir` with `context`
 * on top of cdk.json's: what `npm run synth` does, with an operator's `-c key=value` settings.
 * Needs the bundles of `npm run build` in dist/.
 */
export const synthStack = async (outDir: string, context: Record<string, string>): Promise<void> => {
  const args = [join(REPO_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet', '-o', outDir];
  for (const [key, value] of Object.entries(context)) args.push('-c', `${key}=${value}`);
  await run(process.execPath, args, REPO_ROOT);
};

interface ManifestArtifact {
  type: string;
  properties?: {
    file?: string;
    templateFile?: string;
    stackName?: string;
    stackTemplateAssetObjectUrl?: string;
    requiresBootstrapStackVersion?: number;
    bootstrapStackVersionSsmParameter?: string;
  };
}

interface FileAsset {
  source: { path: string; packaging?: 'zip' | 'file' };
  destinations: Record<string, { bucketName: string; objectKey: string }>;
}

/** The deployed stack as CloudFormation describes it. */
export interface DeployedStack {
  stackName: string;
  /** `Outputs`, by key. */
  outputs: Record<string, string>;
  /** Resources CloudFormation created. */
  resourceCount: number;
  /** Wall time of publishing and CreateStack until CREATE_COMPLETE, milliseconds. */
  deployMs: number;
}

/** Options of {@link deployCloudAssembly}. */
export interface DeployOptions {
  /** Emulator endpoint. */
  endpoint: string;
  /** The `cdk synth` output directory. */
  assemblyDir: string;
  region: string;
  /** How long to wait for CREATE_COMPLETE, milliseconds. Default 600000. */
  timeoutMs?: number;
}

/** The asset manifest's placeholders `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}`, resolved. */
const resolvePlaceholders = (text: string, region: string): string => {
  const values: Record<string, string> = { AccountId: STACK_TEST_ACCOUNT, Region: region, Partition: 'aws' };
  return text.replace(/\$\{AWS::(AccountId|Region|Partition)\}/g, (_, name: string) => values[name] ?? name);
};

/**
 * What `cdk bootstrap` leaves behind that `cdk deploy` of this stack reads: the file asset bucket
 * and the SSM parameter holding the bootstrap stack's version.
 */
const bootstrap = async (
  config: LocalClientConfig,
  bucket: string,
  version: { parameter: string; value: number },
): Promise<void> => {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const exists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await new SSMClient(config).send(
    new PutParameterCommand({
      Name: version.parameter,
      Value: String(version.value),
      Type: 'String',
      Overwrite: true,
    }),
  );
};

/** Uploads every file asset of the asset manifest as `cdk-assets` does (directories zipped). */
const publishAssets = async (config: LocalClientConfig, assemblyDir: string, manifestFile: string) => {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const manifest = JSON.parse(await readFile(join(assemblyDir, manifestFile), 'utf8')) as {
    files?: Record<string, FileAsset>;
  };
  const buckets = new Set<string>();
  for (const asset of Object.values(manifest.files ?? {})) {
    const path = join(assemblyDir, asset.source.path);
    const isDir = (await stat(path)).isDirectory();
    if (isDir && asset.source.packaging !== 'zip')
      throw new StackDeployError(`asset ${path} is a directory but not zip`);
    const body = isDir ? await zipDirectory(path) : await readFile(path);
    for (const destination of Object.values(asset.destinations)) {
      const bucket = resolvePlaceholders(destination.bucketName, config.region);
      buckets.add(bucket);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: destination.objectKey, Body: body }));
    }
  }
  return buckets;
};

const describe = async (cfn: CloudFormationClient, stackName: string): Promise<Stack> => {
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = Stacks?.[0];
  if (!stack) throw new StackDeployError(`stack ${stackName} not found`, { stackName });
  return stack;
};

const failureReasons = async (cfn: CloudFormationClient, stackName: string): Promise<string> => {
  const { StackEvents } = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
  return (StackEvents ?? [])
    .filter((e) => e.ResourceStatus?.endsWith('_FAILED'))
    .map((e) => `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason}`)
    .join('\n');
};

/**
 * Deploys the one stack of a cloud assembly the way `cdk deploy` does with the default
 * synthesizer: the file assets (the bundles and the template itself) go to the bootstrap bucket
 * named in the asset manifest, the bootstrap version parameter is set, and CloudFormation creates
 * the stack from the template's S3 URL (it is over the 51,200-byte TemplateBody limit) with the
 * IAM capabilities. Resolves when the stack is CREATE_COMPLETE.
 * @throws {StackDeployError} naming every failed resource and its reason when the stack does not complete.
 */
export const deployCloudAssembly = async (options: DeployOptions): Promise<DeployedStack> => {
  const started = Date.now();
  const config = localClientConfig(options.endpoint, options.region);
  const manifest = JSON.parse(await readFile(join(options.assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, ManifestArtifact>;
  };
  const artifacts = Object.values(manifest.artifacts);
  const stacks = artifacts.filter((a) => a.type === 'aws:cloudformation:stack');
  const assets = artifacts.find((a) => a.type === 'cdk:asset-manifest');
  const stackProps = stacks[0]?.properties;
  if (stacks.length !== 1 || !stackProps?.stackName || !stackProps.stackTemplateAssetObjectUrl || !assets) {
    throw new StackDeployError(`expected one stack with an asset manifest in ${options.assemblyDir}`);
  }
  const templateUrl = new URL(resolvePlaceholders(stackProps.stackTemplateAssetObjectUrl, options.region));
  await bootstrap(config, templateUrl.host, {
    parameter: stackProps.bootstrapStackVersionSsmParameter ?? '/cdk-bootstrap/hnb659fds/version',
    value: stackProps.requiresBootstrapStackVersion ?? 6,
  });
  await publishAssets(config, options.assemblyDir, assets.properties?.file ?? '');

  const cfn = new CloudFormationClient(config);
  const stackName = stackProps.stackName;
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      // Path style, as cdk deploy builds it from the s3:// location.
      TemplateURL: `https://s3.${options.region}.amazonaws.com/${templateUrl.host}${templateUrl.pathname}`,
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    }),
  );
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const stack = await describe(cfn, stackName);
    const status = stack.StackStatus ?? '';
    if (status === 'CREATE_COMPLETE') {
      const outputs = Object.fromEntries(
        (stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
      );
      const template = JSON.parse(
        await readFile(join(options.assemblyDir, stackProps.templateFile ?? ''), 'utf8'),
      ) as { Resources: Record<string, unknown> };
      return {
        stackName,
        outputs,
        resourceCount: Object.keys(template.Resources).length,
        deployMs: Date.now() - started,
      };
    }
    if (!status.endsWith('_IN_PROGRESS')) {
      throw new StackDeployError(
        `stack ${stackName} ended ${status}:\n${await failureReasons(cfn, stackName)}`,
        {
          stackName,
        },
      );
    }
    if (Date.now() > deadline) {
      throw new StackDeployError(`stack ${stackName} still ${status} after the timeout`, { stackName });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
