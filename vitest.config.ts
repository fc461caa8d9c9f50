import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stack -- --full` (scripts/testStack.ts) sets this: the stack project then also runs
 * the larger scenario of test/stack/full.
 */
const fullStackScenario = process.env.HERALD_STACK_FULL === '1';

export default defineConfig({
  test: {
    // Under CI also write a JSON report: .ci/run prints its totals as the closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/test-results.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // CDK synthesis of the whole stack takes seconds, more on a busy 2-core machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Starts one emulator (moto, installed into .venv on first use, ~40 s) for the whole
          // run, or uses AWS_ENDPOINT_URL when set.
          globalSetup: ['test/e2e/globalSetup.ts'],
          // Suites share that emulator and its long polls: one file at a time, one worker.
          fileParallelism: false,
          maxWorkers: 1,
          // Suites wait on visibility timeouts, long polls and scheduler ticks (seconds each).
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'stack',
          include: ['test/stack/*.test.ts', ...(fullStackScenario ? ['test/stack/full/*.test.ts'] : [])],
          environment: 'node',
          // Installs ministack into .venv-ministack on first use and builds the bundles.
          globalSetup: ['test/stack/globalSetup.ts'],
          // After the other projects, not beside them: its ministack, Lambda workers and cdk synth
          // would load the 2-core CI machine while e2e tests time handlers and scheduler ticks.
          sequence: { groupOrder: 1 },
          // Each suite starts its own ministack and waits on its Scheduler: one at a time.
          fileParallelism: false,
          maxWorkers: 1,
          // Waits for the emulator's Scheduler (minutes) and a synth + deploy (about a minute).
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
