import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendJson } from './loopbackServer.ts';

/** Answer with an HTTP error status instead of the real answer. */
export interface StatusFault {
  status: number;
  /** Sent as `Retry-After` (delta-seconds). */
  retryAfterSeconds?: number;
  /** JSON body; default the stand-in's own error body for the status (Jira's or OpenAI's shape). */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** Wait before answering normally (slow server; pair with a client timeout). */
export interface DelayFault {
  delayMs: number;
}

/** Destroy the socket without answering (connection reset). */
export interface DropFault {
  drop: true;
}

/**
 * Let the request through, then lose the answer (an ambiguous outcome: the server did the work,
 * the client cannot know): `drop` resets the connection once the server has answered; `hang`
 * holds the answer back until the client gives up (its request timeout) or `holdMs` passes, then
 * resets it. Only a forwarding proxy (AwsFaultProxy) does the work first; the Jira and OpenAI
 * stand-ins, which answer themselves, treat it as a drop.
 */
export interface AnswerLostFault {
  answerLost: 'drop' | 'hang';
  /** Longest hold of a `hang`, ms. Default 30000. */
  holdMs?: number;
}

/** One injected fault. */
export type Fault = StatusFault | DelayFault | DropFault | AnswerLostFault;

/** Which requests a fault applies to. */
export interface FaultMatch {
  /**
   * A route name (`getVersion`, `getProject`, `searchJql`, `chatCompletions`), a path prefix
   * (`/rest/api/3/version/`), or a RegExp tested on the path. Default every request.
   */
  route?: string | RegExp;
  /** HTTP method, upper case. Default any. */
  method?: string;
}

/** Options of {@link FaultInjector.enqueue}. */
export interface EnqueueOptions extends FaultMatch {
  /** How many matching requests get this fault. Default 1. */
  times?: number;
}

/** Probabilistic faults for chaos runs. */
export interface ChaosOptions extends FaultMatch {
  /** Probability that a matching request gets a fault, 0..1. */
  rate: number;
  /** Faults to pick from, uniformly unless {@link ChaosOptions.weights} says otherwise. */
  kinds: Fault[];
  /** PRNG seed: the same seed and the same request sequence inject the same faults. */
  seed: number;
  /** Relative weight of each kind (same length as `kinds`, positive). Default all equal. */
  weights?: number[];
}

/** What a stand-in knows about a request when it asks for a fault. */
export interface FaultRequest {
  method: string;
  path: string;
  route: string;
}

/** Faults injected so far. */
export interface FaultCounters {
  /** All faults. */
  total: number;
  /** Status faults per status, e.g. `{ 503: 2 }`. */
  byStatus: Record<number, number>;
  delays: number;
  drops: number;
  /** Faults per route name. */
  byRoute: Record<string, number>;
  /** Answers lost after the request went through ({@link AnswerLostFault}). */
  answersLost: number;
}

/**
 * mulberry32: a tiny, fast, seedable PRNG (uniform in [0, 1)). Good enough to make chaos
 * reproducible; not for anything that needs real randomness.
 */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Short label of a fault for logs and counters: `status:503`, `delay:200`, `drop`, `answer_lost:hang`. */
export const describeFault = (fault: Fault): string => {
  if ('status' in fault) return `status:${fault.status}`;
  if ('delayMs' in fault) return `delay:${fault.delayMs}`;
  if ('answerLost' in fault) return `answer_lost:${fault.answerLost}`;
  return 'drop';
};

const matches = (match: FaultMatch, request: FaultRequest): boolean => {
  if (match.method !== undefined && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  const { route } = match;
  if (route === undefined) return true;
  if (route instanceof RegExp) return route.test(request.path);
  return route === request.route || request.path.startsWith(route);
};

/** The index `draw` (uniform in [0, 1)) falls on among `count` kinds of the given weights. */
const pickIndex = (draw: number, count: number, weights: number[] | undefined): number => {
  if (!weights) return Math.floor(draw * count);
  const total = weights.reduce((sum, w) => sum + w, 0);
  let left = draw * total;
  for (let i = 0; i < count; i++) {
    left -= weights[i] ?? 0;
    if (left < 0) return i;
  }
  return count - 1;
};

interface Queued {
  fault: Fault;
  match: FaultMatch;
  remaining: number;
}

/**
 * Fault injector shared by the Jira and OpenAI stand-ins. Two sources, checked in order for
 * every request:
 * 1. a queue of one-shot faults ({@link FaultInjector.enqueue}), each optionally limited to a
 *    route/method and repeated `times`; the first matching entry is used;
 * 2. chaos ({@link FaultInjector.chaos}): with probability `rate`, one of `kinds`, from a seeded
 *    PRNG, so a chaos run is reproducible.
 */
export class FaultInjector {
  #queue: Queued[] = [];
  #chaos: (ChaosOptions & { random: () => number }) | undefined;
  #counters: FaultCounters = { total: 0, byStatus: {}, delays: 0, drops: 0, byRoute: {}, answersLost: 0 };

  /** Queues `fault` for the next matching request(s). Returns this, for chaining. */
  enqueue(fault: Fault, options: EnqueueOptions = {}): this {
    const { times = 1, ...match } = options;
    if (times > 0) this.#queue.push({ fault, match, remaining: times });
    return this;
  }

  /** Starts chaos mode (replacing any previous one), or stops it with `undefined`. */
  chaos(options: ChaosOptions | undefined): this {
    if (options !== undefined && (options.rate < 0 || options.rate > 1 || options.kinds.length === 0)) {
      throw new RangeError('chaos needs a rate in 0..1 and at least one kind of fault');
    }
    const { weights } = options ?? {};
    if (weights && (weights.length !== options?.kinds.length || weights.some((w) => !(w > 0)))) {
      throw new RangeError('chaos weights need one positive number per kind');
    }
    this.#chaos = options === undefined ? undefined : { ...options, random: seededRandom(options.seed) };
    return this;
  }

  /** One-shot faults not used yet (counting `times`). */
  get pending(): number {
    return this.#queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** Counters of faults injected so far (a copy). */
  get counters(): FaultCounters {
    const c = this.#counters;
    return { ...c, byStatus: { ...c.byStatus }, byRoute: { ...c.byRoute } };
  }

  /** Drops queued faults, stops chaos and zeroes the counters. */
  reset(): void {
    this.#queue = [];
    this.#chaos = undefined;
    this.#counters = { total: 0, byStatus: {}, delays: 0, drops: 0, byRoute: {}, answersLost: 0 };
  }

  /** The fault for this request, if any (consumes a one-shot fault and counts it). */
  take(request: FaultRequest): Fault | undefined {
    let fault: Fault | undefined;
    const index = this.#queue.findIndex((entry) => matches(entry.match, request));
    const entry = this.#queue[index];
    if (entry) {
      fault = entry.fault;
      entry.remaining--;
      if (entry.remaining <= 0) this.#queue.splice(index, 1);
    } else if (this.#chaos && matches(this.#chaos, request)) {
      const { random, rate, kinds, weights } = this.#chaos;
      if (random() < rate) fault = kinds[pickIndex(random(), kinds.length, weights)];
    }
    if (fault) this.#count(fault, request.route);
    return fault;
  }

  #count(fault: Fault, route: string): void {
    const c = this.#counters;
    c.total++;
    c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
    if ('status' in fault) c.byStatus[fault.status] = (c.byStatus[fault.status] ?? 0) + 1;
    else if ('delayMs' in fault) c.delays++;
    else if ('answerLost' in fault) c.answersLost++;
    else c.drops++;
  }
}

/**
 * Applies `fault` to a request. Returns `true` when the fault answered it (status) or killed it
 * (drop), `false` when the stand-in should now answer normally (after a delay). A delay cut short
 * by `signal` (the stand-in closing) drops the connection.
 * @param errorBody the stand-in's default error body for a status.
 */
export const applyFault = async (
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  errorBody: (status: number) => unknown,
  signal?: AbortSignal,
): Promise<boolean> => {
  if ('drop' in fault || 'answerLost' in fault) {
    req.socket.destroy();
    return true;
  }
  if ('delayMs' in fault) {
    try {
      await sleep(fault.delayMs, undefined, { signal });
    } catch {
      req.socket.destroy();
      return true;
    }
    return false;
  }
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  sendJson(res, fault.status, fault.body ?? errorBody(fault.status), headers);
  return true;
};
