import { UNKNOWN_ISSUE_KEY } from '#test/standins/OpenAiStandIn';
import { defineCases } from '../types.ts';
import { plainIssues } from './jira.ts';

/** The model misbehaving. Every case must still end in one safe email per contact. */
export const llmCases = defineCases([
  {
    name: 'llm-cites-unknown-keys',
    category: 'llm',
    about: 'the model cites an issue key that is not in the release, twice (retry with feedback)',
    input: { kind: 'release', llm: { mode: 'citeUnknownKeys' } },
    expect: { kind: 'email', source: 'template', invisible: [UNKNOWN_ISSUE_KEY], minIssueLinks: 3 },
  },
  {
    name: 'llm-invalid-json',
    category: 'llm',
    about: 'the model answers JSON cut off mid-string',
    input: { kind: 'release', llm: { mode: 'invalidJson' } },
    expect: { kind: 'email', source: 'template', minIssueLinks: 3 },
  },
  {
    name: 'llm-schema-invalid',
    category: 'llm',
    about: 'the model answers JSON that breaks the email schema',
    input: { kind: 'release', llm: { mode: 'schemaInvalid' } },
    expect: { kind: 'email', source: 'template', minIssueLinks: 3 },
  },
  {
    name: 'llm-refusal',
    category: 'llm',
    about: 'the model refuses to write',
    input: { kind: 'release', llm: { mode: 'refusal' } },
    expect: { kind: 'email', source: 'template', minIssueLinks: 3 },
  },
  {
    name: 'llm-request-rejected',
    category: 'llm',
    about: 'the API rejects the request with 400 (a permanent refusal)',
    input: { kind: 'release', llm: { status: 400 } },
    expect: { kind: 'email', source: 'template', minIssueLinks: 3 },
  },
  {
    name: 'llm-echo-clean',
    category: 'llm',
    about: 'the model echoes plain summaries verbatim (the echo path without hostile text)',
    input: {
      kind: 'release',
      llm: { mode: 'echoInjection' },
      issues: ({ projectKey }) => plainIssues(projectKey, 4),
    },
    expect: { kind: 'email', source: 'llm', visible: ['Plain change 4'], minIssueLinks: 4, maxIssueLinks: 4 },
  },
  {
    name: 'llm-cites-unknown-with-markup',
    category: 'llm',
    about:
      'the model cites an unknown key for a release whose summaries hold markup; the template takes over',
    input: {
      kind: 'release',
      llm: { mode: 'citeUnknownKeys' },
      issues: ({ projectKey }) => [
        { key: `${projectKey}-1`, summary: '<iframe src="https://evil.example">' },
      ],
    },
    expect: {
      kind: 'email',
      source: 'template',
      hostile: ['<iframe src="https://evil.example">'],
      invisible: [UNKNOWN_ISSUE_KEY],
    },
  },
]);
