import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePointSpecs } from '#contracts/sendPolicy';
import type { OutboxEmail } from '#local/Outbox';
import { standInPhrases } from '#test/standins/standInPhrases';
import { e2eEndpoint, waitFor } from '../local/support.ts';
import { herald, jsonOf } from '../ops/heraldCli.ts';
import { putRelease } from './seed.ts';
import { addDays, daysFromToday, type Pipeline, policyOf, startPipeline, wallClockToUtc } from './support.ts';

const PROJECT = { id: '10700', key: 'AUD', name: 'Audience Shop' };
const POINTS = [
  { id: 'b7d0h0m0900', days: -7 },
  { id: 'b1d0h0m0900', days: -1 },
] as const;
/** Public issues: two for developers (component API), two for business readers (component UI). */
const DEVELOPER_KEYS = ['AUD-1', 'AUD-2'];
const BUSINESS_KEYS = ['AUD-3', 'AUD-4'];
/** Never in any email: an internal ticket and a fix under a security level. */
const LEFT_OUT_KEYS = ['AUD-5', 'AUD-6'];
/** Issue keys an email's text part mentions. */
const keysIn = (email: OutboxEmail): string[] => [...new Set(email.text?.match(/\bAUD-\d+\b/g) ?? [])].sort();

let p: Pipeline;
const releaseDate = daysFromToday(30);
const version = { id: '20701', projectId: PROJECT.id, name: 'Audience Release', releaseDate };
let developers: { email: string; locale: string }[];
let business: { email: string; locale: string }[];

beforeAll(async () => {
  p = await startPipeline({ label: 'audiences' });
  putRelease(p, PROJECT, version, [
    { key: 'AUD-1', summary: 'Invoice API returns pages', issueType: 'Story', components: ['API'] },
    { key: 'AUD-2', summary: 'Export endpoint keeps the order', issueType: 'Bug', components: ['API'] },
    { key: 'AUD-3', summary: 'Invoice list has filters', issueType: 'Story', components: ['UI'] },
    { key: 'AUD-4', summary: 'Dark mode for the dashboard', issueType: 'Story', components: ['UI'] },
    { key: 'AUD-5', summary: 'Refactor the ledger module', issueType: 'Task', labels: ['internal'] },
    {
      key: 'AUD-6',
      summary: 'Token leaked into logs',
      issueType: 'Bug',
      components: ['API'],
      securityLevel: 'Security Team',
    },
  ]);
  await p.herald.directory.putPolicy(PROJECT.key, {
    ...policyOf(parsePointSpecs('-7d@09:00,-1d@09:00')),
    // Plain keys in the emails (the default shows none), so the test reads which issues each mentions.
    references: 'keys',
    audiences: [
      {
        name: 'developers',
        scope: 'component = API',
        instructions: 'Technical readers: name the endpoints.',
      },
      { name: 'business', scope: 'component = UI' },
    ],
  });
  developers = [
    { email: p.address('dev-en'), locale: 'en' },
    { email: p.address('dev-de', 'example.org'), locale: 'de' },
    { email: p.address('dev2-en', 'example.net'), locale: 'en' },
  ];
  business = [
    { email: p.address('biz-en'), locale: 'en' },
    { email: p.address('biz-de', 'example.org'), locale: 'de' },
  ];
  for (const c of developers)
    await p.herald.directory.putContact(PROJECT.key, { ...c, optedOut: false, audience: 'developers' });
  for (const c of business)
    await p.herald.directory.putContact(PROJECT.key, { ...c, optedOut: false, audience: 'business' });
});

afterAll(async () => {
  await p?.stop();
});

