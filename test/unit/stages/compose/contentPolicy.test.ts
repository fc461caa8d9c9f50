import { describe, expect, it } from 'vitest';
import {
  checkContentPolicy,
  contentPolicyFeedback,
  findContactDetails,
  MAX_REPORTED_CHARS,
  redactContactDetails,
} from '#stages/compose/contentPolicy';
import { llmEmail } from '#test/factories/FakeLlm';

describe('Function: findContactDetails', () => {
  it.each([
    [
      'Log in at https://evil.example/login?next=billing to keep access',
      'url',
      'https://evil.example/login?next=billing',
    ],
    ['Details: hxxps://evil.example/x', 'url', 'hxxps://evil.example/x'],
    ['See ftp://files.example.org/export.csv', 'url', 'ftp://files.example.org/export.csv'],
    ['Go to www.evil-login.example now', 'url', 'www.evil-login.example'],
    ['Write to mailto:ada@example.com', 'url', 'mailto:ada@example.com'],
    ['Click javascript:alert(document.cookie)', 'url', 'javascript:alert(document.cookie)'],
    ['Dial tel:+15550100199', 'url', 'tel:+15550100199'],
    ['Verify your account on evil-login.com today', 'domain', 'evil-login.com'],
    ['Verify your account on EVIL-LOGIN.COM today', 'domain', 'EVIL-LOGIN.COM'],
    ['Help at support.acme.co.uk.', 'domain', 'support.acme.co.uk'],
    ['Hidden: evil\u200b.com', 'domain', 'evil.com'],
    ['Full-width: evil\uff0ecom', 'domain', 'evil.com'],
    ['Ideographic: evil\u3002com', 'domain', 'evil.com'],
    ['Spelled: evil [.] com', 'domain', 'evil [.] com'],
    ['Spelled: evil (dot) com', 'domain', 'evil (dot) com'],
    ['Spelled: evil dot com', 'domain', 'evil dot com'],
    ['IDN: пример.рф', 'domain', 'пример.рф'],
    ['Punycode: xn--80ak6aa92e.com', 'domain', 'xn--80ak6aa92e.com'],
    ['Read readme.md first', 'domain', 'readme.md'],
    ['Server 192.168.10.1 is new', 'domain', '192.168.10.1'],
    ['Questions? ada@example.com', 'email', 'ada@example.com'],
    ['Questions? ada.lovelace+billing@mail.example.org.', 'email', 'ada.lovelace+billing@mail.example.org'],
    ['Full-width at: ada\uff20example.com', 'email', 'ada@example.com'],
    ['Spelled: ada [at] example', 'email', 'ada [at] example'],
    ['Call +1 555 0100 for a refund', 'phone', '+1 555 0100'],
    ['Call +49 (0)30 1234 5678', 'phone', '+49 (0)30 1234 5678'],
    ['Call (030) 1234567', 'phone', '(030) 1234567'],
    ['Call 0049 30 1234567', 'phone', '0049 30 1234567'],
    ['Call 555-010-0199', 'phone', '555-010-0199'],
    ['Call 555.010.0199', 'phone', '555.010.0199'],
    ['Call 5550100199', 'phone', '5550100199'],
  ])('finds in %j a %s', (text, kind, match) => {
    // Act
    const found = findContactDetails(text);

    // Assert
    expect(found).toEqual([{ kind, text: match }]);
  });

  it.each([
    'Billing 2.4 arrives tomorrow.',
    'Upgrade from version 2.0 to v1.2.3 or 1.0.0-beta.2 is automatic.',
    'Versions 2.3.4 and 10.4.12.1003 and 2.0.beta ship together.',
    'Many fixes, e.g. exports; i.e. faster. Also a.m. and p.m. times, U.S. formats, Ph.D. titles.',
    'ABC-12 and BILL-1234567 are fixed (issue 10042).',
    'Uptime is 99.9% and the export is 2.5x faster for 10,000 issues.',
    'Imports of 1.234.567 rows and 1 234 567 rows work; limits of 1000-5000 rows remain.',
    'Released on 2026-12-15 at 09:00, 15.12.2026, 12/15/2026, 2026.12.15, 09:00–17:00 UTC.',
    'Support window 2024-2026 ends soon.',
    'Edit settings.yaml, package.json and Node.js or Chart.js code in index.ts.',
    'Release notes – ready… and done...now',
  ])('finds nothing in %j', (text) => {
    // Act
    const found = findContactDetails(text);

    // Assert
    expect(found).toEqual([]);
  });

  it('reports a URL once, not also its domain', () => {
    // Act
    const found = findContactDetails('Visit https://evil.example.com and www.evil.example.net');

    // Assert
    expect(found.map((f) => f.kind)).toEqual(['url', 'url']);
  });

  it('finds every detail in a text, each with its kind', () => {
    // Act
    const found = findContactDetails('Mail ada@example.com or call +1 555 0100 or see evil.example');

    // Assert
    expect(found).toEqual([
      { kind: 'email', text: 'ada@example.com' },
      { kind: 'domain', text: 'evil.example' },
      { kind: 'phone', text: '+1 555 0100' },
    ]);
  });

  it('cuts a long match to the reported length', () => {
    // Act
    const [found] = findContactDetails(`https://evil.example/${'a'.repeat(500)}`);

    // Assert
    expect(found?.text).toHaveLength(MAX_REPORTED_CHARS);
    expect(found?.text.endsWith('…')).toBe(true);
  });
});

