import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectory } from '#adapters/directory/DynamoDirectory';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { type JiraStandIn, startJiraStandIn } from '#test/standins/JiraStandIn';
import { uniqueEnv } from '../local/support.ts';
import { jsonOf } from './heraldCli.ts';
import { bootstrapOpsStack, cliFor, jiraCredentialsFor } from './opsStack.ts';

const env = uniqueEnv('editorial');
const JIRA = jiraCredentialsFor(env);
let directory: DynamoDirectory;
let jira: JiraStandIn;
let jiraEnv: Record<string, string>;

const cli = cliFor(env);

beforeAll(async () => {
  const { stack, documents } = await bootstrapOpsStack(env);
  directory = new DynamoDirectory({ client: documents, tableName: stack.names.tables.directory });
  jira = await startJiraStandIn(JIRA);
  jiraEnv = { JIRA_SITE_URL: jira.url, JIRA_EMAIL: JIRA.email };
  jira.putProject({ id: '60000', key: 'EDIT', name: 'Editorial Shop' });
  jira.putVersion({ id: '60001', projectId: '60000', name: 'Editorial 1.0', releaseDate: '2099-04-10' });
  jira.setIssues('60001', [
    { key: 'EDIT-1', summary: 'Invoice API returns pages', components: ['API'] },
    { key: 'EDIT-2', summary: 'Invoice list has filters', components: ['UI'] },
    { key: 'EDIT-3', summary: 'Refactor the ledger', labels: ['internal'] },
    { key: 'EDIT-4', summary: 'Token leaked into logs', issueType: 'Bug', securityLevel: 'Security Team' },
  ]);
  await directory.putPolicy('EDIT', {
    points: parsePointSpecs('-1d@09:00'),
    onRelease: false,
    timeZone: 'UTC',
    defaultLocale: 'en',
  });
});

afterAll(async () => {
  await jira?.close();
});

describe('herald editorial control (CLI against the local stack and the Jira stand-in)', () => {
  it("policy set --scope asks Jira's jql/parse: refuses with Jira's message and position, stores a valid one", async () => {
    // Act
    const rejected = await cli(['policy', 'set', 'EDIT', '--scope', 'labels = a AND'], jiraEnv);
    const unbalanced = await cli(['policy', 'set', 'EDIT', '--scope', 'labels = a) OR (labels = b'], jiraEnv);
    const stored = await cli(
      ['policy', 'set', 'EDIT', '--scope', 'issuetype in (Story, Bug)', '--json'],
      jiraEnv,
    );
    const unreachable = await cli(['policy', 'set', 'EDIT', '--scope', 'issuetype = Story']);
    const forced = await cli(['policy', 'set', 'EDIT', '--scope', 'issuetype = Story', '--force']);
    const reset = await cli(['policy', 'set', 'EDIT', '--scope', 'default'], jiraEnv);

    // Assert
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(
      'project EDIT: Jira rejects the scope "labels = a AND": Error in the JQL Query: Expecting a field name but reached the end of the query. (line 1, character 15); nothing stored',
    );
    // Refused before Jira is asked: it would widen the search past the release.
    expect(unbalanced.code).toBe(2);
    expect(unbalanced.stderr).toContain('invalid send policy: scope: unbalanced parentheses');
    expect(stored.code).toBe(0);
    expect(jsonOf(stored)).toMatchObject({ scope: 'issuetype in (Story, Bug)', scopeChecked: true });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('project EDIT: cannot validate the scope with Jira');
    expect(unreachable.stderr).toContain('Give --force to store it unchecked');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning: stored without validation');
    expect(reset.code).toBe(0);
    expect((await directory.getPolicy('EDIT'))?.scope).toBeUndefined();
    expect(jira.requests.count('parseJql')).toBe(2);
  });

  it('audiences: policy audience set, clients add --audience, preview --scope-only lists each left-out issue and why', async () => {
    // Act
    const audience = await cli(
      [
        'policy',
        'audience',
        'set',
        'EDIT',
        'developers',
        '--scope',
        'component = API',
        '--instructions',
        'Name the endpoints.',
      ],
      jiraEnv,
    );
    const added = await cli(['clients', 'add', 'EDIT', 'dev@example.com', '--audience', 'developers']);
    const unknown = await cli(['clients', 'add', 'EDIT', 'x@example.com', '--audience', 'partners']);
    const preview = await cli(['preview', '60001', '--scope-only', '--json'], jiraEnv);
    const text = await cli(['preview', '60001', '--audience', 'developers', '--scope-only'], jiraEnv);

    // Assert
    expect(audience.code).toBe(0);
    expect(added.code).toBe(0);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('audience: project EDIT defines no audience "partners"');
    expect(preview.code).toBe(0);
    expect(jsonOf<{ audiences: unknown[] }>(preview).audiences).toEqual([
      {
        audience: 'all',
        inScope: [
          { key: 'EDIT-1', summary: 'Invoice API returns pages' },
          { key: 'EDIT-2', summary: 'Invoice list has filters' },
        ],
        leftOut: [
          { key: 'EDIT-3', reason: 'label', detail: 'internal' },
          { key: 'EDIT-4', reason: 'security_level', detail: 'Security Team' },
        ],
      },
      {
        audience: 'developers',
        audienceScope: 'component = API',
        inScope: [{ key: 'EDIT-1', summary: 'Invoice API returns pages' }],
        leftOut: [
          { key: 'EDIT-2', reason: 'audience_scope', detail: 'developers' },
          { key: 'EDIT-3', reason: 'label', detail: 'internal' },
          { key: 'EDIT-4', reason: 'security_level', detail: 'Security Team' },
        ],
      },
    ]);
    expect(text.stdout).toContain('audience developers (scope: component = API): 1 in scope, 3 left out');
    expect(text.stdout).toContain('  - EDIT-4  left out: security level (Security Team)');
  });

  it('clients list warns about a contact whose audience the policy no longer defines', async () => {
    // Arrange
    await directory.putContact('EDIT', { email: 'old@example.com', optedOut: false, audience: 'retired' });

    // Act
    const list = await cli(['clients', 'list', '--project', 'EDIT']);

    // Assert
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(
      'warning: EDIT old@example.com: audience "retired" is not in the policy: gets the emails of all',
    );
  });
});
