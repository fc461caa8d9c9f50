import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '#adapters/ledger/DynamoLedger';
import { parsePointSpecs } from '#contracts/sendPolicy';
import { draftKey } from '#stages/shared/draftKey';
import { topology } from '#topology/topology';
import { putContacts } from './seed.ts';
import { daysFromToday, type Pipeline, policyOf, startPipeline } from './support.ts';

const PROJECT = { id: '10700', key: 'TRUST', name: 'Trusty Tools' };
const BERLIN = 'Europe/Berlin';

let p: Pipeline;
let ledger: DynamoLedger;

const ISSUES = [
  { key: 'TRUST-1', summary: 'Dashboards export to spreadsheet files', issueType: 'Story' },
  { key: 'TRUST-2', summary: 'Password reset emails arrive promptly', issueType: 'Bug' },
  { key: 'TRUST-3', summary: 'Calendar shows public holidays', issueType: 'Story' },
  { key: 'TRUST-4', summary: 'Search finds archived projects', issueType: 'Story' },
];

/** Seeds a release with its own version id and one contact; fires its one point; returns the email. */
const release = async (
  versionId: string,
  policy: Parameters<typeof policyOf>[0],
  options: { releaseInDays: number; extra?: object },
) => {
  const version = {
    id: versionId,
    projectId: PROJECT.id,
    name: `Release ${versionId}`,
    releaseDate: daysFromToday(options.releaseInDays),
  };
  const recipient = p.address(`c${versionId}`);
  p.jira.putVersion(version);
  p.jira.setIssues(version.id, ISSUES);
  await p.herald.directory.putPolicy(PROJECT.key, { ...policyOf(policy), ...options.extra });
  await putContacts(p, PROJECT.key, [{ email: recipient, locale: 'en', timeZone: BERLIN }]);
  expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
  await p.waitForIdle();
  const [schedule] = (await p.schedulesOf(version.id)).filter((s) =>
    s.job.payload.recipients.some((r) => r.email === recipient),
  );
  if (!schedule) throw new Error('no schedule');
  p.clock.set(new Date(schedule.job.payload.dueAt));
  await p.waitForFires([schedule.name]);
  const [email] = await p.waitForEmails([recipient], 1);
  await p.waitForIdle();
  await p.herald.directory.removeContact(PROJECT.key, recipient);
  const draft = await ledger.getDraft(draftKey(schedule.job.payload, 'en'));
  return { email, draft };
};

beforeAll(async () => {
  p = await startPipeline({ label: 'grounding' });
  ledger = new DynamoLedger({
    tableName: p.herald.stack.names.tables.ledger,
    ttlSeconds: topology.ledgerTtlSeconds,
  });
  p.jira.putProject(PROJECT);
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: content trust', () => {
  it('removes items the verifier finds unsupported and records them, coverage and the verifier in the draft', async () => {
    // arrange: the model attributes the first two changes to each other's issue.
    p.openai.mode = 'misattribute';
    p.openai.requests.clear();

    // act
    const { email, draft } = await release('20701', parsePointSpecs('-1d@09:00'), {
      releaseInDays: 20,
      extra: { verifyGrounding: true, minCoverage: 0.5 },
    });

    // assert: one writer call and one verifier call. The stand-in lists the stories TRUST-1, -3,
    // -4, then the bug TRUST-2; the first two items (TRUST-1's and TRUST-3's changes) swapped their
    // keys, so the verifier finds both unsupported: they are gone, the rest is sent.
    expect(p.openai.calls.count).toBe(2);
    expect(email?.headers['x-herald-draft-source']).toBe('llm');
    expect(email?.text).toContain('Search finds archived projects');
    expect(email?.text).toContain('Password reset emails arrive promptly');
    expect(email?.text).not.toContain('Dashboards export to spreadsheet files');
    expect(email?.text).not.toContain('Calendar shows public holidays');
    expect(draft?.verifier).toEqual({ outcome: 'items_removed', model: 'gpt-e2e' });
    expect(draft?.removedItems?.map((item) => [item.text, item.issueKeys])).toEqual([
      ['Dashboards export to spreadsheet files.', ['TRUST-3']],
      ['Calendar shows public holidays.', ['TRUST-1']],
    ]);
    expect(draft?.coverage).toEqual({
      inScope: 4,
      mentioned: ['TRUST-4', 'TRUST-2'],
      missing: ['TRUST-1', 'TRUST-3'],
    });
  });

  it('makes no verifier call by default and records full coverage', async () => {
    // arrange
    p.openai.mode = 'valid';
    p.openai.requests.clear();
    const before = p.openai.calls.count;

    // act
    // A later release: the clock stands at the first one's point, which must not make this one due.
    const { email, draft } = await release('20702', parsePointSpecs('-1d@09:00'), { releaseInDays: 25 });

    // assert
    expect(p.openai.calls.count - before).toBe(1);
    expect(email?.headers['x-herald-draft-source']).toBe('llm');
    expect(draft?.verifier).toBeUndefined();
    expect(draft?.coverage).toEqual({
      inScope: 4,
      mentioned: expect.arrayContaining(['TRUST-1', 'TRUST-2', 'TRUST-3', 'TRUST-4']),
      missing: [],
    });
  });
});
