import { LOCAL_AWS_REGION, LOCAL_CREDENTIALS } from '#local/localAwsConfig';
import { UsageError } from './errors.ts';
import type { OpsEnvironment } from './opsEnvironment.ts';

/** How the CLI's AWS SDK clients are configured, after flags and environment are combined. */
export interface AwsSettings {
  /** Region; undefined lets the SDK read it from the profile. */
  region: string | undefined;
  /** Named profile of the shared config and credentials files. */
  profile: string | undefined;
  /** Endpoint of every AWS call (an emulator); undefined means AWS itself. */
  endpoint: string | undefined;
  /**
   * Dummy credentials for an emulator on loopback when none are given (moto and LocalStack do
   * not check them); undefined means the SDK's default credential chain.
   */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/** The global flags that override the environment. */
export interface AwsFlags {
  region?: string | undefined;
  profile?: string | undefined;
  endpoint?: string | undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True for an http(s) URL on this machine (127.0.0.1, localhost, ::1). */
export const isLoopbackUrl = (url: string): boolean => {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * Combines flags and environment the way the AWS CLI does: `--region` over `AWS_REGION` (over
 * the profile's region; us-east-1 when there is no profile either), `--profile` over
 * `AWS_PROFILE`, `--endpoint` over `AWS_ENDPOINT_URL`. An endpoint on loopback with no profile
 * and no `AWS_ACCESS_KEY_ID` gets the emulator's dummy credentials.
 * @throws UsageError for a malformed region or endpoint.
 */
export const resolveAwsSettings = (flags: AwsFlags, env: OpsEnvironment['aws']): AwsSettings => {
  const profile = flags.profile ?? env.profile;
  const region = flags.region ?? env.region ?? (profile === undefined ? LOCAL_AWS_REGION : undefined);
  if (region !== undefined && !REGION.test(region)) {
    throw new UsageError(`region "${region}" is not an AWS region name such as eu-central-1`);
  }
  const endpoint = flags.endpoint ?? env.endpoint;
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`endpoint "${endpoint}" is not a URL such as http://127.0.0.1:5000`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`endpoint "${endpoint}" must be an http or https URL`);
    }
  }
  const local =
    endpoint !== undefined && isLoopbackUrl(endpoint) && profile === undefined && !env.hasAccessKey;
  return { region, profile, endpoint, credentials: local ? { ...LOCAL_CREDENTIALS } : undefined };
};

/** Configuration for any AWS SDK v3 client: `new SQSClient(awsClientConfig(settings))`. */
export const awsClientConfig = (
  settings: AwsSettings,
): {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
} => ({
  ...(settings.region !== undefined ? { region: settings.region } : {}),
  ...(settings.profile !== undefined ? { profile: settings.profile } : {}),
  ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
  ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
});
