import { describe, expect, it } from 'vitest';
import { buildRawEmail } from '#adapters/mailer/buildRawEmail';
import { type OutboxEmail, parseRawEmail } from '#local/Outbox';
import { unsubscribeUrl } from '#shared/unsubscribeToken';
import { renderEmail } from '#stages/compose/renderEmail';
import { fillPlaceholders } from '#stages/send/fillPlaceholders';
import { assertSafeEmail, auditEmail, type SafeEmailExpectation } from '#test/corpus/assertSafeEmail';

const SITE = 'http://127.0.0.1:4001';
const UNSUBSCRIBE = 'http://127.0.0.1:4002/unsubscribe';
const RECIPIENT = 'ada@example.com';
const KEYS = { keys: ['assert-safe-email-signing-key-0123456789'] };

const expected: SafeEmailExpectation = {
  recipient: RECIPIENT,
  siteUrl: SITE,
  releaseKeys: new Set(['SAFE-1', 'SAFE-2']),
  unsubscribeUrl: UNSUBSCRIBE,
  projectKey: 'SAFE',
  versionId: '10001',
  signingKeys: KEYS,
  hostile: ['<b>bold</b>'],
  visible: ['<b>bold</b> is shown as text'],
  source: 'llm',
};

/** A real email as the pipeline builds it: rendered, filled in, composed as MIME, parsed back. */
const safeEmail = async (): Promise<OutboxEmail> => {
  const draft = renderEmail(
    {
      subject: 'Safe 1.0 is coming',
      preheader: 'Two changes',
      intro: 'Here is what is coming.',
      sections: [
        {
          heading: 'Changes',
          items: [
            { text: '<b>bold</b> is shown as text', issueKeys: ['SAFE-1'] },
            { text: 'Second', issueKeys: ['SAFE-2'] },
          ],
        },
      ],
      outro: 'Thanks.',
    },
    {
      projectName: 'Safe',
      versionName: 'Safe 1.0',
      releaseDate: '2030-01-02',
      siteUrl: SITE,
      locale: 'en',
      references: { mode: 'jira' },
    },
  );
  const url = unsubscribeUrl(UNSUBSCRIBE, KEYS, { projectKey: 'SAFE', email: RECIPIENT });
  const values = { name: 'Ada', unsubscribeUrl: url };
  const raw = await buildRawEmail({
    from: 'releases@example.com',
    to: RECIPIENT,
    subject: draft.subject,
    html: fillPlaceholders(draft.html, values, 'html'),
    text: fillPlaceholders(draft.text, values, 'text'),
    headers: {
      'List-Unsubscribe': `<${url}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Release': '10001',
      'X-Herald-Point': 'b1d0h0m0900',
      'X-Herald-Draft-Source': 'llm',
    },
    tags: {},
  });
  return parseRawEmail('m-1', raw.toString('utf8'));
};

const withHtml = (email: OutboxEmail, edit: (html: string) => string): OutboxEmail => ({
  ...email,
  html: edit(email.html ?? ''),
});

describe('Function: assertSafeEmail', () => {
  it('passes an email the pipeline renders, and counts its issue links', async () => {
    // Arrange
    const email = await safeEmail();

    // Act
    const audit = assertSafeEmail(email, expected);

    // Assert
    expect(audit.linkedKeys).toEqual(['SAFE-1', 'SAFE-2']);
  });

  it.each([
    ['a script tag', (h: string) => h.replace('</h1>', '</h1><script>alert(1)</script>'), /tag <script>/],
    ['an event handler', (h: string) => h.replace('<h1 ', '<h1 onclick="x()" '), /event handler onclick/],
    [
      'a javascript: link',
      (h: string) => h.replace('</h1>', '</h1><a href="javascript:alert(1)">x</a>'),
      /javascript/,
    ],
    [
      'a foreign link',
      (h: string) => h.replace('</h1>', '</h1><a href="https://evil.example/">x</a>'),
      /foreign link/,
    ],
    [
      'a link to another issue',
      (h: string) => h.replace(`${SITE}/browse/SAFE-2`, `${SITE}/browse/EVIL-1`),
      /EVIL-1/,
    ],
    [
      'an image',
      (h: string) => h.replace('</h1>', '</h1><img src="https://evil.example/p.gif">'),
      /tag <img>/,
    ],
    ['a raw < in text', (h: string) => h.replace('Second', 'a < b > c'), /raw < or >/],
    [
      'the hostile string as is',
      (h: string) => h.replace('&lt;b&gt;bold&lt;/b&gt;', '<b>bold</b>'),
      /written as is/,
    ],
    [
      'a style that loads a URL',
      (h: string) => h.replace('style="', 'style="background:url(//evil.example);'),
      /style/,
    ],
    ['a comment', (h: string) => h.replace('</h1>', '</h1><!-- x -->'), /comment/],
    ['placeholder residue', (h: string) => h.replace('Second', '{{unsubscribe_url}}'), /placeholder residue/],
    [
      'no unsubscribe link',
      (h: string) => h.replace(/<a href="http:\/\/127\.0\.0\.1:4002[^>]*>/, '<a href="#">'),
      /0 unsubscribe links|foreign link/,
    ],
  ])('reports %s in the HTML', async (_name, edit, problem) => {
    // Arrange
    const email = withHtml(await safeEmail(), edit);

    // Act
    const { problems } = auditEmail(email, expected);

    // Assert
    expect(problems.join('\n')).toMatch(problem);
    expect(() => assertSafeEmail(email, expected)).toThrow(problem);
  });

  it.each([
    [
      'a Bcc header',
      (raw: string) => raw.replace('\r\nSubject:', '\r\nBcc: eve@example.org\r\nSubject:'),
      /unexpected header "bcc"/,
    ],
    [
      'a second recipient',
      (raw: string) => raw.replace(`To: ${RECIPIENT}`, `To: ${RECIPIENT}, eve@example.org`),
      /To is/,
    ],
    [
      'a second To header',
      (raw: string) => raw.replace('\r\nSubject:', '\r\nTo: eve@example.org\r\nSubject:'),
      /to appears 2 times/,
    ],
    [
      'another release',
      (raw: string) => raw.replace('X-Herald-Release: 10001', 'X-Herald-Release: 10002'),
      /X-Herald-Release/,
    ],
  ])('reports %s in the headers', async (_name, edit, problem) => {
    const email = await safeEmail();
    const changed = await parseRawEmail('m-2', edit(email.raw));

    expect(auditEmail(changed, expected).problems.join('\n')).toMatch(problem);
  });

  it('reports a recipient other than the expected one, text residue and missing visible text', async () => {
    const email = await safeEmail();

    const problems = auditEmail(
      { ...email, text: `${email.text}{{recipient_name}}` },
      { ...expected, recipient: 'eve@example.org', visible: ['never rendered'], invisible: ['Second'] },
    ).problems.join('\n');

    expect(problems).toMatch(/To is/);
    expect(problems).toMatch(/text: placeholder residue/);
    expect(problems).toMatch(/"never rendered" not shown/);
    expect(problems).toMatch(/contains "Second"/);
  });
});
