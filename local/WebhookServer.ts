import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A Lambda function URL handler, as `pipeline/stages/webhook/handler.ts` exports it. */
export type FunctionUrlHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Options of {@link startWebhookServer}. */
export interface WebhookServerOptions {
  /** The handler, or a function resolving it (handlers read their configuration at import). */
  handler: FunctionUrlHandler | (() => Promise<FunctionUrlHandler>);
  /** Port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** Largest body read before answering 413 without calling the handler, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Called once per request with the method, path and status (never the body). */
  onRequest?: (info: { method: string; path: string; status: number; durationMs: number }) => void;
}

/** A running webhook server. */
export interface WebhookServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT/`. */
  readonly url: string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Builds the function URL event Lambda would pass for this HTTP request. */
const toFunctionUrlEvent = (req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // Function URLs base64-encode bodies they cannot prove are text; always doing so keeps the
    // HMAC over the exact bytes Jira sent.
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
};

/**
 * Serves a Lambda function URL handler (the webhook stage) on loopback HTTP, translating each
 * request into the `APIGatewayProxyEventV2` a function URL delivers.
 */
export const startWebhookServer = async (options: WebhookServerOptions): Promise<WebhookServer> => {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  let resolved: Promise<FunctionUrlHandler> | undefined;
  const handlerOf = (): Promise<FunctionUrlHandler> => {
    if (resolved) return resolved;
    const h = options.handler;
    // A handler takes one argument (the event); a resolver takes none.
    resolved =
      h.length === 0 ? (h as () => Promise<FunctionUrlHandler>)() : Promise.resolve(h as FunctionUrlHandler);
    return resolved;
  };
  const server: Server = createServer((req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const finish = (status: number, headers: Record<string, string>, body: string) => {
      res.writeHead(status, headers).end(body);
      options.onRequest?.({ method: req.method ?? 'GET', path, status, durationMs: Date.now() - started });
    };
    void (async () => {
      const body = await readBody(req, limit);
      if (body === undefined) return finish(413, { 'content-type': 'text/plain' }, 'payload too large');
      const result = await (await handlerOf())(toFunctionUrlEvent(req, body));
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const text = result.isBase64Encoded
        ? Buffer.from(result.body ?? '', 'base64').toString()
        : (result.body ?? '');
      finish(result.statusCode ?? 200, headers, text);
    })().catch(() => finish(500, { 'content-type': 'text/plain' }, 'internal error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
