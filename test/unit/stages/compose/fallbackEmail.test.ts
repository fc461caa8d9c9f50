import { describe, expect, it } from 'vitest';
import type { JiraIssue } from '#adapters/jira/JiraPort';
import { llmEmail as llmEmailSchema } from '#contracts/emailDraft';
import { checkContentPolicy } from '#stages/compose/contentPolicy';
import { type FallbackInput, fallbackEmail } from '#stages/compose/fallbackEmail';
import { checkGrounding } from '#stages/compose/grounding/index';
import { renderEmail } from '#stages/compose/renderEmail';

const issue = (n: number, issueType?: string, summary = `Change ${n}`): JiraIssue => ({
  key: `BILL-${n}`,
  summary,
  issueType,
  status: 'Done',
});

const input = (overrides: Partial<FallbackInput> = {}): FallbackInput => ({
  projectName: 'Billing',
  versionName: 'Billing 2.4',
  releaseDate: '2026-12-15',
  pointKind: 'before',
  daysBefore: 7,
  locale: 'en',
  issues: [issue(1, 'Bug'), issue(2, 'Story'), issue(3, 'Bug'), issue(4)],
  truncated: false,
  ...overrides,
});

const itemCount = (email: ReturnType<typeof fallbackEmail>): number =>
  email.sections.reduce((n, s) => n + s.items.length, 0);

describe('Function: fallbackEmail', () => {
  it('groups issues by type, biggest group first, and cites each issue', () => {
    // Act
    const email = fallbackEmail(input());

    // Assert
    expect(email.sections).toEqual([
      {
        heading: 'Bug',
        items: [
          { text: 'Change 1', issueKeys: ['BILL-1'] },
          { text: 'Change 3', issueKeys: ['BILL-3'] },
        ],
      },
      { heading: 'Story', items: [{ text: 'Change 2', issueKeys: ['BILL-2'] }] },
      { heading: 'Other', items: [{ text: 'Change 4', issueKeys: ['BILL-4'] }] },
    ]);
    expect(llmEmailSchema.safeParse(email).success).toBe(true);
  });

  it('says visibly that the summary was generated from Jira, in both rendered parts', () => {
    // Act
    const email = fallbackEmail(input());
    const rendered = renderEmail(email, {
      projectName: 'Billing',
      versionName: 'Billing 2.4',
      releaseDate: '2026-12-15',
      siteUrl: 'https://acme.example.net',
      locale: 'en',
    });

    // Assert
    expect(email.intro).toContain('Summary generated from Jira.');
    expect(rendered.html).toMatch(/<p[^>]*>Summary generated from Jira\.<\/p>/);
    expect(rendered.text).toContain('Summary generated from Jira.');
    expect(email.subject).toBe('Billing Billing 2.4 is coming in 7 days');
  });

  it('lists at most 50 issues and counts the rest', () => {
    // Act
    const email = fallbackEmail(input({ issues: Array.from({ length: 60 }, (_, i) => issue(i + 1, 'Bug')) }));

    // Assert
    expect(itemCount(email)).toBe(50);
    expect(email.outro).toBe('…and 10 more issues.');
    expect(llmEmailSchema.safeParse(email).success).toBe(true);
  });

  it('keeps every issue type represented when the list is cut', () => {
    // Arrange: 40 bugs, then 20 stories.
    const many = [
      ...Array.from({ length: 40 }, (_, i) => issue(i + 1, 'Bug')),
      ...Array.from({ length: 20 }, (_, i) => issue(i + 41, 'Story')),
    ];

    // Act
    const email = fallbackEmail(input({ issues: many, maxItems: 10 }));

    // Assert
    expect(email.sections.map((s) => [s.heading, s.items.length])).toEqual([
      ['Bug', 5],
      ['Story', 5],
    ]);
    expect(email.outro).toBe('…and 50 more issues.');
  });

  it('merges issue types beyond the tenth section into Other', () => {
    // Arrange: 12 types of one issue each.
    const typed = Array.from({ length: 12 }, (_, i) => issue(i + 1, `Type ${i + 1}`));

    // Act
    const email = fallbackEmail(input({ issues: typed }));

    // Assert
    expect(email.sections).toHaveLength(10);
    expect(email.sections.at(-1)?.heading).toBe('Other');
    expect(email.sections.at(-1)?.items.map((i) => i.issueKeys[0])).toEqual([
      'BILL-10',
      'BILL-11',
      'BILL-12',
    ]);
    expect(itemCount(email)).toBe(12);
    expect(llmEmailSchema.safeParse(email).success).toBe(true);
  });

  it('mentions further issues in Jira when the read was truncated', () => {
    expect(fallbackEmail(input({ truncated: true })).outro).toBe(
      'Jira lists further issues for this release.',
    );
  });

  it('writes an on-release email without a day count', () => {
    // Act
    const email = fallbackEmail(input({ pointKind: 'on_release', daysBefore: undefined }));

    // Assert
    expect(email.subject).toBe('Billing Billing 2.4 is released');
    expect(email.intro).toContain('Version Billing 2.4 has been released.');
  });

  it('says so when the release has no issues', () => {
    // Act
    const email = fallbackEmail(input({ issues: [] }));

    // Assert
    expect(email.sections).toEqual([]);
    expect(email.intro).toContain('No issues are listed for this release yet.');
    expect(llmEmailSchema.safeParse(email).success).toBe(true);
  });

  it('keeps within the schema limits whatever Jira sends', () => {
    // Arrange
    const long = input({
      projectName: 'P'.repeat(300),
      versionName: 'V'.repeat(255),
      issues: [
        issue(1, 'T'.repeat(400), 'S'.repeat(5000)),
        issue(2, 'Bug', '   '),
        { ...issue(3), key: 'not a key' },
      ],
    });

    // Act
    const email = fallbackEmail(long);

    // Assert
    expect(llmEmailSchema.safeParse(email).success).toBe(true);
    expect(email.sections.flatMap((s) => s.items.map((i) => i.text))).toContain('BILL-2');
    expect(email.sections.flatMap((s) => s.items.flatMap((i) => i.issueKeys))).not.toContain('not a key');
  });

  it('writes in the recipients’ language', () => {
    // Act
    const email = fallbackEmail(input({ locale: 'de-DE', daysBefore: 1 }));

    // Assert
    expect(email.intro).toContain('Zusammenfassung aus Jira erstellt.');
    expect(email.subject).toBe('Billing Billing 2.4 erscheint morgen');
    expect(email.sections.at(-1)?.heading).toBe('Sonstiges');
  });
});

