import type { TestProject } from 'vitest/node';
import { connectOrStart } from '#local/Emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the emulator every e2e suite shares (`inject('awsEndpoint')`). */
    awsEndpoint: string;
  }
}

/**
 * Starts the emulator once for the e2e run: the one at `AWS_ENDPOINT_URL` when set (LocalStack,
 * a moto already running), else moto on a free loopback port, installed into `.venv` on first
 * use. Suites read its endpoint with `inject('awsEndpoint')`; it also goes into
 * `HERALD_E2E_AWS_ENDPOINT` for code outside vitest's context. Stopped at teardown.
 */
export const setup = async (project: TestProject): Promise<() => Promise<void>> => {
  const emulator = await connectOrStart({ whenNoEndpoint: 'start-moto' });
  project.provide('awsEndpoint', emulator.endpoint);
  process.env.HERALD_E2E_AWS_ENDPOINT = emulator.endpoint;
  return () => emulator.stop();
};
