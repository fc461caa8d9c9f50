import { describe, expect, it } from 'vitest';
import type { OutboxEmail } from '#local/Outbox';
import { filterOutbox, outboxViewOf, renderOutbox } from '#ops/commands/outbox';

const email = (id: string, to: string, subject: string, release: string): OutboxEmail => ({
  id,
  from: 'releases@example.com',
  to: [to],
  subject,
  headers: { 'x-herald-release': release, 'x-herald-point': 'b1d0h0m0900', 'x-herald-draft-source': 'llm' },
  html: '<p>hi</p>',
  text: 'hi',
  raw: 'MIME',
  fromName: 'Shop releases',
  replyTo: [],
});

const emails = [
  email('1', 'ada@example.com', 'Shop 2.0 tomorrow', '10001'),
  email('2', 'bob@example.org', 'Shop 2.0 tomorrow', '10001'),
  email('3', 'ada@example.com', 'App 5 next week', '20001'),
];

describe('Function: filterOutbox', () => {
  it('filters by recipient, release and subject, and keeps the last n', () => {
    expect(filterOutbox(emails, { to: 'ada@example.com' }).map((e) => e.id)).toEqual(['1', '3']);
    expect(filterOutbox(emails, { release: '10001' }).map((e) => e.id)).toEqual(['1', '2']);
    expect(filterOutbox(emails, { subject: 'NEXT WEEK' }).map((e) => e.id)).toEqual(['3']);
    expect(filterOutbox(emails, { limit: 2 }).map((e) => e.id)).toEqual(['2', '3']);
    expect(filterOutbox(emails, { to: 'ada@example.com', release: '10001' }).map((e) => e.id)).toEqual(['1']);
  });
});

describe('Function: outboxViewOf', () => {
  it('names the herald headers and leaves the raw MIME out', () => {
    expect(outboxViewOf(emails[0] as OutboxEmail)).toMatchObject({
      id: '1',
      release: '10001',
      point: 'b1d0h0m0900',
      source: 'llm',
      text: 'hi',
    });
    expect(outboxViewOf(emails[0] as OutboxEmail)).not.toHaveProperty('raw');
  });
});

describe('Function: renderOutbox', () => {
  it('shows one row per email and a count', () => {
    const text = renderOutbox(emails.slice(0, 1));
    expect(text).toMatch(/1\s+ada@example\.com\s+Shop 2\.0 tomorrow\s+10001\s+-1d@09:00\s+llm/);
    expect(text.endsWith('1 email(s)')).toBe(true);
    expect(renderOutbox([])).toBe('no emails');
  });
});
