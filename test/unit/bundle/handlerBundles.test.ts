import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { findHandlerEntries, handlerBuildOptions } from '#scripts/bundle/handlerBuildOptions';
import { bundledInputs, packageOf } from '#scripts/bundle/packageBytes';
import { REPO_ROOT } from '#test/factories/bundle';
import { FUNCTION_NAMES } from '../../../infra/functionNames.ts';

/**
 * The packages a handler may carry only where it needs them: the one stage that calls each.
 * - openai: compose writes the email with the LLM (and nothing else calls it).
 * - nodemailer: send builds the MIME message it hands SES (SendEmail Raw).
 * - jira.js: enrich re-reads the version and project; compose re-reads the version and the
 *   release's issues. No other stage talks to Jira.
 */
const ONLY_IN: Record<string, readonly string[]> = {
  openai: ['compose'],
  nodemailer: ['send'],
  'jira.js': ['compose', 'enrich'],
};

/**
 * Packages no handler needs at all: the browser user-agent parser, pino's worker-thread
 * transport, the AWS credential links after the environment (their STS/SSO clients and profile
 * readers; see scripts/bundle/leftOutModules.ts), and the local tooling's mail parser.
 */
const NEVER = [
  'bowser',
  'thread-stream',
  '@aws-sdk/nested-clients',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
  'mailparser',
];

describe('Function: handlerBuildOptions (the handler bundles, from real esbuild metafiles)', () => {
  const metafiles = new Map<string, Metafile>();

  beforeAll(async () => {
    for (const entry of await findHandlerEntries(REPO_ROOT)) {
      const result = await build({
        ...handlerBuildOptions(entry, `dist/${entry.name}/index.mjs`),
        absWorkingDir: REPO_ROOT,
        write: false,
        sourcemap: false,
        logLevel: 'silent',
      });
      if (!result.metafile) throw new Error(`no metafile for ${entry.name}`);
      metafiles.set(entry.name, result.metafile);
    }
  }, 180_000);

  const packagesOf = (name: string): Set<string> => {
    const metafile = metafiles.get(name);
    if (!metafile) throw new Error(`no bundle for ${name}`);
    return new Set(bundledInputs(metafile).map(packageOf));
  };

  it('bundles one handler per function of the stack (infra FUNCTION_NAMES)', () => {
    // Assert
    expect([...metafiles.keys()].sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(Object.entries(ONLY_IN))('carries %s only in the handlers that call it (%j)', (pkg, owners) => {
    // Act
    const carriers = [...metafiles.keys()].filter((name) => packagesOf(name).has(pkg));

    // Assert
    expect(carriers).toEqual([...owners].sort());
  });

  it('carries none of the packages no handler needs', () => {
    // Act
    const found = [...metafiles.keys()].flatMap((name) =>
      NEVER.filter((pkg) => packagesOf(name).has(pkg)).map((pkg) => `${name}: ${pkg}`),
    );

    // Assert
    expect(found).toEqual([]);
  });

  it("keeps zod's English messages only, not its other locales (a named `z` import keeps them all)", () => {
    // Act
    const locales = [...metafiles].flatMap(([name, metafile]) =>
      bundledInputs(metafile)
        .filter((input) => /node_modules\/zod\/.*locales\//.test(input))
        .map((input) => `${name}: ${input.replace(/.*locales\//, '')}`),
    );

    // Assert
    expect(locales.length).toBe(metafiles.size);
    expect(locales.every((line) => line.endsWith(': en.js'))).toBe(true);
  });

  it("bundles each AWS client's package.json as its name and version only", () => {
    // Act
    const manifests = [...metafiles.values()].flatMap((metafile) =>
      Object.entries(metafile.inputs).filter(([input]) =>
        /@aws-sdk\/client-[^/]+\/package\.json$/.test(input),
      ),
    );

    // Assert
    expect(manifests.length).toBeGreaterThanOrEqual(metafiles.size);
    for (const [, { bytes }] of manifests) expect(bytes).toBeLessThan(100);
  });

  it("keeps only the SES v2 schemas send's one command needs (computed keys written as literals)", () => {
    // Act
    const schemas = metafiles.get('send')?.outputs;
    const bytes = Object.values(schemas ?? {})
      .flatMap((output) => Object.entries(output.inputs))
      .filter(([input]) => input.endsWith('@aws-sdk/client-sesv2/dist-es/schemas/schemas_0.js'))
      .map(([, { bytesInOutput }]) => bytesInOutput);

    // Assert: all of them (every SES v2 operation) are about 49 KiB.
    expect(bytes).toHaveLength(1);
    expect(bytes[0]).toBeLessThan(10_000);
  });

  it('takes the AWS SDK from its ES module builds, bundled (not the CommonJS dist-cjs)', () => {
    // Act
    const cjs = [...metafiles].flatMap(([name, metafile]) =>
      bundledInputs(metafile)
        .filter((input) => /node_modules\/@(aws-sdk|smithy)\/[^/]+\/dist-cjs\//.test(input))
        .map((input) => `${name}: ${input}`),
    );

    // Assert
    for (const name of metafiles.keys()) expect(packagesOf(name).has('@aws-sdk/core')).toBe(true);
    expect(cjs).toEqual([]);
  });
});
