import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';

/**
 * One PGlite per data directory (docs/decisions/153): two engines on the same files would corrupt
 * them, and PGlite itself does not refuse a second one. The lock is a file beside the directory
 * (`<dir>.lock`) holding the id of the process that has the database open: this server, or the
 * database process it started (`handOver`). A lock whose process is gone (a server killed with
 * SIGKILL) is taken over; a live one is waited for, e.g. the database process of a killed server
 * still closing its files while the next server starts.
 */
export class PgliteDirLock {
  private holder: number;

  private constructor(
    readonly file: string,
    holder: number,
  ) {
    this.holder = holder;
  }

  static async acquire(dir: string, { timeoutMs = 30_000 } = {}): Promise<PgliteDirLock> {
    const file = `${dir}.lock`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          await handle.writeFile(String(process.pid));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return new PgliteDirLock(file, process.pid);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (!Number.isSafeInteger(holder) || holder <= 0 || !isAlive(holder)) {
        // Gone (or a lock file half-written by a process that died): take it over.
        await unlink(file).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`the embedded database ${dir} is in use by process ${holder} (lock ${file})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The database is now held by another process (the one this server started for it). */
  async handOver(pid: number): Promise<void> {
    const temp = `${this.file}.${process.pid}`;
    await writeFile(temp, String(pid), { mode: 0o600 });
    await rename(temp, this.file);
    this.holder = pid;
  }

  /** Removes the lock if it is still this one's. */
  async release(): Promise<void> {
    const current = Number.parseInt(await readFile(this.file, 'utf8').catch(() => ''), 10);
    if (current === this.holder) await unlink(this.file).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
