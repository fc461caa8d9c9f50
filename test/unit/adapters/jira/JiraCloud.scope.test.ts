import { describe, expect, it } from 'vitest';
import { JiraRequestError } from '#adapters/jira/errors';
import { DEFAULT_ISSUE_SCOPE } from '#contracts/issueScope';
import { useJiraCloudStandIn } from '#test/factories/jiraCloudStandIn';

describe('Class: JiraCloud (scope)', () => {
  const env = useJiraCloudStandIn();

  const seed = () => {
    env.standIn.putVersion({ id: '10001', projectId: '10000', name: 'v2.4' });
    env.standIn.putCustomField('customfield_10123');
    env.standIn.setIssues('10001', [
      {
        key: 'ABC-1',
        summary: 'Paging',
        components: ['API'],
        labels: ['beta'],
        parent: { key: 'ABC-100', summary: 'Public API' },
        fields: { customfield_10123: 'Invoices now load page by page.' },
      },
      { key: 'ABC-2', summary: 'Refactor', labels: ['internal'] },
      { key: 'ABC-3', summary: 'Token leak', issueType: 'Bug', securityLevel: 'Security Team' },
      { key: 'ABC-4', summary: 'Dark mode', components: ['UI'] },
    ]);
  };

  describe('Method: listReleaseIssues', () => {
    it('ANDs the scope conditions with the release and reads the editorial fields', async () => {
      // Arrange
      seed();

      // Act
      const all = await env.jira.listReleaseIssues('10001', { releaseNoteField: 'customfield_10123' });
      const scoped = await env.jira.listReleaseIssues('10001', {
        scope: [DEFAULT_ISSUE_SCOPE, 'component = API'],
        releaseNoteField: 'customfield_10123',
      });

      // Assert
      expect(all.issues.map((i) => i.key)).toEqual(['ABC-1', 'ABC-2', 'ABC-3', 'ABC-4']);
      expect(all.issues[2]).toMatchObject({ key: 'ABC-3', securityLevel: 'Security Team' });
      expect(all.issues[1]).toMatchObject({ key: 'ABC-2', labels: ['internal'] });
      expect(scoped.issues).toEqual([
        {
          key: 'ABC-1',
          summary: 'Paging',
          issueType: 'Story',
          status: 'Done',
          description: undefined,
          labels: ['beta'],
          components: ['API'],
          epic: 'Public API',
          releaseNote: 'Invoices now load page by page.',
        },
      ]);
    });

    it('fails with a permanent 400 when the release-note field does not exist', async () => {
      // Arrange
      seed();

      // Act
      const failure = await env.jira
        .listReleaseIssues('10001', { releaseNoteField: 'customfield_99999' })
        .catch((err: unknown) => err);

      // Assert
      expect(failure).toBeInstanceOf(JiraRequestError);
      expect(failure).toMatchObject({ status: 400, reason: 'jira_bad_request' });
      expect((failure as Error).message).toContain("Field 'customfield_99999' does not exist");
    });
  });

  describe('Method: checkJql', () => {
    it("returns Jira's own messages, with the position, for invalid JQL and none for valid JQL", async () => {
      // Act
      const checks = await env.jira.checkJql([DEFAULT_ISSUE_SCOPE, 'labels = a AND (', 'labelz = a']);

      // Assert
      expect(checks).toEqual([
        { query: DEFAULT_ISSUE_SCOPE, errors: [] },
        { query: 'labels = a AND (', errors: [expect.stringMatching(/\(line 1, character 17\)$/)] },
        {
          query: 'labelz = a',
          errors: ["Field 'labelz' does not exist or you do not have permission to view it."],
        },
      ]);
      expect(env.standIn.requests.count('parseJql')).toBe(1);
    });
  });
});
