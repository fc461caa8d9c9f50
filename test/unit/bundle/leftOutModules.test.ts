import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LeftOutModule, leftOutModules } from '#scripts/bundle/leftOutModules';

/** A package whose `run` needs its `./feature.js` only when asked to. */
const FAKE_PACKAGE = {
  'node_modules/fake/package.json': JSON.stringify({ name: 'fake', type: 'module', main: 'index.js' }),
  'node_modules/fake/index.js':
    "import { feature } from './feature.js';\nexport const run = (useFeature) => (useFeature ? feature() : 'plain');\n",
  'node_modules/fake/feature.js': "export const feature = () => 'feature ran';\n",
  'entry.js': "export { run } from 'fake';\n",
};

const FEATURE: LeftOutModule = {
  specifier: './feature.js',
  importer: /[\\/]node_modules[\\/]fake[\\/]index\.js$/,
  exports: ['feature'],
  why: 'no caller asks for the feature',
};

describe('Function: leftOutModules', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-left-out-'));
    for (const [path, text] of Object.entries(FAKE_PACKAGE)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const bundle = (modules: readonly LeftOutModule[]) =>
    build({
      entryPoints: ['entry.js'],
      absWorkingDir: dir,
      outfile: 'out.mjs',
      bundle: true,
      platform: 'node',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      plugins: [leftOutModules(modules)],
    });

  it('replaces a listed module by a stub that throws, naming it and why, only when reached', async () => {
    // Act
    const { metafile } = await bundle([FEATURE]);
    const { run } = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as {
      run: (useFeature: boolean) => string;
    };

    // Assert
    expect(Object.keys(metafile?.inputs ?? {})).not.toContain('node_modules/fake/feature.js');
    expect(run(false)).toBe('plain');
    expect(() => run(true)).toThrow(
      'feature: ./feature.js is left out of this handler bundle: no caller asks for the feature (scripts/bundle/leftOutModules.ts)',
    );
  });

  it('bundles the module as usual for an importer the table does not name', async () => {
    // Act
    await bundle([{ ...FEATURE, importer: /[\\/]node_modules[\\/]other[\\/]index\.js$/ }]);
    const { run } = (await import(pathToFileURL(join(dir, 'out.mjs')).href)) as {
      run: (useFeature: boolean) => string;
    };

    // Assert
    expect(run(true)).toBe('feature ran');
  });

  it('fails the build when a listed importer is bundled but no longer imports the listed specifier', async () => {
    // Act
    const built = bundle([{ ...FEATURE, specifier: './renamed-feature.js' }]);

    // Assert
    await expect(built).rejects.toThrow(
      './renamed-feature.js is no longer imported as listed (importer /[\\\\/]node_modules[\\\\/]fake[\\\\/]index\\.js$/): update scripts/bundle/leftOutModules.ts',
    );
  });
});
