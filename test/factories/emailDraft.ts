import type { EmailDraft } from '#contracts/emailDraft';

/** A small stored draft (an LLM email of one release point and locale); `overrides` win. */
export const emailDraftOf = (overrides: Partial<EmailDraft> = {}): EmailDraft => ({
  key: '10001:b7d0h0m0900@2026-03-08:en',
  source: 'llm',
  model: 'gpt-4.1-mini',
  locale: 'en',
  subject: 'Release 2.0 is a week away',
  html: '<p>Hello {{recipient_name}}</p>',
  text: 'Hello {{recipient_name}}',
  issueKeys: ['ABC-1'],
  createdAt: '2026-03-01T10:00:00.000Z',
  ...overrides,
});
