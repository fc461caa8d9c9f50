import { describe, expect, it } from 'vitest';
import { DRAFT_PLACEHOLDERS } from '#contracts/emailDraft';
import { changeLine, renderReviewEmail } from '#stages/compose/approval/reviewEmail';
import { approvalRecordOf } from '#test/factories/approvalRecord';
import { emailDraftOf } from '#test/factories/emailDraft';

const input = (overrides: Partial<Parameters<typeof renderReviewEmail>[0]> = {}) => ({
  record: approvalRecordOf(),
  projectName: 'Shop <b>',
  versionName: 'Release "2.0" <script>',
  drafts: [
    {
      audience: 'all',
      locale: 'en',
      recipients: 2,
      draft: emailDraftOf({
        html: `<html><body><p>Hello ${DRAFT_PLACEHOLDERS.name}</p><a href="${DRAFT_PLACEHOLDERS.unsubscribeUrl}">u</a></body></html>`,
        text: `Hello ${DRAFT_PLACEHOLDERS.name}`,
      }),
    },
    {
      audience: 'all',
      locale: 'de',
      recipients: 1,
      draft: emailDraftOf({ subject: 'Version 2.0', html: '<p>Hallo</p>', text: 'Hallo zusammen' }),
    },
  ],
  scopes: [
    {
      audience: 'all',
      inScope: ['ABC-1'],
      leftOut: [{ key: 'ABC-9', reason: 'label' as const, detail: 'internal' }],
    },
  ],
  approveUrl: 'https://hooks.example.com/review?t=A&x=1',
  holdUrl: 'https://hooks.example.com/review?t=H',
  expiresAt: '2026-03-01T09:00:00.000Z',
  onTimeout: 'hold' as const,
  ...overrides,
});

describe('Function: renderReviewEmail', () => {
  it('shows the send time, the links, the first draft in full and the others by text, and the scope', () => {
    const review = renderReviewEmail(input());

    expect(review.subject).toBe('Review: Release "2.0" <script> (ABC) sends 2026-03-01 09:00 UTC');
    expect(review.html).toContain('href="https://hooks.example.com/review?t=A&amp;x=1"');
    expect(review.html).toContain('<p>Hello [recipient name]</p>');
    expect(review.html).toContain('<pre style="white-space:pre-wrap;font-size:13px;">Hallo zusammen</pre>');
    expect(review.html).not.toContain('<script>');
    expect(review.html).toContain('Release &quot;2.0&quot; &lt;script&gt;');
    expect(review.text).toContain('Approve: https://hooks.example.com/review?t=A&x=1');
    expect(review.text).toContain('Sends at: 2026-03-01 09:00 UTC');
    expect(review.text).toContain('all: in scope ABC-1; left out ABC-9 (label: internal)');
    expect(review.text).toContain('No decision by then: it is held (nothing sent)');
    for (const placeholder of Object.values(DRAFT_PLACEHOLDERS)) {
      expect(review.html).not.toContain(placeholder);
      expect(review.text).not.toContain(placeholder);
    }
  });

  it('shows the send time as Sends at, and the wait for a decision when the links outlive it', () => {
    // Arrange: a revision written at the send time (09:00) waits until 13:55.
    const record = approvalRecordOf({ revision: 2, waitUntil: '2026-03-01T13:55:00.000Z' });

    // Act
    const review = renderReviewEmail(input({ record, expiresAt: '2026-03-01T13:55:00.000Z' }));

    // Assert
    expect(review.subject).toBe(
      'Review: Release "2.0" <script> (ABC) sends 2026-03-01 09:00 UTC [revision 2]',
    );
    expect(review.text).toContain('Sends at: 2026-03-01 09:00 UTC\n');
    expect(review.text).toContain(
      'Waiting for a decision until: 2026-03-01 13:55 UTC (sent as soon as it is approved)',
    );
    expect(renderReviewEmail(input()).text).not.toContain('Waiting for a decision');
  });

  it('says what changed in a later revision', () => {
    const record = approvalRecordOf({ revision: 3, changes: { added: ['ABC-4'], removed: ['ABC-2'] } });

    const review = renderReviewEmail(input({ record }));

    expect(review.subject).toContain('[revision 3]');
    expect(review.text).toContain(
      'The release changed since the previous review: added ABC-4; removed ABC-2.',
    );
    expect(changeLine(approvalRecordOf({ revision: 2, changes: { added: [], removed: [] } }))).toBe(
      'The release changed since the previous review (its details or issue texts), not its issues.',
    );
    expect(
      changeLine(approvalRecordOf({ revision: 2, changes: { added: [], removed: [], editedBy: 'ops' } })),
    ).toBe('Edited by ops.');
    expect(changeLine(approvalRecordOf())).toBeUndefined();
  });
});
