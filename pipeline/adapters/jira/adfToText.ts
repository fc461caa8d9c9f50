import { tidyLines, truncate } from '#shared/text';

/** ADF node types after which a line ends. */
const BLOCK_TYPES: ReadonlySet<string> = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'panel',
  'rule',
  'table',
  'tableRow',
  'tableCell',
  'tableHeader',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
  'expand',
  'nestedExpand',
  'layoutSection',
  'layoutColumn',
]);

/**
 * ADF node types left out: links to elsewhere (cards), attachments (media) and code-ish
 * extensions. The email must not carry URLs, and none of these read as prose.
 */
const SKIPPED_TYPES: ReadonlySet<string> = new Set([
  'inlineCard',
  'blockCard',
  'embedCard',
  'media',
  'mediaSingle',
  'mediaGroup',
  'mediaInline',
  'extension',
  'inlineExtension',
  'bodiedExtension',
]);

/** Most nodes visited in one document: bounds the work a hostile description can cause. */
const MAX_NODES = 20_000;

type Node = Record<string, unknown>;

const attr = (node: Node, name: string): string | undefined => {
  const attrs = node.attrs;
  if (typeof attrs !== 'object' || attrs === null) return undefined;
  const value = (attrs as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

/** The text an inline leaf node stands for. */
const leafText = (node: Node): string | undefined => {
  switch (node.type) {
    case 'text':
      return typeof node.text === 'string' ? node.text : undefined;
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'status':
      return attr(node, 'text');
    case 'emoji':
      return attr(node, 'text') ?? attr(node, 'shortName');
    case 'date': {
      const stamp = Number(attr(node, 'timestamp'));
      return Number.isFinite(stamp) && Math.abs(stamp) < 8.64e15
        ? new Date(stamp).toISOString().slice(0, 10)
        : undefined;
    }
    default:
      return undefined;
  }
};

/**
 * Flattens an Atlassian Document Format value (Jira v3's rich text) into plain text: text nodes in
 * document order, one line per block, cards, media and extensions left out, control characters
 * and blank lines removed, cut to `maxChars` with an ellipsis. A string is tidied as is; anything
 * else that is not ADF gives `''`. Walks with an explicit stack and a node budget, so deep or huge
 * documents cannot overflow the stack or stall.
 * @param maxChars longest result, characters. Default 500.
 */
export const adfToText = (doc: unknown, maxChars = 500): string => {
  if (typeof doc === 'string') return truncate(tidyLines(doc), maxChars);
  if (typeof doc !== 'object' || doc === null) return '';

  // Enough raw text to fill maxChars after tidying, with room to notice it was cut.
  const budget = maxChars * 2 + 64;
  const stack: unknown[] = [doc];
  let out = '';
  let visited = 0;
  while (stack.length > 0 && out.length < budget && visited < MAX_NODES) {
    const item = stack.pop();
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    visited++;
    const node = item as Node;
    if (typeof node.type === 'string' && SKIPPED_TYPES.has(node.type)) continue;
    const text = leafText(node);
    if (text !== undefined) {
      out += text.slice(0, budget - out.length + 1);
      continue;
    }
    const content = node.content;
    if (!Array.isArray(content)) continue;
    if (typeof node.type === 'string' && BLOCK_TYPES.has(node.type)) stack.push('\n');
    for (let i = Math.min(content.length, MAX_NODES) - 1; i >= 0; i--) stack.push(content[i]);
  }
  return truncate(tidyLines(out), maxChars);
};