describe('Function: fallbackEmail (content policy)', () => {
  it('cuts URLs, email addresses and phone numbers out of Jira text, so the template passes the policy', () => {
    // Arrange
    const hostile = input({
      projectName: 'Billing (billing.evil.example)',
      issues: [
        issue(1, 'Bug', 'Log in at www.evil.example/login to keep your account'),
        issue(2, 'Story', 'Questions? Mail helpdesk@evil.example or call +1 555 0100 1234'),
        issue(3, undefined, 'Call 0800 123 4567 now'),
      ],
    });

    // Act
    const email = fallbackEmail(hostile);

    // Assert
    expect(checkContentPolicy(email)).toEqual([]);
    const texts = email.sections.flatMap((s) => s.items.map((i) => i.text));
    expect(texts).toEqual(['Log in at to keep your account', 'Questions? Mail or call', 'Call now']);
    expect(email.subject).not.toContain('evil.example');
  });

  it('cites the in-scope keys a summary names and cuts out keys of its project that are not in scope', () => {
    // Arrange
    const withKeys = input({
      issues: [issue(1, 'Bug', 'Follow-up of BILL-2 and BILL-77'), issue(2, 'Bug', 'Totals')],
    });

    // Act
    const email = fallbackEmail(withKeys);

    // Assert
    expect(email.sections[0]?.items[0]).toEqual({
      text: 'Follow-up of BILL-2 and',
      issueKeys: ['BILL-1', 'BILL-2'],
    });
    expect(checkGrounding(email, { issues: withKeys.issues, locale: 'en' })).toEqual([]);
  });
});
