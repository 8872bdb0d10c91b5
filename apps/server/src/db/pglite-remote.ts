import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PgliteDirLock } from './pglite-lock.ts';

/** A PGlite result as the drizzle driver reads it. */
export interface RemoteResults {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number | string, unknown>;
}

/** What drizzle's PGlite driver calls on a client, and on the client of a transaction. */
interface Queryable {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<RemoteResults>;
  exec(sql: string): Promise<RemoteResults[]>;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** The database process stopped: every query from then on fails with this. */
export class EmbeddedDatabaseStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseStopped';
  }
}

const childProgram = fileURLToPath(new URL('./pglite-process.mjs', import.meta.url));

/**
 * PGlite in a process of its own (docs/decisions/153), behind the interface drizzle's PGlite driver
 * uses (`query`, `exec`, `transaction`) and the `listen` the session bus and the outbox use. The
 * server process then holds none of the database engine's memory, as with PostgreSQL. Queries go
 * over Node's IPC channel (structured clone: dates, bytes and big integers survive); PGlite runs
 * them one at a time, a transaction holding it until its end, exactly as in process. If the
 * database process dies, pending and later queries fail (`EmbeddedDatabaseStopped`) and `stopped`
 * resolves; the process ends by itself when the server's channel closes.
 */
export class RemotePglite implements Queryable {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private failure: EmbeddedDatabaseStopped | undefined;
  private closing: Promise<void> | undefined;
  /** Resolves with the reason when the database process ends without `close()`. */
  readonly stopped: Promise<Error>;
  private onStopped!: (err: Error) => void;

  private constructor(
    private readonly child: ChildProcess,
    private readonly lock: PgliteDirLock,
  ) {
    this.stopped = new Promise((resolve) => {
      this.onStopped = resolve;
    });
    child.on(
      'message',
      (message: { id?: number; op?: string; result?: unknown; error?: Record<string, unknown> }) => {
        if (message.op === 'notify') {
          const { channel, payload } = message as unknown as { channel: string; payload: string };
          for (const listener of this.listeners.get(channel) ?? []) listener(payload);
          return;
        }
        if (message.id === undefined) return;
        const pending = this.pending.get(message.id);
        if (pending === undefined) return;
        this.pending.delete(message.id);
        if (message.error) pending.reject(toError(message.error));
        else pending.resolve(message.result);
      },
    );
    child.on('exit', (code, signal) => {
      const err = new EmbeddedDatabaseStopped(
        `the embedded database process ended (${signal ?? `exit code ${code}`})`,
      );
      this.failure ??= err;
      for (const pending of this.pending.values()) pending.reject(this.failure);
      this.pending.clear();
      void this.lock.release();
      if (this.closing === undefined) this.onStopped(err);
    });
  }

  /**
   * Starts the database process on `dir` (an existing cluster) and waits until it is open. Holds
   * the directory's lock (waiting for a previous holder, e.g. the database process of a server
   * killed a moment ago, to let go) and hands it to the process.
   */
  static async start(dir: string, startParams: string[]): Promise<RemotePglite> {
    const lock = await PgliteDirLock.acquire(dir);
    let child: ChildProcess;
    try {
      child = fork(childProgram, [dir, JSON.stringify(startParams)], {
        serialization: 'advanced',
        // No inherited flags (a loader, the server's heap settings): plain JavaScript.
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve, reject) => {
        const onMessage = (message: { op?: string }) => {
          if (message.op !== 'ready') return;
          cleanup();
          resolve();
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(
            new EmbeddedDatabaseStopped(
              `the embedded database did not open (${signal ?? `exit code ${code}`})`,
            ),
          );
        };
        const cleanup = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
      });
      await lock.handOver(child.pid as number);
    } catch (err) {
      await lock.release();
      throw err;
    }
    return new RemotePglite(child, lock);
  }

  /** The database process's id (its memory is its own, outside the server's). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<RemoteResults> {
    return this.request({ op: 'query', sql, params, ...wireOptions(options) }) as Promise<RemoteResults>;
  }

  exec(sql: string): Promise<RemoteResults[]> {
    return this.request({ op: 'exec', sql }) as Promise<RemoteResults[]>;
  }

  /**
   * Runs `fn` in a transaction held by the database process: committed when `fn` resolves, rolled
   * back when it throws (its error is rethrown).
   */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = (await this.request({ op: 'begin' })) as number;
    const client: Queryable = {
      query: (sql, params = [], options = {}) =>
        this.request({ op: 'query', sql, params, tx, ...wireOptions(options) }) as Promise<RemoteResults>,
      exec: (sql) => this.request({ op: 'exec', sql, tx }) as Promise<RemoteResults[]>,
    };
    let result: T;
    try {
      result = await fn(client);
    } catch (err) {
      await this.request({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.request({ op: 'end', tx, commit: true });
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
      await this.request({ op: 'listen', channel });
    }
    set.add(callback);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(callback) || current.size > 0) return;
      this.listeners.delete(channel);
      if (!this.failure) await this.request({ op: 'unlisten', channel }).catch(() => undefined);
    };
  }

  /** Closes the database (PGlite flushes its files), then the process ends and the lock is freed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failure) {
        const exited = new Promise((resolve) => this.child.once('exit', resolve));
        await this.request({ op: 'close' }).catch(() => undefined);
        this.child.disconnect();
        await exited;
      }
      await this.lock.release();
    })();
    return this.closing;
  }

  private request(message: Record<string, unknown>): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.child.send({ ...message, id });
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
}

/** Parsers are functions and cannot cross: drizzle's are identities, named by their type ids. */
function wireOptions(options: QueryOptions): { rowMode?: string; parserTypes?: number[] } {
  return {
    ...(options.rowMode ? { rowMode: options.rowMode } : {}),
    ...(options.parsers ? { parserTypes: Object.keys(options.parsers).map(Number) } : {}),
  };
}

/** PostgreSQL's fields (code, constraint, detail…) kept on the error, as PGlite raises it. */
function toError(fields: Record<string, unknown>): Error {
  const err = new Error(String(fields.message ?? 'database error'));
  for (const [key, value] of Object.entries(fields)) {
    if (key !== 'message' && key !== 'stack') (err as unknown as Record<string, unknown>)[key] = value;
  }
  return err;
}
