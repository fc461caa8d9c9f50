import Table from 'cli-table3';

/** A table cell: text or a number; undefined and null print as `-`, `''` as nothing. */
export type Cell = string | number | boolean | undefined | null;

// Borderless, two spaces between columns (like kubectl): easy to read, to grep and to paste.
const CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
} as const;

const text = (cell: Cell): string => {
  if (cell === undefined || cell === null) return '-';
  if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
  return String(cell);
};

/**
 * Renders rows under an upper-case header, columns aligned, no borders and no colours.
 * Trailing spaces are trimmed from every line.
 * @param align per column, `right` for numbers; default left.
 */
export const renderTable = (
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  align: readonly ('left' | 'right')[] = [],
): string => {
  const table = new Table({
    head: head.map((h) => h.toUpperCase()),
    chars: { ...CHARS },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colAligns: head.map((_, i) => align[i] ?? 'left'),
  });
  for (const row of rows) table.push(row.map(text));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
};

/** Key/value lines (`key  value`), keys padded to one width. */
export const renderPairs = (pairs: readonly (readonly [string, Cell])[]): string => {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${text(value)}`.trimEnd()).join('\n');
};