describe('Function: checkContentPolicy', () => {
  it('accepts an email with issue keys, versions and dates only', () => {
    // Arrange
    const email = llmEmail(['BILL-1', 'BILL-2'], {
      subject: 'Billing 2.4 arrives on 2026-12-15',
      intro: 'Version 2.4 replaces v2.3.1, e.g. with faster exports.',
    });

    // Act / Assert
    expect(checkContentPolicy(email)).toEqual([]);
  });

  it('checks every text field and names where each violation is', () => {
    // Arrange
    const email = llmEmail(['BILL-1'], {
      subject: 'Act now at evil.example',
      preheader: 'Call +1 555 0100',
      intro: 'Write to ada@example.com',
      sections: [
        { heading: 'Fixes', items: [{ text: 'Fixed exports', issueKeys: ['BILL-1'] }] },
        {
          heading: 'See www.evil.example',
          items: [
            { text: 'Fine', issueKeys: ['BILL-1'] },
            { text: 'Log in at https://evil.example/login', issueKeys: ['BILL-1'] },
          ],
        },
      ],
      outro: 'Questions: help [at] evil',
    });

    // Act
    const violations = checkContentPolicy(email);

    // Assert
    expect(violations).toEqual([
      { field: 'subject', kind: 'domain', text: 'evil.example' },
      { field: 'preheader', kind: 'phone', text: '+1 555 0100' },
      { field: 'intro', kind: 'email', text: 'ada@example.com' },
      { field: 'sections[1].heading', kind: 'url', text: 'www.evil.example' },
      { field: 'sections[1].items[1].text', kind: 'url', text: 'https://evil.example/login' },
      { field: 'outro', kind: 'email', text: 'help [at] evil' },
    ]);
  });
});

describe('Function: contentPolicyFeedback', () => {
  it('names each violation, its text and its field, and says what not to write', () => {
    // Act
    const feedback = contentPolicyFeedback([
      { field: 'intro', kind: 'domain', text: 'evil.example' },
      { field: 'outro', kind: 'phone', text: '+1 555 0100' },
    ]);

    // Assert
    expect(feedback).toContain('domain "evil.example" in intro; phone "+1 555 0100" in outro');
    expect(feedback).toContain('Write no URLs, website or domain names, email addresses or phone numbers');
  });
});

describe('Function: redactContactDetails', () => {
  it('cuts every URL, domain, email address and phone number out and tidies the spaces', () => {
    // Act
    const text = redactContactDetails(
      'Log in at https://evil.example/login, or evil.example, mail a.b@evil.example or call +49 30 1234567.',
    );

    // Assert
    expect(text).toBe('Log in at or, mail or call.');
    expect(findContactDetails(text)).toEqual([]);
  });

  it('returns a text without contact details unchanged', () => {
    // Act / Assert
    expect(redactContactDetails('Version 2.4 fixes BILL-12 on 2026-12-15.')).toBe(
      'Version 2.4 fixes BILL-12 on 2026-12-15.',
    );
  });
});
