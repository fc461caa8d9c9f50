import { describe, expect, it } from 'vitest';
import { DRAFT_PLACEHOLDERS, type LlmEmail } from '#contracts/emailDraft';
import { PermanentError } from '#shared/errors';
import { issueBrowseBase, type RenderContext, renderEmail } from '#stages/compose/renderEmail';

const SITE = 'https://acme.example.net';

const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  projectName: 'Billing',
  versionName: 'Billing 2.4',
  releaseDate: '2026-12-15',
  siteUrl: SITE,
  locale: 'en',
  // The staff view (Jira links): what these tests were written against. The client modes
  // (none, keys, links) have their own describe block below.
  references: { mode: 'jira' },
  ...overrides,
});

const email = (overrides: Partial<LlmEmail> = {}): LlmEmail => ({
  subject: 'Billing 2.4 arrives tomorrow',
  preheader: 'Faster invoices and CSV exports',
  intro: 'Billing 2.4 ships tomorrow.\n\nHere is what changes.',
  sections: [
    {
      heading: 'New',
      items: [
        { text: 'Invoices render twice as fast', issueKeys: ['BILL-1'] },
        { text: 'CSV export of payments', issueKeys: ['BILL-2', 'BILL-3'] },
      ],
    },
  ],
  outro: 'Thanks for working with us.',
  ...overrides,
});

const ATTACK = `<script>alert(1)</script><img src=x onerror="alert(2)"> ' \` & <a href="https://evil.example.org/x">click</a>`;

/** Every start tag of an HTML document: name and raw attribute text. */
const startTags = (html: string): Array<{ name: string; attributes: string }> =>
  [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attributes: m[2] ?? '',
  }));

