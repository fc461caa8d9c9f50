import { describe, expect, it } from 'vitest';
import { JiraRequestError } from '#adapters/jira/errors';
import type { JiraIssue } from '#adapters/jira/JiraPort';
import type { ComposeJob } from '#contracts/composeJob';
import { sendJobMessage } from '#contracts/sendJob';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { groupRecipients } from '#stages/compose/audiences';
import { type ComposeDeps, processRecord } from '#stages/compose/processRecord';
import { ScopeRejectedError } from '#stages/compose/ScopeRejectedError';
import { billingJira, composeJob } from '#test/factories/billingRelease';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { FakeLlm, llmEmail } from '#test/factories/FakeLlm';
import { FakeQueue } from '#test/factories/FakeQueue';
import { envelopeRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';

/** Six issues: two public API changes, two public UI changes, one internal, one under a security level. */
const RELEASE: JiraIssue[] = [
  { key: 'BILL-1', summary: 'Invoice API paging', issueType: 'Story', components: ['API'] },
  { key: 'BILL-2', summary: 'Export endpoint', issueType: 'Bug', components: ['API'] },
  { key: 'BILL-3', summary: 'Invoice list filters', issueType: 'Story', components: ['UI'] },
  { key: 'BILL-4', summary: 'Dark mode', issueType: 'Story', components: ['UI'] },
  { key: 'BILL-5', summary: 'Refactor the ledger', issueType: 'Task', labels: ['internal'] },
  { key: 'BILL-6', summary: 'Fix token leak', issueType: 'Bug', securityLevel: 'Security Team' },
];

const POLICY: SendPolicy = {
  ...DEFAULT_SEND_POLICY,
  audiences: [
    { name: 'developers', scope: 'component = API', instructions: 'Technical readers; name endpoints.' },
    { name: 'business', scope: 'component = UI' },
  ],
};

const setup = () => {
  const jira = billingJira();
  jira.issues.set('10042', RELEASE);
  // Each call answers citing only the keys it was given: what a well-behaved model does.
  const llm = new FakeLlm([(request) => llmEmail(request.issues.map((i) => i.key))]);
  const ledger = new FakeLedger();
  const queue = new FakeQueue();
  const directory = new FakeDirectory();
  directory.policies.set('BILL', POLICY);
  const log = memoryLogger();
  const deps: ComposeDeps = {
    jira,
    llm,
    ledger,
    directory,
    queue,
    now: () => new Date('2026-12-14T08:00:05Z'),
    env: '',
  };
  const run = (job: ComposeJob) =>
    processRecord(
      envelopeRecord('compose.job', `${job.versionId}:${job.pointId}`, job),
      recordContext(log.logger, 60_000),
      deps,
    );
  const sendJobs = () => queue.bodies('herald-send').map((b) => sendJobMessage.parse(b).payload);
  return { jira, llm, ledger, directory, log, run, sendJobs };
};

const RECIPIENTS: ComposeJob['recipients'] = [
  { email: 'dev-en@example.com', locale: 'en', audience: 'developers' },
  { email: 'dev-de@example.com', locale: 'de', audience: 'developers' },
  { email: 'biz-en@example.com', locale: 'en', audience: 'business' },
  { email: 'biz-de@example.com', locale: 'de', audience: 'business' },
  { email: 'dev2-en@example.com', locale: 'en', audience: 'developers' },
];

describe('Function: processRecord (audience fan-out)', () => {
  it('writes one draft per audience x locale: two audiences, two locales, 4 drafts, 4 LLM calls', async () => {
    // Arrange
    const h = setup();

    // Act
    await h.run(composeJob({ recipients: RECIPIENTS }));

    // Assert
    expect(h.llm.requests).toHaveLength(4);
    expect([...h.ledger.drafts.keys()].sort()).toEqual([
      'draft:10042:b1d0h0m0900@2026-12-15:de:business',
      'draft:10042:b1d0h0m0900@2026-12-15:de:developers',
      'draft:10042:b1d0h0m0900@2026-12-15:en:business',
      'draft:10042:b1d0h0m0900@2026-12-15:en:developers',
    ]);
    const asked = h.llm.requests.map((r) => [r.audience?.name, r.locale, r.issues.map((i) => i.key)]);
    expect(asked).toEqual([
      ['developers', 'en', ['BILL-1', 'BILL-2']],
      ['developers', 'de', ['BILL-1', 'BILL-2']],
      ['business', 'en', ['BILL-3', 'BILL-4']],
      ['business', 'de', ['BILL-3', 'BILL-4']],
    ]);
    expect(h.llm.requests[0]?.audience?.instructions).toBe('Technical readers; name endpoints.');
  });

  it('sends each recipient exactly one email: the draft of their audience and locale', async () => {
    // Arrange
    const h = setup();

    // Act
    await h.run(
      composeJob({ recipients: [...RECIPIENTS, RECIPIENTS[0] as ComposeJob['recipients'][number]] }),
    );

    // Assert
    const jobs = h.sendJobs();
    expect(jobs.map((j) => [j.recipient.email, j.draftKey])).toEqual([
      ['dev-en@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en:developers'],
      ['dev-de@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:de:developers'],
      ['biz-en@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en:business'],
      ['biz-de@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:de:business'],
      ['dev2-en@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en:developers'],
    ]);
    const cited = (key: string) => h.ledger.drafts.get(key)?.issueKeys;
    expect(cited('draft:10042:b1d0h0m0900@2026-12-15:en:developers')).toEqual(['BILL-1', 'BILL-2']);
    expect(cited('draft:10042:b1d0h0m0900@2026-12-15:de:business')).toEqual(['BILL-3', 'BILL-4']);
  });

  it('never gives the writer an internal or security-level issue, and logs each left-out reason', async () => {
    // Arrange
    const h = setup();

    // Act
    await h.run(composeJob({ recipients: [{ email: 'all@example.com', locale: 'en' }] }));

    // Assert
    expect(h.llm.requests.map((r) => r.issues.map((i) => i.key))).toEqual([
      ['BILL-1', 'BILL-2', 'BILL-3', 'BILL-4'],
    ]);
    expect(h.log.events('email_composed')[0]).toMatchObject({
      audience: 'all',
      leftOutCount: 2,
      leftOut: [
        { key: 'BILL-5', reason: 'label', detail: 'internal' },
        { key: 'BILL-6', reason: 'security_level', detail: 'Security Team' },
      ],
    });
  });

  it('lists issues left out by the audience scope with the audience as the reason', async () => {
    // Arrange
    const h = setup();

    // Act
    await h.run(composeJob({ recipients: [RECIPIENTS[2] as ComposeJob['recipients'][number]] }));

    // Assert
    expect(h.log.events('email_composed')[0]?.leftOut).toEqual([
      { key: 'BILL-1', reason: 'audience_scope', detail: 'business' },
      { key: 'BILL-2', reason: 'audience_scope', detail: 'business' },
      { key: 'BILL-5', reason: 'label', detail: 'internal' },
      { key: 'BILL-6', reason: 'security_level', detail: 'Security Team' },
    ]);
  });

  it('sends the draft of all to a contact whose audience the policy does not define, with a warning', async () => {
    // Arrange
    const h = setup();

    // Act
    await h.run(composeJob({ recipients: [{ email: 'x@example.com', locale: 'en', audience: 'partners' }] }));

    // Assert
    expect(h.sendJobs().map((j) => j.draftKey)).toEqual(['draft:10042:b1d0h0m0900@2026-12-15:en']);
    expect(h.log.events('audience_unknown')).toEqual([
      expect.objectContaining({ audience: 'partners', recipients: 1, fallback: 'all' }),
    ]);
  });

  it('sends nothing and records why when the scope selects no issue', async () => {
    // Arrange
    const h = setup();
    h.directory.policies.set('BILL', {
      ...POLICY,
      audiences: [{ name: 'mobile', scope: 'component = Mobile' }],
    });

    // Act
    await h.run(
      composeJob({
        recipients: [
          { email: 'm@example.com', locale: 'en', audience: 'mobile' },
          { email: 'a@example.com', locale: 'en' },
        ],
      }),
    );

    // Assert: the other audience still gets its email; no empty one goes out.
    expect(h.llm.requests.map((r) => r.audience?.name)).toEqual(['all']);
    expect(h.sendJobs().map((j) => j.recipient.email)).toEqual(['a@example.com']);
    expect(h.log.events('compose_scope_empty')).toEqual([
      expect.objectContaining({
        reason: 'no_issue_in_scope',
        audience: 'mobile',
        locale: 'en',
        recipients: 1,
      }),
    ]);
    expect(h.log.events('send_jobs_queued')[0]).toMatchObject({ sendJobs: 1, withoutScope: 1 });
  });

  it('throws a permanent ScopeRejectedError naming the project and field when Jira rejects a scope', async () => {
    // Arrange
    const h = setup();
    const list = h.jira.listReleaseIssues.bind(h.jira);
    h.jira.listReleaseIssues = async (versionId, options) => {
      if (options?.scope?.some((c) => c === 'component = UI'))
        throw new JiraRequestError('jira_bad_request', "Jira answered 400: Field 'component' is odd", {
          operation: 'listReleaseIssues',
          path: '/rest/api/3/search/jql',
          status: 400,
        });
      return list(versionId, options);
    };

    // Act
    const failure = await h.run(composeJob({ recipients: RECIPIENTS })).catch((err: unknown) => err);

    // Assert
    expect(failure).toBeInstanceOf(ScopeRejectedError);
    expect(failure).toMatchObject({
      reason: 'scope_rejected',
      projectKey: 'BILL',
      field: 'audiences.business.scope',
    });
    expect((failure as Error).message).toMatch(
      /^project BILL: Jira rejected the policy's audiences\.business\.scope/,
    );
    expect(h.sendJobs()).toEqual([]);
  });

  it('blames the release-note field when the unscoped search is refused', async () => {
    // Arrange
    const h = setup();
    h.directory.policies.set('BILL', { ...POLICY, releaseNoteField: 'customfield_99999' });
    h.jira.listReleaseIssues = async () => {
      throw new JiraRequestError('jira_bad_request', "Field 'customfield_99999' does not exist", {
        operation: 'listReleaseIssues',
        path: '/rest/api/3/search/jql',
        status: 400,
      });
    };

    // Act
    const failure = await h.run(composeJob()).catch((err: unknown) => err);

    // Assert
    expect(failure).toMatchObject({ name: 'ScopeRejectedError', field: 'releaseNoteField' });
    expect((failure as Error).message).toContain('releaseNoteField customfield_99999');
  });
});

describe('Function: groupRecipients', () => {
  it('groups by audience and locale, each address once', () => {
    // Act
    const groups = groupRecipients(
      [...RECIPIENTS, { email: 'dev-en@example.com', locale: 'de' }],
      POLICY,
      memoryLogger().logger,
    );

    // Assert
    expect(groups.map((g) => [g.audience.name, g.locale, g.recipients.map((r) => r.email)])).toEqual([
      ['developers', 'en', ['dev-en@example.com', 'dev2-en@example.com']],
      ['developers', 'de', ['dev-de@example.com']],
      ['business', 'en', ['biz-en@example.com']],
      ['business', 'de', ['biz-de@example.com']],
    ]);
  });
});
