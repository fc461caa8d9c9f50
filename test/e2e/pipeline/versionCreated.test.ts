import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEmail } from '#local/Outbox';
import { openUnsubscribeToken } from '#shared/unsubscribeToken';
import { putRelease } from './seed.ts';
import { addDays, daysFromToday, type Pipeline, SENDER, startPipeline, wallClockToUtc } from './support.ts';

const PROJECT = { id: '10100', key: 'ACME', name: 'Acme Shop' };
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
/** The default policy's points (-7d, -1d, 0d at 09:00) as the schedule stage names them. */
const POINTS = [
  { id: 'b7d0h0m0900', days: -7 },
  { id: 'b1d0h0m0900', days: -1 },
  { id: 'a0d0h0m0900', days: 0 },
] as const;

const zoneTag = (zone: string) => createHash('sha256').update(zone).digest('hex').slice(0, 8);
/** Newlines of folded header lines removed. */
const unfold = (value: string | undefined) => (value ?? '').replace(/\r?\n[ \t]+/g, ' ');

let p: Pipeline;
const releaseDate = daysFromToday(30);
const version = { id: '20101', projectId: PROJECT.id, name: 'Spring Release', releaseDate };
let contacts: { email: string; name: string; locale: string; timeZone: string }[];

beforeAll(async () => {
  p = await startPipeline({ label: 'created' });
  contacts = [
    { email: p.address('ada'), name: 'Ada', locale: 'en', timeZone: BERLIN },
    { email: p.address('jonas', 'example.org'), name: 'Jonas', locale: 'de', timeZone: BERLIN },
    { email: p.address('grace', 'example.net'), name: 'Grace', locale: 'en', timeZone: NEW_YORK },
  ];
  putRelease(p, PROJECT, version, [
    { key: 'ACME-1', summary: 'Checkout remembers the delivery address', issueType: 'Story' },
    { key: 'ACME-2', summary: 'Invoices download as PDF', issueType: 'Improvement' },
    { key: 'ACME-3', summary: 'Cart total was wrong for items out of stock', issueType: 'Bug' },
  ]);
  // No policy stored: the default one (-7d, -1d, 0d at 09:00 local) applies.
  for (const c of contacts) await p.herald.directory.putContact(PROJECT.key, { ...c, optedOut: false });
});

afterAll(async () => {
  await p?.stop();
});

/** The six expected schedules: one per point and zone, one chunk each. */
const expected = () =>
  POINTS.flatMap((point) =>
    [BERLIN, NEW_YORK].map((zone) => {
      const at = `${addDays(releaseDate, point.days)}T09:00:00`;
      return {
        name: `rh-${version.id}-${point.id}-${zoneTag(zone)}-0`,
        pointId: point.id,
        zone,
        at,
        dueAt: wallClockToUtc(at, zone),
        recipients: contacts
          .filter((c) => c.timeZone === zone)
          .map((c) => ({ email: c.email, name: c.name, locale: c.locale }))
          .sort((a, b) => (a.email < b.email ? -1 : 1)),
      };
    }),
  );

