/** One attribute of a tag; `value` undefined for a bare attribute (`<input disabled>`). */
export interface HtmlAttribute {
  name: string;
  /** Entity-decoded value. */
  value: string | undefined;
}

/** A piece of an HTML document, as a browser's tokenizer would split it (simplified). */
export type HtmlToken =
  | { type: 'doctype'; raw: string }
  | { type: 'comment'; raw: string }
  | {
      type: 'tag';
      /** Lower-case tag name. */
      name: string;
      closing: boolean;
      attributes: HtmlAttribute[];
      raw: string;
      /** True when the document ended inside the tag. */
      unterminated: boolean;
    }
  | {
      type: 'text';
      raw: string;
      /** Entity-decoded text. */
      text: string;
    };

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references a renderer would write: named basics and numeric ones. */
export const decodeEntities = (text: string): string =>
  text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  });

const TAG_START = /^<\/?[A-Za-z]/;
const NAME = /^[^\s/>]+/;
const ATTRIBUTE_NAME = /^[^\s"'>/=]+/;
const UNQUOTED_VALUE = /^[^\s>]+/;

/**
 * Splits HTML into doctype, comment, tag and text tokens the way a browser's tokenizer starts
 * tags: `<` followed by a letter (or `</` and a letter) opens a tag that ends at the first `>`
 * outside a quoted attribute value; any other `<` is text. Enough to audit a rendered email
 * (every tag and attribute, every text run); not a full HTML5 parser (no raw-text elements, so
 * a `<script>` body is tokenized like any other text, which the audit rejects anyway).
 */
export const tokenizeHtml = (html: string): HtmlToken[] => {
  const tokens: HtmlToken[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) {
      const raw = html.slice(textStart, end);
      tokens.push({ type: 'text', raw, text: decodeEntities(raw) });
    }
  };
  while (i < html.length) {
    if (html[i] !== '<') {
      i++;
      continue;
    }
    const rest = html.slice(i, i + 4);
    if (rest.startsWith('<!--')) {
      flushText(i);
      const end = html.indexOf('-->', i + 4);
      const stop = end < 0 ? html.length : end + 3;
      tokens.push({ type: 'comment', raw: html.slice(i, stop) });
      i = textStart = stop;
      continue;
    }
    if (rest.startsWith('<!') || rest.startsWith('<?')) {
      flushText(i);
      const end = html.indexOf('>', i);
      const stop = end < 0 ? html.length : end + 1;
      tokens.push({ type: 'doctype', raw: html.slice(i, stop) });
      i = textStart = stop;
      continue;
    }
    if (!TAG_START.test(html.slice(i, i + 3))) {
      i++;
      continue;
    }
    flushText(i);
    const start = i;
    const closing = html[i + 1] === '/';
    i += closing ? 2 : 1;
    const name = (NAME.exec(html.slice(i))?.[0] ?? '').toLowerCase();
    i += name.length;
    const attributes: HtmlAttribute[] = [];
    let unterminated = true;
    while (i < html.length) {
      const c = html[i] as string;
      if (c === '>') {
        i++;
        unterminated = false;
        break;
      }
      if (/\s|\//.test(c)) {
        i++;
        continue;
      }
      const attrName = ATTRIBUTE_NAME.exec(html.slice(i))?.[0] ?? c;
      i += attrName.length;
      while (/\s/.test(html[i] ?? '')) i++;
      let value: string | undefined;
      if (html[i] === '=') {
        i++;
        while (/\s/.test(html[i] ?? '')) i++;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1);
          const stop = end < 0 ? html.length : end;
          value = html.slice(i + 1, stop);
          i = end < 0 ? html.length : end + 1;
        } else {
          value = UNQUOTED_VALUE.exec(html.slice(i))?.[0] ?? '';
          i += value.length;
        }
      }
      attributes.push({
        name: attrName.toLowerCase(),
        value: value === undefined ? undefined : decodeEntities(value),
      });
    }
    tokens.push({ type: 'tag', name, closing, attributes, raw: html.slice(start, i), unterminated });
    textStart = i;
  }
  flushText(html.length);
  return tokens;
};

/** The visible text of a document: decoded text tokens outside `<head>`, joined. */
export const visibleText = (tokens: readonly HtmlToken[]): string => {
  let inHead = false;
  let out = '';
  for (const token of tokens) {
    if (token.type === 'tag' && token.name === 'head') inHead = !token.closing;
    else if (token.type === 'tag' && (token.name === 'br' || token.name === 'p' || token.name === 'li'))
      out += '\n';
    else if (token.type === 'text' && !inHead) out += token.text;
  }
  return out;
};