/** Every attribute name in the document's start tags. */
const attributeNames = (html: string): Set<string> =>
  new Set(
    startTags(html).flatMap((t) =>
      [...t.attributes.matchAll(/\s([a-zA-Z-]+)=("[^"]*"|'[^']*'|[^\s>]+)/g)].map((m) => m[1] ?? ''),
    ),
  );

const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('Function: renderEmail', () => {
  it('renders the content into both parts', () => {
    // Act
    const out = renderEmail(email(), context());

    // Assert
    for (const part of [out.html, out.text]) {
      expect(part).toContain('Billing 2.4 ships tomorrow.');
      expect(part).toContain('Invoices render twice as fast');
      expect(part).toContain('CSV export of payments');
      expect(part).toContain('Thanks for working with us.');
      expect(part).toContain('December 15, 2026');
      expect(part).toContain('New');
    }
    expect(out.subject).toBe('Billing 2.4 arrives tomorrow');
    expect(out.html).toContain('<html lang="en">');
    expect(out.text).toContain('- CSV export of payments (BILL-2, BILL-3)');
    expect(out.text).toContain(`BILL-3: ${SITE}/browse/BILL-3`);
  });

  it('puts the preheader in a hidden span and not in the text part', () => {
    // Act
    const out = renderEmail(email(), context());

    // Assert
    expect(out.html).toMatch(/<span style="display:none;[^"]*">Faster invoices and CSV exports<\/span>/);
    expect(out.text).not.toContain('Faster invoices and CSV exports');
  });

  it('links issue keys only to the Jira site browse page', () => {
    // Act
    const out = renderEmail(email(), context({ siteUrl: `${SITE}/` }));

    // Assert
    expect(hrefs(out.html)).toEqual([
      `${SITE}/browse/BILL-1`,
      `${SITE}/browse/BILL-2`,
      `${SITE}/browse/BILL-3`,
      DRAFT_PLACEHOLDERS.unsubscribeUrl,
    ]);
  });

  it('escapes markup from the LLM and from Jira everywhere and adds no link or attribute of its own', () => {
    // Arrange
    const hostile = email({
      subject: ATTACK,
      preheader: ATTACK,
      intro: `${ATTACK}\n${ATTACK}`,
      sections: [{ heading: ATTACK, items: [{ text: ATTACK, issueKeys: ['BILL-1'] }] }],
      outro: `${ATTACK} see https://evil.example.org/phish and www.evil.example.org`,
    });

    // Act
    const out = renderEmail(hostile, context({ projectName: ATTACK, versionName: ATTACK, locale: 'en' }));

    // Assert
    expect(out.html).not.toContain('<script');
    expect(out.html).not.toContain('<img');
    expect(out.html).not.toContain('onerror="');
    expect(out.html).not.toContain('`');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html).toContain('&#39; &#96; &amp;');
    expect(new Set(startTags(out.html).map((t) => t.name))).toEqual(
      new Set([
        'html',
        'head',
        'meta',
        'title',
        'body',
        'span',
        'div',
        'p',
        'h1',
        'br',
        'h2',
        'ul',
        'li',
        'a',
        'hr',
      ]),
    );
    expect(attributeNames(out.html)).toEqual(
      new Set(['lang', 'charset', 'name', 'content', 'style', 'href']),
    );
    expect(hrefs(out.html)).toEqual([`${SITE}/browse/BILL-1`, DRAFT_PLACEHOLDERS.unsubscribeUrl]);
    // The text part is plain text: kept as written, never turned into a link list entry.
    expect(out.text).toContain('<script>alert(1)</script>');
    expect(out.text).not.toContain('evil.example.org/x:');
  });

  it('never lets untrusted text produce a placeholder in either part', () => {
    // Arrange
    const injected = `Hi {{recipient_name}} {{{unsubscribe_url}}} {{ {{unsubscribe_url}} {`;
    const hostile = email({
      subject: injected,
      preheader: injected,
      intro: `${injected}\n{`,
      sections: [{ heading: injected, items: [{ text: `${injected}{`, issueKeys: ['BILL-1'] }] }],
      outro: injected,
    });

    // Act
    const out = renderEmail(hostile, context({ projectName: injected, versionName: `{${injected}` }));

    // Assert
    for (const part of [out.html, out.text]) {
      expect(count(part, DRAFT_PLACEHOLDERS.name)).toBe(1);
      expect(count(part, DRAFT_PLACEHOLDERS.unsubscribeUrl)).toBe(1);
    }
    expect(out.html).toContain(`Hi ${DRAFT_PLACEHOLDERS.name},`);
    expect(out.html).toContain(`href="${DRAFT_PLACEHOLDERS.unsubscribeUrl}"`);
    expect(out.text).toContain(`Hi ${DRAFT_PLACEHOLDERS.name},`);
    expect(out.text).toContain(`Unsubscribe: ${DRAFT_PLACEHOLDERS.unsubscribeUrl}`);
    expect(out.html).toContain('&#123; &#123;recipient_name&#125;&#125;');
    expect(out.text).toContain('{ {recipient_name}}');
  });

  it('gives a one-line subject without CR, LF or control characters', () => {
    // Arrange
    const hostile = email({ subject: 'Release\r\nBcc: victim@example.com\u0000\u0007\t notes\u202E' });

    // Act
    const out = renderEmail(hostile, context());

    // Assert
    expect(out.subject).toBe('Release Bcc: victim@example.com notes');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(out.subject).not.toMatch(/[\u0000-\u001F\u007F\u202E]/);
  });

  it('falls back to project and version when the subject is blank after cleaning', () => {
    expect(renderEmail(email({ subject: '\r\n\t' }), context()).subject).toBe('Billing Billing 2.4');
  });

  it('cuts an over-long subject to 150 characters', () => {
    expect(renderEmail(email({ subject: 'x'.repeat(400) }), context()).subject).toHaveLength(150);
  });

  it('does not link a cited key that is not a Jira issue key', () => {
    // Arrange: the schema stops this; the renderer must not rely on it.
    const odd = email({
      sections: [{ heading: 'H', items: [{ text: 'x', issueKeys: ['javascript:alert(1)//-1'] }] }],
    });

    // Act
    const out = renderEmail(odd, context());

    // Assert
    expect(hrefs(out.html)).toEqual([DRAFT_PLACEHOLDERS.unsubscribeUrl]);
    expect(out.html).toContain('(javascript:alert(1)//-1)');
  });

  it('uses the template wording and date format of the locale', () => {
    // Act
    const out = renderEmail(email(), context({ locale: 'de-AT' }));

    // Assert
    expect(out.html).toContain('<html lang="de-AT">');
    expect(out.html).toContain(`Hallo ${DRAFT_PLACEHOLDERS.name},`);
    expect(out.html).toContain('15. Dezember 2026');
    expect(out.text).toContain(`Abmelden: ${DRAFT_PLACEHOLDERS.unsubscribeUrl}`);
  });

  it('says the release date is not set when the version has none', () => {
    expect(renderEmail(email(), context({ releaseDate: undefined })).text).toContain('Release date: not set');
  });

  it.each([
    'javascript:alert(1)',
    'ftp://acme.example.net',
    'https://user:pass@acme.example.net',
    'https://acme.example.net/?q=1',
    'https://acme.example.net/#x',
    'acme.example.net',
  ])('rejects the site URL %s with a PermanentError', (siteUrl) => {
    expect(() => renderEmail(email(), context({ siteUrl }))).toThrow(PermanentError);
  });
});

describe('Function: issueBrowseBase', () => {
  it('keeps a context path and drops trailing slashes', () => {
    expect(issueBrowseBase('https://jira.example.org/jira//')).toBe('https://jira.example.org/jira/browse/');
    expect(issueBrowseBase('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/browse/');
  });
});

describe('Function: renderEmail (reference modes of client emails)', () => {
  const TEMPLATE = 'https://status.example.com/changes/{key}';

  it('shows no key and no link in either part by default (mode none)', () => {
    // Act
    const out = renderEmail(email(), context({ references: undefined }));

    // Assert
    for (const part of [out.html, out.text]) {
      expect(part).toContain('CSV export of payments');
      expect(part).not.toMatch(/BILL-\d/);
      expect(part).not.toContain(SITE);
      expect(part).not.toContain('Issues mentioned');
    }
    expect(hrefs(out.html)).toEqual([DRAFT_PLACEHOLDERS.unsubscribeUrl]);
    expect(out.text).toContain('- CSV export of payments\n');
  });

  it('shows the plain keys without links in mode keys', () => {
    // Act
    const out = renderEmail(email(), context({ references: { mode: 'keys' } }));

    // Assert
    expect(hrefs(out.html)).toEqual([DRAFT_PLACEHOLDERS.unsubscribeUrl]);
    expect(out.html).toContain('CSV export of payments <span style="color:#5e6c84;">(BILL-2, BILL-3)</span>');
    expect(out.text).toContain('- CSV export of payments (BILL-2, BILL-3)');
    for (const part of [out.html, out.text]) {
      expect(part).not.toContain(SITE);
      expect(part).not.toContain('Issues mentioned');
    }
  });

  it('links each key through the policy template in mode links, never to Jira', () => {
    // Act
    const out = renderEmail(email(), context({ references: { mode: 'links', linkTemplate: TEMPLATE } }));

    // Assert
    expect(hrefs(out.html)).toEqual([
      'https://status.example.com/changes/BILL-1',
      'https://status.example.com/changes/BILL-2',
      'https://status.example.com/changes/BILL-3',
      DRAFT_PLACEHOLDERS.unsubscribeUrl,
    ]);
    expect(out.text).toContain('- CSV export of payments (BILL-2, BILL-3)');
    expect(out.text).toContain(
      'Issues mentioned:\nBILL-1: https://status.example.com/changes/BILL-1\n' +
        'BILL-2: https://status.example.com/changes/BILL-2\nBILL-3: https://status.example.com/changes/BILL-3',
    );
    for (const part of [out.html, out.text]) expect(part).not.toContain(SITE);
  });

  it('adds the footer line, escaped, to both parts', () => {
    // Act
    const out = renderEmail(
      email(),
      context({ references: undefined, footerLine: 'Acme & Co · Hauptstraße 1 · 10115 Berlin <x>' }),
    );

    // Assert
    expect(out.html).toContain('>Acme &amp; Co · Hauptstraße 1 · 10115 Berlin &lt;x&gt;</p>');
    expect(out.text).toMatch(
      /Unsubscribe: \{\{unsubscribe_url\}\}\nAcme & Co · Hauptstraße 1 · 10115 Berlin <x>\n$/,
    );
  });
});
