import { describe, expect, it } from 'vitest';
import { wrap } from '#contracts/envelope';
import {
  describeError,
  MAX_ERROR_ATTRIBUTE_CHARS,
  MAX_MESSAGE_ATTRIBUTES,
  mergeAttributes,
  receiveCountOf,
  reschedulesOf,
  stringAttributesOf,
} from '#retry/heraldAttributes';
import { peekEnvelope } from '#retry/peekEnvelope';
import { sqsRecord } from '#test/factories/lambda';

describe('Function: describeError', () => {
  it('masks email addresses and strips characters SQS rejects', () => {
    const text = describeError(new Error('rejected bob@example.org\u0000 and <ann.lee@example.net>'));
    expect(text).toBe('Error: rejected b***@e***.org  and <a***@e***.net>');
  });

  it('truncates long messages to the attribute limit', () => {
    const text = describeError(new Error('x'.repeat(5_000)));
    expect(Array.from(text)).toHaveLength(MAX_ERROR_ATTRIBUTE_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });

  it('describes thrown non-errors and is never empty', () => {
    expect(describeError('plain')).toBe('plain');
    expect(describeError(42)).toBe('non-error thrown: 42');
    expect(describeError('')).toBe('unknown error');
  });
});

describe('Function: mergeAttributes', () => {
  it('lets ours win and caps at 10, keeping ours and herald-* first', () => {
    const carried = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`other-${i}`, 'v']));
    carried['herald-last-error'] = 'old';
    const merged = mergeAttributes(carried, { 'herald-reason': 'r', 'herald-last-error': 'new', empty: '' });

    expect(Object.keys(merged)).toHaveLength(MAX_MESSAGE_ATTRIBUTES);
    expect(merged['herald-last-error']).toBe('new');
    expect(merged['herald-reason']).toBe('r');
    expect('empty' in merged).toBe(false);
  });
});

describe('Function: reschedulesOf', () => {
  it('reads the envelope first, then the attribute, then 0', () => {
    const record = sqsRecord({ attributes: { 'herald-reschedules': '2' } });
    const envelope = peekEnvelope(JSON.stringify({ ...wrap('send.job', 'k', {}), reschedules: 1 }))?.envelope;

    expect(reschedulesOf(record, envelope)).toBe(1);
    expect(reschedulesOf(record, undefined)).toBe(2);
    expect(reschedulesOf(sqsRecord({ attributes: { 'herald-reschedules': 'x' } }), undefined)).toBe(0);
    expect(reschedulesOf(sqsRecord(), undefined)).toBe(0);
  });
});

describe('Function: stringAttributesOf', () => {
  it('returns String attribute values', () => {
    expect(stringAttributesOf(sqsRecord({ attributes: { a: '1' } }))).toEqual({ a: '1' });
  });
});

describe('Function: receiveCountOf', () => {
  it('reads ApproximateReceiveCount and defaults to 1', () => {
    expect(receiveCountOf(sqsRecord({ receiveCount: 4 }))).toBe(4);
    expect(receiveCountOf({ attributes: {} as never })).toBe(1);
  });
});

describe('Function: peekEnvelope', () => {
  it.each([
    'not json',
    '[]',
    'null',
    '{"source":"jira"}',
    '{"v":2,"kind":"send.job","key":"k","payload":{}}',
  ])('is undefined for %s', (body) => {
    expect(peekEnvelope(body)).toBeUndefined();
  });

  it('keeps the raw JSON beside the parsed envelope', () => {
    const peeked = peekEnvelope(JSON.stringify({ ...wrap('send.job', 'k', { a: 1 }), extra: true }));
    expect(peeked?.envelope.reschedules).toBe(0);
    expect(peeked?.json.extra).toBe(true);
  });
});
