import { defineConfig } from 'vitest/config';

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
    ],
  },
});
