import type { StandInIssue } from '#test/standins/JiraStandIn';
import { defineCases } from '../types.ts';

/** `count` plain issues of the case's project. */
export const plainIssues = (projectKey: string, count = 3): StandInIssue[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `${projectKey}-${i + 1}`,
    summary: `Plain change ${i + 1}`,
    issueType: i % 2 === 0 ? 'Story' : 'Bug',
  }));

/** An ADF document `depth` blockquotes deep around one paragraph. */
const deepAdf = (depth: number, text: string): Record<string, unknown> => {
  let node: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text }] };
  for (let i = 0; i < depth; i++) node = { type: 'blockquote', content: [node] };
  return { type: 'doc', version: 1, content: [node] };
};

/** Jira answers with huge, odd or broken fields. */
export const jiraCases = defineCases([
  {
    name: 'jira-project-unknown',
    category: 'jira',
    about: 'the webhook names a project Jira does not know (404)',
    input: { kind: 'release', project: false },
    expect: { kind: 'dlq', stage: 'enrich', reason: /^permanent:jira_not_found$/ },
  },
  {
    name: 'jira-version-name-number',
    category: 'jira',
    about: 'Jira answers the version with a number for its name',
    input: { kind: 'release', version: { name: 42 } },
    expect: { kind: 'dlq', stage: 'enrich', reason: /^permanent:jira_bad_response$/ },
  },
  {
    name: 'jira-version-answer-html',
    category: 'jira',
    about: 'Jira answers the version read with an HTML page as a JSON string',
    input: {
      kind: 'release',
      versionAnswer: {
        from: 'enrich',
        body: '<html><body><h1>Maintenance</h1><script>x()</script></body></html>',
      },
    },
    expect: { kind: 'dlq', stage: 'enrich', reason: /^permanent:jira_bad_response$/ },
  },
  {
    name: 'jira-version-date-odd-format',
    category: 'jira',
    about: 'Jira answers the release date as 31/12/2030',
    input: {
      kind: 'release',
      versionAnswer: {
        from: 'enrich',
        body: { id: '0', name: 'Odd date', releaseDate: '31/12/2030', released: false, archived: false },
      },
    },
    expect: { kind: 'dlq', stage: 'enrich', reason: /^permanent:jira_bad_response$/ },
  },
  {
    name: 'jira-version-broken-at-fire',
    category: 'jira',
    about: 'the version reads fine when scheduled, then Jira answers it with nulls when the point fires',
    input: {
      kind: 'release',
      versionAnswer: { from: 'compose', body: { id: null, name: null, releaseDate: null } },
    },
    expect: { kind: 'dlq', stage: 'compose', reason: /^permanent:jira_bad_response$/ },
  },
  {
    name: 'jira-version-name-huge',
    category: 'jira',
    about: 'a 20,000-character version name and a 1 MB description',
    input: {
      kind: 'release',
      version: { name: `Huge ${'W'.repeat(20_000)}`, description: 'D'.repeat(1_000_000) },
    },
    expect: { kind: 'email', source: 'llm', invisible: ['W'.repeat(300), 'D'.repeat(100)] },
  },
  {
    name: 'jira-issue-summary-huge',
    category: 'jira',
    about: 'an issue summary of 100,000 characters and a 200,000-character description',
    input: {
      kind: 'release',
      llm: { mode: 'echoInjection' },
      issues: ({ projectKey }) => [
        { key: `${projectKey}-1`, summary: `Long ${'S'.repeat(100_000)}`, description: 'Q'.repeat(200_000) },
        ...plainIssues(projectKey).slice(1),
      ],
    },
    expect: {
      kind: 'email',
      source: 'llm',
      visible: ['Plain change 2'],
      invisible: ['S'.repeat(1001), 'Q'.repeat(600)],
    },
  },
  {
    name: 'jira-issue-fields-wrong-types',
    category: 'jira',
    about: 'summary is a number, issuetype a string, status an array, description a number',
    input: {
      kind: 'release',
      issues: ({ projectKey }) => [
        {
          key: `${projectKey}-1`,
          summary: '',
          fields: { summary: 42, issuetype: 'Bug', status: ['Done'], description: 7 },
        },
        ...plainIssues(projectKey).slice(1),
      ],
    },
    expect: { kind: 'email', source: 'llm', minIssueLinks: 3 },
  },
  {
    name: 'jira-issue-fields-null',
    category: 'jira',
    about: 'every field of an issue is null',
    input: {
      kind: 'release',
      issues: ({ projectKey }) => [
        {
          key: `${projectKey}-1`,
          summary: '',
          fields: { summary: null, issuetype: null, status: null, description: null },
        },
        ...plainIssues(projectKey).slice(1),
      ],
    },
    expect: { kind: 'email', source: 'llm', minIssueLinks: 3 },
  },
  {
    name: 'jira-issue-keys-invalid',
    category: 'jira',
    about: 'issues whose keys are markup, lower case, a URL or empty, beside valid ones',
    input: {
      kind: 'release',
      llm: { mode: 'echoInjection' },
      issues: ({ projectKey }) => [
        { key: '<script>-1', summary: 'markup key' },
        { key: `${projectKey.toLowerCase()}-2`, summary: 'lower-case key' },
        { key: 'https://evil.example/browse/X-1', summary: 'url key' },
        { key: '', summary: 'empty key' },
        ...plainIssues(projectKey, 2),
      ],
    },
    expect: {
      kind: 'email',
      source: 'llm',
      hostile: ['<script>-1'],
      invisible: ['markup key', 'lower-case key', 'url key', 'empty key', 'evil.example'],
      maxIssueLinks: 2,
      minIssueLinks: 2,
    },
  },
  {
    name: 'jira-issue-keys-duplicate',
    category: 'jira',
    about: 'the same issue listed five times',
    input: {
      kind: 'release',
      issues: ({ projectKey }) =>
        Array.from({ length: 5 }, () => ({ key: `${projectKey}-7`, summary: 'Listed again and again' })),
    },
    expect: { kind: 'email', source: 'llm', maxIssueLinks: 1, minIssueLinks: 1 },
  },
  {
    name: 'jira-adf-deep',
    category: 'jira',
    about: 'an issue description nested 2,000 blockquotes deep',
    input: {
      kind: 'release',
      issues: ({ projectKey }) => [
        { key: `${projectKey}-1`, summary: 'Deep description', description: deepAdf(2_000, 'deep text') },
        ...plainIssues(projectKey).slice(1),
      ],
    },
    expect: { kind: 'email', source: 'llm', minIssueLinks: 3 },
  },
  {
    name: 'jira-adf-links-and-cards',
    category: 'jira',
    about: 'a description with javascript: link marks, an inline card and a mention',
    input: {
      kind: 'release',
      llm: { mode: 'echoInjection' },
      issues: ({ projectKey }) => [
        {
          key: `${projectKey}-1`,
          summary: 'Links in the description',
          description: {
            type: 'doc',
            version: 1,
            content: [
              {
                type: 'paragraph',
                content: [
                  {
                    type: 'text',
                    text: 'click me',
                    marks: [{ type: 'link', attrs: { href: 'javascript:alert(document.cookie)' } }],
                  },
                  { type: 'inlineCard', attrs: { url: 'https://evil.example/card' } },
                  { type: 'mention', attrs: { id: '1', text: '@<b>admin</b>' } },
                ],
              },
            ],
          },
        },
      ],
    },
    expect: { kind: 'email', source: 'llm', invisible: ['javascript:', 'evil.example'], maxIssueLinks: 1 },
  },
  {
    name: 'jira-type-and-status-markup',
    category: 'jira',
    about: 'issue type and status names with markup, in the template path',
    input: {
      kind: 'release',
      llm: { mode: 'invalidJson' },
      issues: ({ projectKey }) => [
        {
          key: `${projectKey}-1`,
          summary: 'Typed change',
          issueType: '<h1 onclick="x()">Bug</h1>',
          status: '<marquee>Done</marquee>',
        },
      ],
    },
    expect: {
      kind: 'email',
      source: 'template',
      hostile: ['<h1 onclick="x()">Bug</h1>', '<marquee>'],
      visible: ['<h1 onclick="x()">Bug</h1>'],
    },
  },
  {
    name: 'jira-control-characters',
    category: 'jira',
    about: 'summaries and a version name with NUL, ESC, bidi overrides, zero-width and U+2028',
    input: {
      kind: 'release',
      llm: { mode: 'echoInjection' },
      version: { name: 'Release\u0000\u001b[31m\u202Egnp.exe\u202C\u2028two' },
      issues: ({ projectKey }) => [
        { key: `${projectKey}-1`, summary: 'Bell\u0007 and\u200B zero\u2029width \u202Eesrever\u202C' },
        ...plainIssues(projectKey).slice(1),
      ],
    },
    expect: {
      kind: 'email',
      source: 'llm',
      invisible: ['\u0000', '\u001b', '\u202E', '\u0007', '\u2028', '\u2029'],
    },
  },
  {
    name: 'jira-project-name-markup',
    category: 'jira',
    about: 'a project name holding an img onerror, a style block and a form',
    input: {
      kind: 'release',
      llm: { mode: 'invalidJson' },
      project: {
        name: '<img src=x onerror=alert(1)><style>*{display:none}</style><form action=//evil.example>',
      },
    },
    expect: {
      kind: 'email',
      source: 'template',
      hostile: ['<img src=x onerror=alert(1)>', '<style>', '<form action=//evil.example>'],
      visible: ['<img src=x onerror=alert(1)>'],
    },
  },
  {
    name: 'jira-no-issues',
    category: 'jira',
    about: 'a release with no issues at all',
    input: { kind: 'release', issues: () => [] },
    // Issue 9: a scope that selects no issue sends nothing for the point (no empty email).
    expect: { kind: 'silent' },
  },
  {
    name: 'jira-adf-node-flood',
    category: 'jira',
    about: 'an issue description of 60,000 ADF text nodes (1.5 MB)',
    input: {
      kind: 'release',
      issues: ({ projectKey }) => [
        {
          key: `${projectKey}-1`,
          summary: 'Flooded description',
          description: {
            type: 'doc',
            version: 1,
            content: [
              {
                type: 'paragraph',
                content: Array.from({ length: 60_000 }, (_, i) => ({ type: 'text', text: `w${i} ` })),
              },
            ],
          },
        },
      ],
    },
    expect: { kind: 'email', source: 'llm', minIssueLinks: 1, maxIssueLinks: 1, invisible: ['w59999'] },
  },
]);
