import { describe, expect, it } from 'vitest';
import { adfToText } from '#adapters/jira/adfToText';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const paragraph = (...texts: string[]) => ({
  type: 'paragraph',
  content: texts.map((text) => ({ type: 'text', text })),
});

describe('Function: adfToText', () => {
  it('puts each block on its own line, in document order', () => {
    // arrange
    const value = doc(
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title' }] },
      paragraph('Hello ', 'world'),
      { type: 'codeBlock', content: [{ type: 'text', text: 'npm start' }] },
    );

    // act
    const text = adfToText(value);

    // assert
    expect(text).toBe('Title\nHello world\nnpm start');
  });

  it('keeps mentions, emoji, status and dates as words and leaves out cards and media', () => {
    // arrange
    const value = doc({
      type: 'paragraph',
      content: [
        { type: 'mention', attrs: { text: '@Sam' } },
        { type: 'text', text: ' ' },
        { type: 'emoji', attrs: { shortName: ':tada:' } },
        { type: 'text', text: ' ' },
        { type: 'status', attrs: { text: 'DONE' } },
        { type: 'text', text: ' ' },
        { type: 'date', attrs: { timestamp: '1741910400000' } },
        { type: 'blockCard', attrs: { url: 'https://evil.example' } },
        { type: 'mediaSingle', content: [{ type: 'media', attrs: { id: 'x' } }] },
      ],
    });

    // act
    const text = adfToText(value);

    // assert
    expect(text).toBe('@Sam :tada: DONE 2025-03-14');
  });

  it('cuts to maxChars with an ellipsis', () => {
    // act
    const text = adfToText(doc(paragraph('a'.repeat(2000))), 100);

    // assert
    expect(text).toHaveLength(100);
    expect(text.endsWith('…')).toBe(true);
  });

  it('walks deep nesting without overflowing the stack', () => {
    // arrange
    let value: Record<string, unknown> = paragraph('deep');
    for (let i = 0; i < 15_000; i++) value = { type: 'blockquote', content: [value] };

    // act
    const text = adfToText(value);

    // assert
    expect(text).toBe('deep');
  });

  it('gives up quietly past its node budget', () => {
    // arrange
    let value: Record<string, unknown> = paragraph('too deep');
    for (let i = 0; i < 100_000; i++) value = { type: 'blockquote', content: [value] };

    // act
    const text = adfToText(value);

    // assert
    expect(text).toBe('');
  });

  it('tidies a plain string and returns an empty string for non-ADF values', () => {
    // act / assert
    expect(adfToText('  one \n\n\n two\u0007 ')).toBe('one\ntwo');
    expect(adfToText(null)).toBe('');
    expect(adfToText(42)).toBe('');
    expect(adfToText({ type: 'doc', content: 'not an array' })).toBe('');
  });
});
