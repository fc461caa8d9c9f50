/**
 * A deliberately small MIME reader for tests: enough to read back what buildRawEmail writes
 * (headers with RFC 2047 words, one multipart/alternative level, quoted-printable, base64 or 7bit
 * parts). It is independent of nodemailer so a test can catch the composer getting it wrong.
 */

/** One body part. */
export interface MimePart {
  /** Content-Type without parameters, lower-case. */
  type: string;
  /** The charset parameter, lower-case. */
  charset: string | undefined;
  /** The decoded body. */
  body: string;
}

/** A parsed message. */
export interface ParsedMime {
  /** The top-level header block's lines as written, folding kept (a folded header spans lines). */
  headerLines: string[];
  /** Header values by lower-case name, unfolded, exactly as written. */
  rawHeaders: Map<string, string>;
  /** Header values by lower-case name, unfolded and with encoded words decoded. */
  headers: Map<string, string>;
  /** The leaves of the body. */
  parts: MimePart[];
  /** Lines of the whole message longer than 998 characters (RFC 5322 limit). */
  overlongLines: number;
  /** Whether every line break is CRLF. */
  crlfOnly: boolean;
}

const splitHead = (text: string): [string, string] => {
  const at = text.indexOf('\r\n\r\n');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 4)];
};

const parseHeaderBlock = (block: string): Map<string, string> => {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
};

const qpBytes = (text: string, underscoreIsSpace: boolean): Buffer => {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '_' && underscoreIsSpace) {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes);
};

/** Decodes RFC 2047 encoded words; adjacent words are joined before UTF-8 decoding. */
export const decodeWords = (value: string): string =>
  value.replace(/(=\?[^?]+\?[BQ]\?[^?]*\?=)(\s+=\?[^?]+\?[BQ]\?[^?]*\?=)*/gi, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map(([, encoding, data = '']) =>
      encoding?.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data, true),
    );
    return Buffer.concat(bytes).toString('utf8');
  });

const decodeBody = (body: string, encoding: string | undefined): string => {
  switch (encoding?.toLowerCase()) {
    case 'quoted-printable':
      return qpBytes(body.replace(/=\r\n/g, ''), false).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
};

const parameter = (headerValue: string, name: string): string | undefined =>
  new RegExp(`${name}="?([^";]+)"?`, 'i').exec(headerValue)?.[1];

const parseEntity = (text: string): MimePart[] => {
  const [block, body] = splitHead(text);
  const headers = parseHeaderBlock(block);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = parameter(contentType, 'boundary');
    if (!boundary) throw new Error('multipart without boundary');
    const sections = body.split(`--${boundary}`);
    // sections[0] is the preamble; the last one starts with "--" (the close delimiter).
    return sections
      .slice(1)
      .filter((s) => !s.startsWith('--'))
      .flatMap((s) => parseEntity(s.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  return [
    {
      type,
      charset: parameter(contentType, 'charset')?.toLowerCase(),
      body: decodeBody(body, headers.get('content-transfer-encoding')),
    },
  ];
};

/** Parses a raw message as SES would receive it. */
export const parseMime = (raw: Buffer | Uint8Array | string): ParsedMime => {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  const [block] = splitHead(text);
  const rawHeaders = parseHeaderBlock(block);
  const headers = new Map([...rawHeaders].map(([k, v]) => [k, decodeWords(v)]));
  return {
    headerLines: block.split('\r\n'),
    rawHeaders,
    headers,
    parts: parseEntity(text),
    overlongLines: text.split('\r\n').filter((line) => line.length > 998).length,
    crlfOnly: !/[^\r]\n/.test(text) && !/\r[^\n]/.test(text),
  };
};
