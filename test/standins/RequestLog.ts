/** One request a stand-in received. */
export interface RequestRecord {
  /** HTTP method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** Route name the stand-in matched (`getVersion`, `chatCompletions`...), or `unknown`. */
  route: string;
  /** Epoch milliseconds when it arrived. */
  at: number;
  /** The fault injected into it, if any (`status:503`, `delay:200`, `drop`). */
  fault?: string | undefined;
}

/** Default {@link RequestLog} capacity, records. */
export const DEFAULT_REQUEST_LOG_CAPACITY = 10_000;

/**
 * The requests a stand-in received: the newest `capacity` records (older ones are forgotten, so
 * a long chaos run stays bounded) and per-route counts of every request ever received.
 */
export class RequestLog {
  readonly #capacity: number;
  #records: RequestRecord[] = [];
  #counts = new Map<string, number>();
  #total = 0;

  /** @param capacity records kept; default 10000. */
  constructor(capacity: number = DEFAULT_REQUEST_LOG_CAPACITY) {
    this.#capacity = capacity;
  }

  /** Records one request. */
  add(record: RequestRecord): void {
    this.#total++;
    this.#counts.set(record.route, (this.#counts.get(record.route) ?? 0) + 1);
    this.#records.push(record);
    if (this.#records.length > this.#capacity) this.#records.splice(0, this.#records.length - this.#capacity);
  }

  /** The kept records, oldest first (a copy). */
  get records(): RequestRecord[] {
    return [...this.#records];
  }

  /** Requests received for `route`, or in all when no route is given (never forgotten). */
  count(route?: string): number {
    return route === undefined ? this.#total : (this.#counts.get(route) ?? 0);
  }

  /** Counts per route, e.g. `{ getVersion: 2, searchJql: 3 }`. */
  countsByRoute(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Forgets everything. */
  clear(): void {
    this.#records = [];
    this.#counts.clear();
    this.#total = 0;
  }
}
