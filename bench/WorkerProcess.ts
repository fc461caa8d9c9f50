import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StackQueues } from '#local/bootstrap';
import type { ParentMessage, WorkerMessage, WorkerOptions } from '#local/worker';

/** The worker script (local/worker.ts). */
export const WORKER_SCRIPT = fileURLToPath(new URL('../local/worker.ts', import.meta.url));

/** One JSON log line of the worker (handler logs and the worker's own). */
export type LogLine = Record<string, unknown> & { msg?: string };

/** What the worker said when it was ready. */
export interface WorkerReady {
  webhookUrl: string;
  queues: StackQueues;
  scheduleGroup: string;
}

/** Options of {@link WorkerProcess}. */
export interface WorkerProcessOptions {
  /** Appends every stdout/stderr line of every worker generation here. Default none. */
  logFile?: string | undefined;
  /** Longest wait for `ready`, ms. Default 120000 (bootstrap and imports on a busy 2-core machine). */
  readyTimeoutMs?: number;
}

/**
 * A worker process (local/worker.ts) seen from its parent: forks it on the pinned Node,
 * reads its JSON log lines (counting them by `msg`, and handing them to listeners), and can kill
 * it with SIGKILL and start it again with the same options; counts survive restarts.
 */
export class WorkerProcess {
  /** Log lines seen so far per `msg`, over every generation. */
  readonly counts = new Map<string, number>();
  /** Worker processes started so far. */
  generation = 0;
  #options: WorkerOptions;
  readonly #settings: WorkerProcessOptions;
  readonly #listeners = new Set<(line: LogLine) => void>();
  readonly #log: WriteStream | undefined;
  #child: ChildProcess | undefined;
  #exited: Promise<number | null> | undefined;
  #ready: WorkerReady | undefined;
  #stderrTail = '';
  #closed = false;
  /** True while this process is the one ending the current generation. */
  #expectExit = false;
  /** Why a generation died when nobody asked it to. */
  #crash: string | undefined;

  constructor(options: WorkerOptions, settings: WorkerProcessOptions = {}) {
    this.#options = options;
    this.#settings = settings;
    this.#log = settings.logFile ? createWriteStream(settings.logFile, { flags: 'a' }) : undefined;
  }

  /** What the current generation reported when ready. */
  get ready(): WorkerReady {
    if (!this.#ready) throw new Error('worker not ready');
    return this.#ready;
  }

  /** Pid of the current generation, if running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Throws when a generation exited without being killed or stopped (a crash, not chaos). */
  assertHealthy(): void {
    if (this.#crash) throw new Error(this.#crash);
  }

  /**
   * Log lines with this `msg` seen so far.
   * @throws when a generation crashed (see {@link assertHealthy}), so waits on a count end at once.
   */
  count(msg: string): number {
    this.assertHealthy();
    return this.counts.get(msg) ?? 0;
  }

  /** Calls `listener` with every log line from now on; returns an unsubscribe function. */
  onLine(listener: (line: LogLine) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts a generation and waits for it to be ready. */
  async start(): Promise<WorkerReady> {
    if (this.#child) throw new Error('worker already running');
    this.generation += 1;
    const child = fork(WORKER_SCRIPT, [JSON.stringify(this.#options)], {
      execPath: process.execPath,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    this.#ready = undefined;
    this.#expectExit = false;
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        if (!this.#expectExit) {
          this.#crash = `worker generation ${this.generation} exited on its own (${signal ?? `code ${code}`}):\n${this.#stderrTail}`;
        }
        resolve(code);
      }),
    );
    const generation = this.generation;
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) =>
      this.#line(text, generation),
    );
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (text) => {
      this.#stderrTail = `${this.#stderrTail}${text}\n`.slice(-4000);
      this.#log?.write(`[gen ${generation} stderr] ${text}\n`);
    });
    const timeoutMs = this.#settings.readyTimeoutMs ?? 120_000;
    const ready = await new Promise<WorkerReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker not ready after ${timeoutMs} ms`)), timeoutMs);
      child.on('message', (message: WorkerMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve({
          webhookUrl: message.webhookUrl,
          queues: message.queues,
          scheduleGroup: message.scheduleGroup,
        });
      });
      void this.#exited?.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited (${code}) before it was ready:\n${this.#stderrTail}`));
      });
    });
    this.#ready = ready;
    return ready;
  }

  /** Moves the scheduler clock of this and every later generation to wall clock + `offsetMs`. */
  setClockOffset(offsetMs: number): void {
    this.#options = { ...this.#options, clockOffsetMs: offsetMs };
    this.#send({ type: 'clock', offsetMs });
  }

  /** SIGKILLs the current generation (no cleanup at all, like a crashed host) and waits for it to die. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#expectExit = true;
    child.kill('SIGKILL');
    await this.#exited;
  }

  /** Asks the current generation to stop (finishing in-flight batches) and waits, then SIGKILLs it. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#expectExit = true;
    this.#send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Stops the worker and closes the log file. Calling it again does nothing. */
  async close(): Promise<void> {
    await this.stop();
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => (this.#log ? this.#log.end(resolve) : resolve()));
  }

  #send(message: ParentMessage): void {
    const child = this.#child;
    if (child?.connected) child.send(message);
  }

  #line(text: string, generation: number): void {
    this.#log?.write(`[gen ${generation}] ${text}\n`);
    if (!text.startsWith('{')) return;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    if (typeof line.msg === 'string') this.counts.set(line.msg, (this.counts.get(line.msg) ?? 0) + 1);
    for (const listener of this.#listeners) listener(line);
  }
}
