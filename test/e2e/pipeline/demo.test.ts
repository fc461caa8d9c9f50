import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoWebhookBody, postSignedWebhook, seedDemo } from '#local/demo';
import type { OutboxEmail } from '#local/Outbox';
import { STAND_IN_PHRASES } from '#test/standins/standInPhrases';
import { type Pipeline, startPipeline } from './support.ts';

/**
 * The English sentences and headings the OpenAI stand-in writes itself (its phrase table), plus
 * the English template wording: none may reach a German contact.
 */
const englishSentences = (project: string, version: string): string[] => {
  const en = STAND_IN_PHRASES.en;
  if (!en) throw new Error('no English phrases');
  return [
    en.upcoming,
    en.available,
    en.outro,
    en.introUpcoming(version, project),
    en.introAvailable(version, project),
    en.preheader(DEMO.issues.length, version),
    ...Object.values(en.headings),
    'Hi ',
    'Unsubscribe',
    'You receive this email',
    'Release date',
  ];
};

let p: Pipeline;
let emails: OutboxEmail[];
let contacts: Array<{ email: string; name?: string; locale: string }>;

beforeAll(async () => {
  p = await startPipeline({ label: 'demo' });
  // The demo's contacts with addresses unique to this run (the SES store is shared).
  contacts = DEMO.contacts.map((c) => ({ ...c, email: p.address(c.email.split('@')[0] ?? 'x') }));
  // Seeded as if started 10 minutes from now: every point lies beyond the schedule stage's
  // 2-minute fire window, so each gets a schedule and the test clock (not SQS delays) fires them.
  const now = new Date(p.clock.now().getTime() + 10 * 60_000);
  const { releaseDate, due } = await seedDemo(p.jira, p.herald.directory, now, contacts);
  const status = await postSignedWebhook(
    p.herald.webhookUrl,
    p.webhookSecret,
    demoWebhookBody(releaseDate, now),
  );
  expect(status).toBe(202);
  await p.waitForIdle();
  const last = due.at(-1);
  if (!last) throw new Error('the demo has no send point');
  p.clock.set(new Date(last.getTime() + 1000));
  emails = await p.waitForEmails(
    contacts.map((c) => c.email),
    due.length * contacts.length,
    120_000,
  );
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

describe('Demo: what a client receives', () => {
  it('sends every email from the project display name with the demo Reply-To and footer', () => {
    expect(emails).toHaveLength(9);
    for (const email of emails) {
      expect(email.fromName).toBe('Demo Shop releases');
      expect(email.headers.from).toMatch(/^"?Demo Shop releases"? <releases@/);
      expect(email.replyTo).toEqual([DEMO.sender.replyTo]);
      expect(email.html).toContain('Demo Shop GmbH · Musterstraße 1 · 10115 Berlin · Germany');
      expect(email.text).toContain('Demo Shop GmbH · Musterstraße 1 · 10115 Berlin · Germany');
    }
  });

  it('shows no Jira URL and no issue key by default, in either part', () => {
    for (const email of emails) {
      for (const part of [email.html ?? '', email.text ?? '']) {
        expect(part).not.toContain(p.jira.url);
        expect(part).not.toContain('/browse/');
        expect(part).not.toMatch(/DEMO-\d/);
      }
      expect(email.headers['list-unsubscribe']).not.toContain('%40');
    }
  });

  it('writes well-formed English: no locale prefix, the version with its dot', () => {
    const english = emails.filter((e) => e.html?.includes('<html lang="en">'));
    expect(english).toHaveLength(6);
    for (const email of english) {
      expect(email.subject).toMatch(/^Demo Shop Release 1\.0: (coming soon|now available)$/);
      expect(email.text).toContain('Here is what is coming in Release 1.0 of Demo Shop.');
      expect(`${email.subject}${email.text}`).not.toMatch(/\[[a-z]{2}(-[A-Z]{2})?\]|Release 1 0/);
    }
  });

  it("writes the German contact's email with no English sentence of the stand-in or template", () => {
    const german = emails.filter((e) => e.html?.includes('<html lang="de">'));
    expect(german).toHaveLength(3);
    for (const email of german) {
      expect(email.subject).toBe('Demo Shop Release 1.0: bald verfügbar');
      expect(email.text).toContain('Das kommt mit Release 1.0 von Demo Shop.');
      expect(email.text).toContain('Neue Funktionen');
      expect(email.text).toContain('Vielen Dank für die gute Zusammenarbeit.');
      for (const sentence of englishSentences('Demo Shop', 'Release 1.0')) {
        for (const part of [email.subject, email.html ?? '', email.text ?? '']) {
          expect(part, sentence).not.toContain(sentence);
        }
      }
    }
  });
});
