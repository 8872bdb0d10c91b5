import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A hash could not be computed: the worker failed, died or was stopped. The upload must be refused. */
export class HashWorkerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HashWorkerError';
  }
}

/**
 * One SHA-256 computed by a worker thread over the bytes given, in order: read in place from shared
 * memory (`update`), or from a buffer handed over to the thread and back (`hash`).
 */
export interface Sha256Job {
  /**
   * Hashes the first `length` bytes of `buffer`. Resolves once the worker has read them, so the
   * buffer may be reused; rejects with HashWorkerError, after which the job is dead.
   */
  update(buffer: SharedArrayBuffer, length: number): Promise<void>;
  /**
   * Hashes the first `length` bytes of `buffer`, which is transferred to the thread (detached here,
   * so nothing can change it meanwhile) and comes back unchanged: resolves with it. Rejects with
   * HashWorkerError, after which the job is dead (the buffer is then lost: make another).
   */
  hash(buffer: ArrayBuffer, length: number): Promise<ArrayBuffer>;
  /** The lowercase hex digest of everything given so far. Call it once, after the last update or hash resolved. */
  digest(): Promise<string>;
  /** Abandons the job (an upload refused midway): pending updates still settle, the digest is never asked. */
  drop(): void;
}

export interface Sha256PoolOptions {
  /** Upper bound on threads; started one by one, only when every running one is busy. */
  maxWorkers?: number;
  /** The worker script (tests give a faulty one). */
  workerUrl?: URL;
}

interface Settle {
  resolve: (buffer?: ArrayBuffer) => void;
  reject: (err: Error) => void;
}

interface JobState {
  id: number;
  thread: PoolThread;
  updates: Map<number, Settle>;
  digest?: { resolve: (hex: string) => void; reject: (err: Error) => void };
  failure?: Error;
  dropped: boolean;
  nextSeq: number;
}

interface PoolThread {
  worker: Worker;
  jobs: Map<number, JobState>;
  alive: boolean;
}

type WorkerMessage =
  | { op: 'updated'; job: number; seq: number }
  | { op: 'hashed'; job: number; seq: number; buffer: ArrayBuffer }
  | { op: 'digest'; job: number; hex: string }
  | { op: 'failed'; job: number; message: string };

const defaultWorkerUrl = new URL('./sha256-worker.mjs', import.meta.url);

/**
 * SHA-256 on worker threads, so that hashing an upload overlaps with reading the socket and
 * writing the disk on the main thread (docs/decisions/140). A thread is idle-unreferenced: it never
 * keeps the process alive on its own. When a thread dies, its jobs fail and the next job starts a
 * new one.
 */
export class Sha256Pool {
  private readonly threads: PoolThread[] = [];
  private readonly maxWorkers: number;
  private readonly workerUrl: URL;
  private nextJobId = 1;
  private closed = false;

