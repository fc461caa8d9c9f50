import { describe, expect, it } from 'vitest';
import { DRAFT_PLACEHOLDERS } from '#contracts/emailDraft';
import { fillPlaceholders } from '#stages/send/fillPlaceholders';

const TEMPLATE = `Hi ${DRAFT_PLACEHOLDERS.name}, <a href="${DRAFT_PLACEHOLDERS.unsubscribeUrl}">x</a> ${DRAFT_PLACEHOLDERS.name}`;
const URL_VALUE = 'https://hooks.example.com/unsubscribe?p=BILL&e=ada%40example.com&t=abc';

describe('Function: fillPlaceholders', () => {
  it('HTML-escapes the name and the URL in the html part', () => {
    // Act
    const html = fillPlaceholders(
      TEMPLATE,
      { name: `<b>"Ada" & 'Co'</b>`, unsubscribeUrl: URL_VALUE },
      'html',
    );

    // Assert
    expect(html).toBe(
      'Hi &lt;b&gt;&quot;Ada&quot; &amp; &#39;Co&#39;&lt;/b&gt;, ' +
        '<a href="https://hooks.example.com/unsubscribe?p=BILL&amp;e=ada%40example.com&amp;t=abc">x</a> ' +
        '&lt;b&gt;&quot;Ada&quot; &amp; &#39;Co&#39;&lt;/b&gt;',
    );
  });

  it('keeps the name as written, on one line, in the text part', () => {
    // Act
    const text = fillPlaceholders(
      TEMPLATE,
      { name: 'Ada <Lovelace>\r\nBcc: x', unsubscribeUrl: URL_VALUE },
      'text',
    );

    // Assert
    expect(text).toBe(`Hi Ada <Lovelace> Bcc: x, <a href="${URL_VALUE}">x</a> Ada <Lovelace> Bcc: x`);
  });

  it('does not fill a placeholder that a value brings in', () => {
    // Act
    const text = fillPlaceholders(
      `${DRAFT_PLACEHOLDERS.name} ${DRAFT_PLACEHOLDERS.unsubscribeUrl}`,
      { name: DRAFT_PLACEHOLDERS.unsubscribeUrl, unsubscribeUrl: URL_VALUE },
      'html',
    );

    // Assert
    expect(text).toBe(`&#123;&#123;unsubscribe_url&#125;&#125; ${URL_VALUE.replaceAll('&', '&amp;')}`);
  });
});
