import { readBody, startLoopbackServer } from '#test/standins/loopbackServer';
import type { OpenAiStandIn } from '#test/standins/OpenAiStandIn';
import type { LlmBehaviour } from './types.ts';

/** Options of {@link startLlmRouter}. */
export interface LlmRouterOptions {
  /** The stand-in every request is forwarded to. */
  standIn: OpenAiStandIn;
  /**
   * How to answer a chat completion, from the issue keys the prompt allows (undefined: the
   * stand-in's current mode).
   */
  behaviourOf: (allowedKeys: string[]) => LlmBehaviour | undefined;
}

/** A running router: pass {@link LlmRouter.url} as the OpenAI base URL. */
export interface LlmRouter {
  /** Base URL including `/v1`. */
  url: string;
  /** Chat completions routed, per behaviour label (`valid`, `status:400`, ...). */
  readonly routed: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

const ALLOWED_KEYS = /^Allowed issue keys \(cite only these\): (.*)$/m;

/** The keys of the prompt's "Allowed issue keys" line of a chat completion body. */
const allowedKeysOf = (body: string): string[] => {
  try {
    const parsed = JSON.parse(body) as { messages?: Array<{ role?: unknown; content?: unknown }> };
    for (const message of parsed.messages ?? []) {
      if (message.role !== 'user' || typeof message.content !== 'string') continue;
      const line = ALLOWED_KEYS.exec(message.content)?.[1];
      if (line !== undefined) return line.split(',').map((k) => k.trim());
    }
  } catch {
    // Not a chat completion: forwarded as is.
  }
  return [];
};

/**
 * A loopback proxy in front of the OpenAI stand-in that picks the answer mode per request: the
 * stand-in has one mode for every caller, while the corpus runs many releases through one herald
 * at once, each with its own model behaviour. Requests are forwarded one at a time, the stand-in's
 * mode (or a one-shot status fault) set just before and restored after, so concurrent prompts
 * never see each other's mode.
 */
export const startLlmRouter = async (options: LlmRouterOptions): Promise<LlmRouter> => {
  const { standIn } = options;
  const routed: Record<string, number> = {};
  let queue: Promise<void> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  const server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const behaviour = options.behaviourOf(allowedKeysOf(body));
    const label =
      behaviour === undefined
        ? 'default'
        : 'mode' in behaviour
          ? behaviour.mode
          : `status:${behaviour.status}`;
    const answer = await serialized(async () => {
      const previous = standIn.mode;
      if (behaviour && 'mode' in behaviour) standIn.mode = behaviour.mode;
      if (behaviour && 'status' in behaviour) {
        standIn.faults.enqueue({ status: behaviour.status }, { route: 'chatCompletions' });
      }
      try {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
            headers[name] = value;
        }
        const response = await fetch(`${standIn.url}${(req.url ?? '/').replace(/^\/v1/, '')}`, {
          method: req.method ?? 'POST',
          headers,
          ...(body ? { body } : {}),
        });
        return { status: response.status, headers: response.headers, text: await response.text() };
      } finally {
        standIn.mode = previous;
      }
    });
    routed[label] = (routed[label] ?? 0) + 1;
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (
        !['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(
          name,
        )
      ) {
        out[name] = value;
      }
    });
    res.writeHead(answer.status, out);
    res.end(answer.text);
  });

  return {
    url: `${server.url}/v1`,
    get routed() {
      return { ...routed };
    },
    close: () => server.close(),
  };
};
