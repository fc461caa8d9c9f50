/**
 * Deepest nesting of objects and arrays in JSON text (`{}` is 1, `{"a":[1]}` is 2, a scalar 0).
 * Scans the text once with a counter, never recursing, so a hostile body nested tens of
 * thousands deep costs one pass and no stack. Brackets inside strings (escapes included) do not
 * count. Meant for text that already parsed as JSON; on anything else the result is meaningless.
 */
export const jsonDepth = (text: string): number => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
};
