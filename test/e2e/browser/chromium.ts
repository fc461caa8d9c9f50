import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The browser the tests drive: `HERALD_CHROMIUM`, else {@link DEFAULT_CHROMIUM}. */
export const chromiumPath = (): string => process.env.HERALD_CHROMIUM || DEFAULT_CHROMIUM;

/** A launched browser, or why there is none (the tests skip with that reason, outside CI). */
export type ChromiumLaunch =
  | { browser: Browser; missing?: undefined }
  | { browser?: undefined; missing: string };

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Launches the system's headless Chromium through playwright-core (which never downloads a
 * browser). When none is installed at {@link chromiumPath}: locally, resolves `missing` (the
 * tests say so and skip); under CI (`CI=true`, where `.ci/run` installs it), throws, so a
 * missing browser fails the run instead of passing it silently.
 */
export const launchChromium = async (): Promise<ChromiumLaunch> => {
  const path = chromiumPath();
  if (!isExecutable(path)) {
    const missing = `no Chromium at ${path}: install Debian's chromium (apt-get install chromium) or set HERALD_CHROMIUM`;
    if (process.env.CI === 'true' || process.env.CI === '1')
      throw new Error(`browser tests cannot run: ${missing}`);
    // Said once per file, whatever the reporter shows of a skip's note.
    process.stderr.write(`browser tests skipped: ${missing}\n`);
    return { missing };
  }
  // Root (CI, containers) cannot use Chromium's sandbox.
  const browser = await chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox'] });
  return { browser };
};