describe('Pipeline: audiences and issue scope', () => {
  it('sends each audience only its issues, never a left-out one, with one LLM call per point x locale x audience', async () => {
    // Arrange
    const everyone = [...developers, ...business].map((c) => c.email);
    const openAiBefore = p.openai.calls.count;
    expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
    await p.waitForIdle();
    const schedules = await p.schedulesOf(version.id);

    // Act: walk the clock to each point (all contacts are in UTC: one schedule per point).
    let sent = 0;
    for (const point of POINTS) {
      p.clock.set(wallClockToUtc(`${addDays(releaseDate, point.days)}T09:00:00`, 'UTC'));
      await p.waitForFires(schedules.filter((s) => s.name.includes(`-${point.id}-`)).map((s) => s.name));
      sent += everyone.length;
      await p.waitForEmails(everyone, sent);
    }
    await p.waitForIdle();
    const emails = await p.emailsTo(everyone);

    // Assert: every recipient exactly one email per point, citing only its audience's issues.
    expect(emails).toHaveLength(POINTS.length * everyone.length);
    for (const [contacts, keys] of [
      [developers, DEVELOPER_KEYS],
      [business, BUSINESS_KEYS],
    ] as const) {
      for (const contact of contacts) {
        const mine = emails.filter((e) => e.to.includes(contact.email));
        expect(mine.map((e) => e.headers['x-herald-point']).sort(), contact.email).toEqual(
          POINTS.map((point) => point.id).sort(),
        );
        for (const email of mine) {
          expect(keysIn(email), contact.email).toEqual(keys);
          // The draft of the contact's locale: the stand-in's phrase in that language, and its lang.
          expect(email.subject).toContain(standInPhrases(contact.locale).upcoming);
          expect(email.html).toContain(`<html lang="${contact.locale}">`);
        }
      }
    }
    for (const email of emails) {
      for (const key of LEFT_OUT_KEYS) {
        expect(email.text, `${key} in ${email.to.join()}`).not.toContain(key);
        expect(email.html, `${key} in ${email.to.join()}`).not.toContain(key);
      }
    }
    // points (2) x locales (en, de) x audiences (developers, business).
    expect(p.openai.calls.count - openAiBefore).toBe(POINTS.length * 2 * 2);
  });

  it('puts the compose job in the DLQ naming the project and field when Jira rejects the release-note field, and sends after the fix and a redrive', async () => {
    // Arrange: a second release whose policy names a custom field Jira does not have.
    const bad = { id: '10701', key: 'AUDBAD', name: 'Bad Field Shop' };
    // A day later than the first release: its point is still ahead of the test clock.
    const badDate = addDays(releaseDate, 1);
    const badVersion = { id: '20702', projectId: bad.id, name: 'Bad Field Release', releaseDate: badDate };
    const contact = p.address('olga');
    p.jira.putProject(bad);
    p.jira.putVersion(badVersion);
    p.jira.setIssues(badVersion.id, [{ key: 'AUDBAD-1', summary: 'Orders split into parcels' }]);
    await p.herald.directory.putPolicy(bad.key, {
      ...policyOf(parsePointSpecs('-1d@09:00')),
      references: 'keys',
      releaseNoteField: 'customfield_99999',
    });
    await p.herald.directory.putContact(bad.key, { email: contact, locale: 'en', optedOut: false });
    expect(await p.postVersionEvent('jira:version_created', badVersion)).toBe(202);
    await p.waitForIdle();
    const [schedule] = await p.schedulesOf(badVersion.id);
    const cli = (args: string[]) => herald([...args, '--endpoint', e2eEndpoint(), '--env', p.env]);

    // Act 1: the point comes.
    p.clock.set(wallClockToUtc(`${addDays(badDate, -1)}T09:00:00`, 'UTC'));
    await p.waitForFires([schedule?.name ?? 'missing']);
    await p.waitForIdle();
    const peek = await cli(['dlq', 'peek', 'compose', '--json']);

    // Assert 1: nothing sent; the reason names the project and the field.
    expect(await p.emailsTo([contact])).toEqual([]);
    const dead = jsonOf<{ messages: { reason: string; error: string }[] }>(peek).messages;
    expect(dead).toEqual([
      expect.objectContaining({
        reason: 'permanent:scope_rejected',
        error: expect.stringContaining(
          "project AUDBAD: Jira rejected the policy's releaseNoteField customfield_99999",
        ),
      }),
    ]);

    // Act 2: the field exists now (the team created it in Jira); the DLQ is redriven.
    p.jira.putCustomField('customfield_99999');
    const redrive = await cli(['dlq', 'redrive', 'compose', '--json']);
    const [email] = await waitFor(
      'the email after the redrive',
      async () => {
        const found = await p.emailsTo([contact]);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    // Assert 2
    expect(redrive.code).toBe(0);
    expect(email?.text).toContain('AUDBAD-1');
  });
});
