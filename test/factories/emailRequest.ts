import type { EmailRequest } from '#adapters/llm/LlmPort';

/** An email request for Acme Portal v2.4, 7 days before its 2030-03-14 release, in German, with two Done issues. */
export const emailRequestOf = (overrides: Partial<EmailRequest> = {}): EmailRequest => ({
  projectName: 'Acme Portal',
  versionName: 'v2.4',
  releaseDate: '2030-03-14',
  pointKind: 'before',
  daysBefore: 7,
  locale: 'de-DE',
  issues: [
    { key: 'ABC-1', summary: 'Export to CSV', issueType: 'Story', status: 'Done' },
    { key: 'ABC-2', summary: 'Fix login timeout', issueType: 'Bug', status: 'Done' },
  ],
  ...overrides,
});
