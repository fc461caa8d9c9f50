import { describe, expect, it } from 'vitest';
import { JiraRequestError } from '#adapters/jira/errors';
import { jqlString, releaseJql } from '#adapters/jira/releaseJql';
import { DEFAULT_ISSUE_SCOPE } from '#contracts/issueScope';

describe('Function: releaseJql', () => {
  it('quotes the version id and orders by key when there is no scope', () => {
    // Act
    const jql = releaseJql('10001');

    // Assert
    expect(jql).toBe('fixVersion = "10001" ORDER BY key ASC');
  });

  it('ANDs the project scope and then the audience scope, each in its own parentheses', () => {
    // Act
    const jql = releaseJql('10001', [DEFAULT_ISSUE_SCOPE, 'component = API OR issuetype = Bug']);

    // Assert: the audience's OR cannot widen the project scope or the release.
    expect(jql).toBe(
      `fixVersion = "10001" AND (${DEFAULT_ISSUE_SCOPE}) AND (component = API OR issuetype = Bug) ORDER BY key ASC`,
    );
  });

  it('skips empty and undefined conditions', () => {
    // Act
    const jql = releaseJql('7', [undefined, '  ', 'labels = beta']);

    // Assert
    expect(jql).toBe('fixVersion = "7" AND (labels = beta) ORDER BY key ASC');
  });

  it('refuses a condition that would close the parentheses early and widen the search', () => {
    // Act
    const attempt = () => releaseJql('10001', ['labels = a) OR (issuetype = Bug']);

    // Assert
    expect(attempt).toThrow(JiraRequestError);
    expect(attempt).toThrow(/unbalanced parentheses or quotes/);
  });

  it('keeps parentheses inside quoted values', () => {
    // Act
    const jql = releaseJql('10001', ['component = "Billing (legacy)"']);

    // Assert
    expect(jql).toBe('fixVersion = "10001" AND (component = "Billing (legacy)") ORDER BY key ASC');
  });
});

describe('Function: jqlString', () => {
  it('escapes quotes and backslashes so a value cannot end the literal', () => {
    // Act / Assert
    expect(jqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(jqlString('10001')).toBe('"10001"');
  });
});