describe('Pipeline: jira:version_created', () => {
  it('creates one schedule per point and zone with deterministic names, local times and compose jobs', async () => {
    // act
    const status = await p.postVersionEvent('jira:version_created', version);
    await p.waitForIdle();
    const schedules = await p.schedulesOf(version.id);

    // assert
    expect(status).toBe(202);
    const want = expected();
    expect(schedules.map((s) => s.name)).toEqual(want.map((w) => w.name).sort());
    for (const w of want) {
      const schedule = schedules.find((s) => s.name === w.name);
      expect(schedule, w.name).toMatchObject({ at: w.at, timeZone: w.zone });
      expect(schedule?.job).toMatchObject({
        kind: 'compose.job',
        reschedules: 0,
        payload: {
          versionId: version.id,
          projectKey: PROJECT.key,
          pointId: w.pointId,
          pointKind: 'before',
          releaseDate,
          timeZone: w.zone,
          dueAt: w.dueAt.toISOString(),
          chunk: { index: 0, count: 1 },
          recipients: w.recipients,
        },
      });
    }
    expect(p.fired).toEqual([]);
  });

  it('sends exactly one email per recipient at each point, and nothing before it is due', async () => {
    // arrange
    const points = expected().sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    const everyone = contacts.map((c) => c.email);
    let sent = 0;

    // act: walk the clock to each point; one second early nothing fires, on time it does.
    const early: unknown[] = [];
    for (const point of points) {
      p.clock.set(new Date(point.dueAt.getTime() - 1000));
      early.push(...(await p.herald.scheduler.tick()));
      p.clock.set(point.dueAt);
      await p.waitForFires([point.name]);
      sent += point.recipients.length;
      await p.waitForEmails(everyone, sent);
    }
    await p.waitForIdle();
    const emails = await p.emailsTo(everyone);

    // assert
    expect(early).toEqual([]);
    expect(p.fired.map((f) => f.name)).toEqual(points.map((point) => point.name));
    expect(emails).toHaveLength(POINTS.length * contacts.length);
    for (const point of POINTS) {
      for (const contact of contacts) {
        const mine = emails.filter(
          (e) => e.to.includes(contact.email) && e.headers['x-herald-point'] === point.id,
        );
        expect(mine, `${point.id} → ${contact.name}`).toHaveLength(1);
        checkEmail(mine[0] as OutboxEmail, contact);
      }
    }
    // One LLM call per point and locale (en, de): New York's English reuses Berlin's draft.
    expect(p.openai.calls.count).toBe(POINTS.length * 2);
  });
});

/** What a recipient sees: headers, subject, both parts, the unsubscribe link. */
const checkEmail = (email: OutboxEmail, contact: { email: string; name: string; locale: string }) => {
  const unsubscribe = unfold(email.headers['list-unsubscribe']);
  const url = /^<(.+)>$/.exec(unsubscribe)?.[1] ?? '';
  const link = new URL(url);
  expect(email.from).toBe(SENDER);
  // No sender identity in the policy: the default display name, no Reply-To.
  expect(email.fromName).toBe(`${PROJECT.name} releases`);
  expect(email.replyTo).toEqual([]);
  expect(email.to).toEqual([contact.email]);
  const upcoming = contact.locale === 'de' ? 'bald verfügbar' : 'coming soon';
  expect(email.subject).toBe(`${PROJECT.name} ${version.name}: ${upcoming}`);
  expect(email.headers['x-herald-release']).toBe(version.id);
  expect(email.headers['x-herald-draft-source']).toBe('llm');
  expect(unfold(email.headers['list-unsubscribe-post'])).toBe('List-Unsubscribe=One-Click');
  expect(`${link.origin}${link.pathname}`).toBe(new URL('unsubscribe', p.herald.webhookUrl).toString());
  // Opaque: only the sealed token, which opens to this project and recipient.
  expect([...link.searchParams.keys()]).toEqual(['t']);
  expect(url).not.toContain(contact.email.split('@')[0] ?? '');
  expect(openUnsubscribeToken(p.signingKeys, link.searchParams.get('t') ?? '')).toEqual({
    projectKey: PROJECT.key,
    email: contact.email,
  });

  const greeting = contact.locale === 'de' ? `Hallo ${contact.name},` : `Hi ${contact.name},`;
  expect(email.html).toContain(`<html lang="${contact.locale}">`);
  expect(email.html).toContain(greeting);
  // No policy: references `none`, so neither part shows a key or a Jira URL.
  expect(email.html).toContain('Checkout remembers the delivery address.');
  expect(email.html).toContain(`href="${url.replaceAll('&', '&amp;')}"`);
  expect(email.text).toContain(greeting);
  expect(email.text).toContain('- Cart total was wrong for items out of stock.\n');
  expect(email.text).toContain(url);
  for (const part of [email.html, email.text]) {
    expect(part).not.toContain(p.jira.url);
    expect(part).not.toContain('/browse/');
    expect(part).not.toMatch(/ACME-\d/);
  }
};
