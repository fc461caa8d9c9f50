import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUE_SCOPE } from '#contracts/issueScope';
import { compileJql, JqlError, type JqlValues } from '#test/standins/jql';

const issue = (overrides: Partial<JqlValues> = {}): JqlValues => ({
  issuetype: ['Story'],
  labels: [],
  level: [],
  component: [],
  status: ['Done'],
  fixversion: ['10001'],
  key: ['ABC-1'],
  ...overrides,
});

describe('Function: compileJql', () => {
  it('evaluates the default scope: no level, and not labelled internal or no-release-notes', () => {
    // Arrange
    const scope = compileJql(`fixVersion = "10001" AND (${DEFAULT_ISSUE_SCOPE}) ORDER BY key ASC`);

    // Act / Assert
    expect(scope.matches(issue())).toBe(true);
    expect(scope.matches(issue({ labels: ['beta'] }))).toBe(true);
    expect(scope.matches(issue({ labels: ['beta', 'Internal'] }))).toBe(false);
    expect(scope.matches(issue({ labels: ['no-release-notes'] }))).toBe(false);
    expect(scope.matches(issue({ level: ['Security Team'] }))).toBe(false);
    expect(scope.matches(issue({ fixversion: ['10002'] }))).toBe(false);
    expect(scope.order).toBe('ASC');
  });

  it('never matches an empty field with != or NOT IN, as Jira does', () => {
    // Act / Assert
    expect(compileJql('labels != internal').matches(issue())).toBe(false);
    expect(compileJql('labels NOT IN (internal)').matches(issue())).toBe(false);
    expect(compileJql('labels != internal').matches(issue({ labels: ['beta'] }))).toBe(true);
  });

  it('reads IN lists, OR, NOT, IS NOT EMPTY and parentheses', () => {
    // Arrange
    const query = compileJql(
      'issuetype in (Story, Bug) AND (component = API OR NOT status = Done) AND level IS NOT EMPTY',
    );

    // Act / Assert
    expect(query.matches(issue({ component: ['API'], level: ['x'] }))).toBe(true);
    expect(query.matches(issue({ component: ['UI'], level: ['x'] }))).toBe(false);
    expect(query.matches(issue({ component: ['UI'], status: ['Open'], level: ['x'] }))).toBe(true);
    expect(query.matches(issue({ issuetype: ['Task'], component: ['API'], level: ['x'] }))).toBe(false);
  });

  it('names what it does not understand, with the position of a syntax error', () => {
    // Act / Assert
    expect(() => compileJql('project = ABC')).toThrow(/stand-in does not understand the field 'project'/);
    expect(() => compileJql('labelz = a')).toThrow(
      "Field 'labelz' does not exist or you do not have permission to view it.",
    );
    expect(() => compileJql('labels = a AND')).toThrow(
      /Expecting a field name but reached the end of the query\. \(line 1, character 15\)/,
    );
    expect(() => compileJql('labels ~ a')).toThrow(JqlError);
    expect(() => compileJql('labels = a ORDER BY created')).toThrow(/orders by key only/);
  });
});

describe('Function: compileJql (odd values)', () => {
  it('treats values that are not strings as absent instead of failing', () => {
    // Arrange
    const odd = issue({ issuetype: [42 as unknown as string], labels: [null as unknown as string] });

    // Act / Assert
    expect(compileJql('issuetype = Story').matches(odd)).toBe(false);
    expect(compileJql('labels IS EMPTY').matches(odd)).toBe(true);
  });
});
