import type { VersionRecord } from '#ops/jira/readVersionRecord';

/**
 * The `Shop 2.0` version (id 10001) of project 10000 (`SHOP`), unreleased, due on 2030-03-10, as
 * the ops commands read it from Jira; `overrides` replace single fields.
 */
export const shopVersion = (overrides: Partial<VersionRecord> = {}): VersionRecord => ({
  id: '10001',
  name: 'Shop 2.0',
  releaseDate: '2030-03-10',
  released: false,
  archived: false,
  projectId: '10000',
  ...overrides,
});
