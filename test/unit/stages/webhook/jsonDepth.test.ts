import { describe, expect, it } from 'vitest';
import { jsonDepth } from '#stages/webhook/jsonDepth';

describe('Function: jsonDepth', () => {
  it.each([
    ['a scalar', '42', 0],
    ['an empty object', '{}', 1],
    ['an array in an object', '{"a":[1,2]}', 2],
    ['siblings, not nesting', '[[1],[2],{"a":{}}]', 3],
    ['brackets inside strings', '{"a":"[[{{\\"]]}}","b":[]}', 2],
    ['an escaped backslash before a closing quote', '{"a":"\\\\","b":[[]]}', 3],
  ])('measures %s', (_name, text, depth) => {
    // Arrange
    expect(JSON.parse(text)).toBeDefined();

    // Act
    const measured = jsonDepth(text);

    // Assert
    expect(measured).toBe(depth);
  });

  it('measures 100,000 levels without recursing', () => {
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

    expect(jsonDepth(text)).toBe(100_000);
  });
});