  constructor(options: Sha256PoolOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? Math.min(4, availableParallelism() - 1));
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl;
  }

  /** Threads currently running. */
  get size(): number {
    return this.threads.length;
  }

  begin(): Sha256Job {
    if (this.closed) throw new HashWorkerError('hash pool closed');
    const thread = this.pickThread();
    const state: JobState = { id: this.nextJobId++, thread, updates: new Map(), dropped: false, nextSeq: 0 };
    if (thread.jobs.size === 0) thread.worker.ref();
    thread.jobs.set(state.id, state);
    return {
      update: (buffer, length) => this.update(state, buffer, length),
      hash: (buffer, length) => this.hash(state, buffer, length),
      digest: () => this.digest(state),
      drop: () => this.drop(state),
    };
  }

  /** Stops every thread; jobs in progress fail with HashWorkerError. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private pickThread(): PoolThread {
    let best: PoolThread | undefined;
    for (const thread of this.threads) if (!best || thread.jobs.size < best.jobs.size) best = thread;
    if (best && (best.jobs.size === 0 || this.threads.length >= this.maxWorkers)) return best;
    return this.spawn();
  }

  private spawn(): PoolThread {
    // No inherited --import/--require: the worker is plain JavaScript and needs no loader.
    const worker = new Worker(this.workerUrl, { execArgv: [] });
    const thread: PoolThread = { worker, jobs: new Map(), alive: true };
    this.threads.push(thread);
    worker.on('message', (message: WorkerMessage) => this.onMessage(thread, message));
    worker.on('error', (err) => this.fail(thread, new HashWorkerError('hash worker failed', { cause: err })));
    worker.on('messageerror', (err) =>
      this.fail(thread, new HashWorkerError('hash worker message failed', { cause: err })),
    );
    worker.on('exit', (code) => this.fail(thread, new HashWorkerError(`hash worker exited (${code})`)));
    return thread;
  }

  private update(state: JobState, buffer: SharedArrayBuffer, length: number): Promise<void> {
    if (state.failure) return Promise.reject(state.failure);
    if (state.dropped || state.digest) return Promise.reject(new HashWorkerError('hash job finished'));
    if (!(buffer instanceof SharedArrayBuffer) || !Number.isSafeInteger(length) || length < 0)
      return Promise.reject(new TypeError('update takes a SharedArrayBuffer and a length'));
    if (length > buffer.byteLength) return Promise.reject(new RangeError('length exceeds the buffer'));
    return this.post(state, { op: 'update', buffer, length });
  }

  private hash(state: JobState, buffer: ArrayBuffer, length: number): Promise<ArrayBuffer> {
    if (state.failure) return Promise.reject(state.failure);
    if (state.dropped || state.digest) return Promise.reject(new HashWorkerError('hash job finished'));
    if (!(buffer instanceof ArrayBuffer) || !Number.isSafeInteger(length) || length < 0)
      return Promise.reject(new TypeError('hash takes an ArrayBuffer and a length'));
    if (length > buffer.byteLength) return Promise.reject(new RangeError('length exceeds the buffer'));
    const seq = state.nextSeq++;
    return new Promise<ArrayBuffer>((resolve, reject) => {
      state.updates.set(seq, { resolve: (back) => resolve(back as ArrayBuffer), reject });
      state.thread.worker.postMessage({ op: 'hash', job: state.id, seq, buffer, length }, [buffer]);
    });
  }

  private post(state: JobState, message: Record<string, unknown>): Promise<void> {
    const seq = state.nextSeq++;
    return new Promise<void>((resolve, reject) => {
      state.updates.set(seq, { resolve: () => resolve(), reject });
      state.thread.worker.postMessage({ ...message, job: state.id, seq });
    });
  }

  private digest(state: JobState): Promise<string> {
    if (state.failure) return Promise.reject(state.failure);
    if (state.dropped || state.digest) return Promise.reject(new HashWorkerError('hash job finished'));
    return new Promise<string>((resolve, reject) => {
      state.digest = { resolve, reject };
      state.thread.worker.postMessage({ op: 'digest', job: state.id });
    });
  }

  private drop(state: JobState) {
    if (state.dropped) return;
    state.dropped = true;
    if (state.thread.alive && !state.failure) state.thread.worker.postMessage({ op: 'drop', job: state.id });
    this.release(state);
  }

  private onMessage(thread: PoolThread, message: WorkerMessage) {
    const state = thread.jobs.get(message.job);
    if (state === undefined) return;
    if (message.op === 'updated' || message.op === 'hashed') {
      const settle = state.updates.get(message.seq);
      state.updates.delete(message.seq);
      settle?.resolve(message.op === 'hashed' ? message.buffer : undefined);
      this.release(state);
    } else if (message.op === 'digest') {
      state.digest?.resolve(message.hex);
      this.forget(state);
    } else {
      this.failJob(state, new HashWorkerError(`hash failed: ${message.message}`));
      // The thread keeps the failed job's id (ignoring its queued updates) until told to drop it.
      thread.worker.postMessage({ op: 'drop', job: state.id });
    }
  }

  /** A dropped job leaves its thread once the thread has read every buffer it was given. */
  private release(state: JobState) {
    if (state.dropped && state.updates.size === 0) this.forget(state);
  }

  private forget(state: JobState) {
    const { thread } = state;
    if (!thread.jobs.delete(state.id)) return;
    if (thread.jobs.size === 0 && thread.alive) thread.worker.unref();
  }

  private failJob(state: JobState, err: Error) {
    state.failure ??= err;
    for (const settle of state.updates.values()) settle.reject(err);
    state.updates.clear();
    state.digest?.reject(err);
    this.forget(state);
  }

  private fail(thread: PoolThread, err: Error) {
    if (thread.alive) {
      thread.alive = false;
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
      void thread.worker.terminate();
    }
    for (const state of [...thread.jobs.values()]) this.failJob(state, err);
  }
}
