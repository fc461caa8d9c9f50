import { Agent, type IncomingMessage, request } from 'node:http';

/** Sends requests on, unchanged, to one loopback http emulator over keep-alive connections. */
export interface LoopbackForwarder {
  /**
   * Sends `req`'s method, path and headers with `body` to the emulator; resolves with its answer
   * (not yet read), rejects when the connection fails before one comes.
   */
  forward(req: IncomingMessage, body: Buffer): Promise<IncomingMessage>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * A {@link LoopbackForwarder} to `target` (`http://127.0.0.1:PORT`, `localhost` or `[::1]`).
 * @param owner Who forwards, for the error (`AwsFaultProxy`).
 * @throws {Error} when `target` is not a loopback http URL: nothing here may reach another host.
 */
export const createLoopbackForwarder = (owner: string, target: string): LoopbackForwarder => {
  const url = new URL(target);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`${owner} forwards to a loopback http emulator only, not ${target}`);
  }
  const agent = new Agent({ keepAlive: true });
  return {
    forward: (req, body) =>
      new Promise((resolve, reject) => {
        const upstream = request(
          {
            protocol: url.protocol,
            hostname: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
            agent,
          },
          resolve,
        );
        upstream.on('error', reject);
        upstream.end(body);
      }),
    close: () => agent.destroy(),
  };
};
