import { run } from '#local/childProcess';
import { REPO_ROOT } from '#local/Emulator';
import { ensureMinistackInstalled } from '#local/Ministack';

/**
 * Prepares the deployed-stack run once: installs the pinned ministack into .venv-ministack on
 * first use and builds the function bundles (`npm run build`, dist/) that `cdk synth` packages.
 * Each suite starts its own ministack (see StackUnderTest).
 */
export const setup = async (): Promise<void> => {
  await ensureMinistackInstalled();
  await run(process.execPath, ['scripts/build.ts'], REPO_ROOT);
};
