/** A Markdown table: header row, alignment row, rows; cells are padded so it also reads as plain text. */
export const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length), 3));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+( ?[a-zA-Z%/×]+)?$|^—$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
};

const wrap = (words: readonly string[], width: number, first: string, rest: string): string[] => {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
};

/**
 * Re-wraps the prose of a Markdown document at `width` characters: paragraphs and `- ` list items
 * (continuation lines indented by two spaces). Headings, tables and fenced code are left as they are.
 */
export const reflowMarkdown = (markdown: string, width = 100): string => {
  const out: string[] = [];
  let fenced = false;
  for (const block of markdown.split(/\n{2,}/)) {
    const lines = block.split('\n');
    const fences = lines.filter((l) => l.startsWith('```')).length;
    const verbatim = fenced || fences > 0 || lines.every((l) => l.startsWith('|') || l.startsWith('#'));
    if (fences % 2 === 1) fenced = !fenced;
    if (verbatim) {
      out.push(block);
      continue;
    }
    const items: string[][] = [];
    for (const line of lines) {
      if (line.startsWith('- ') || items.length === 0) items.push([line]);
      else items.at(-1)?.push(line.trim());
    }
    out.push(
      items
        .flatMap((item) => {
          const text = item.join(' ').trim();
          const bullet = text.startsWith('- ');
          const words = (bullet ? text.slice(2) : text).split(/\s+/);
          return wrap(words, width, bullet ? '- ' : '', bullet ? '  ' : '');
        })
        .join('\n'),
    );
  }
  return `${out.join('\n\n').trimEnd()}\n`;
};

/** `1234.5` → `1,234.5` with `digits` decimals. */
export const num = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Bytes as KiB with one decimal. */
export const kib = (bytes: number): string => `${num(bytes / 1024, 1)} KiB`;

/** Milliseconds as `123 ms` or `12.3 s`. */
export const duration = (ms: number): string => (ms < 10_000 ? `${num(ms)} ms` : `${num(ms / 1000, 1)} s`);
