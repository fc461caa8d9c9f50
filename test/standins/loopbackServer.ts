import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request handler of a stand-in. It may throw; the server then answers 500. */
export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A running loopback HTTP server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Aborted when {@link LoopbackServer.close} starts, so pending delays end at once. */
  signal: AbortSignal;
  /** Stops accepting, drops every open connection (keep-alive ones too) and waits for the close. */
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 with a free port chosen by the OS (port 0). */
export const startLoopbackServer = async (handler: LoopbackHandler): Promise<LoopbackServer> => {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    signal: closing.signal,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
};

/** Most bytes of a request body a stand-in reads (the largest prompt a test sends is far smaller). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Reads a request body, at most {@link MAX_REQUEST_BYTES}. */
export const readBuffer = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    total += buffer.byteLength;
    if (total > MAX_REQUEST_BYTES) throw new Error(`request body over ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

/** Reads a request body as UTF-8 text, at most {@link MAX_REQUEST_BYTES}. */
export const readBody = async (req: IncomingMessage): Promise<string> =>
  (await readBuffer(req)).toString('utf8');

/** Answers `status` with a JSON body and optional extra headers. */
export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
};
