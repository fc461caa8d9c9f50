import { generateIssues } from '#test/standins/JiraStandIn';
import { defineCases } from '../types.ts';

/** Issues in the big release: far more than JIRA_MAX_ISSUES (500). */
export const BIG_RELEASE_ISSUES = 10_000;

/** JIRA_MAX_ISSUES as the corpus runs it (the default): most issues compose reads. */
export const JIRA_MAX_ISSUES = 500;

/** Contacts of the wide-audience case. */
export const WIDE_AUDIENCE_CONTACTS = 12;

/** Big releases and big audiences. */
export const volumeCases = defineCases([
  {
    name: 'volume-ten-thousand-issues',
    category: 'volume',
    about: `a release with ${BIG_RELEASE_ISSUES.toLocaleString('en')} issues`,
    input: {
      kind: 'release',
      issues: ({ projectKey }) =>
        generateIssues(projectKey, BIG_RELEASE_ISSUES, {
          summary: (n) => (n % 997 === 0 ? `Change ${n} <script>alert(${n})</script>` : `Change number ${n}`),
        }),
    },
    expect: {
      kind: 'email',
      source: 'llm',
      hostile: ['<script>'],
      visible: ['Jira lists further issues for this release.'],
      minIssueLinks: 100,
      maxIssueLinks: JIRA_MAX_ISSUES,
      maxIssueNumber: JIRA_MAX_ISSUES,
    },
  },
  {
    name: 'volume-ten-thousand-issues-template',
    category: 'volume',
    about: `a release with ${BIG_RELEASE_ISSUES.toLocaleString('en')} issues written by the template`,
    input: {
      kind: 'release',
      llm: { mode: 'schemaInvalid' },
      issues: ({ projectKey }) => generateIssues(projectKey, BIG_RELEASE_ISSUES),
    },
    expect: {
      kind: 'email',
      source: 'template',
      visible: ['Jira lists further issues for this release.'],
      minIssueLinks: 50,
      maxIssueLinks: 50,
      maxIssueNumber: JIRA_MAX_ISSUES,
    },
  },
  {
    name: 'volume-wide-audience',
    category: 'volume',
    about: `${WIDE_AUDIENCE_CONTACTS} contacts with hostile names in three languages`,
    input: {
      kind: 'release',
      contacts: Array.from({ length: WIDE_AUDIENCE_CONTACTS }, (_, i) => ({
        name: `Client ${i} <i>${'x'.repeat(i)}</i>`,
        locale: ['en', 'de', 'fr'][i % 3],
      })),
    },
    expect: { kind: 'email', source: 'llm', hostile: ['<i>'] },
  },
]);
