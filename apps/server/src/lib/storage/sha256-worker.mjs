// The thread of a Sha256Pool (sha256-pool.ts). Plain JavaScript on purpose: a worker thread is
// started by Node itself, without the TypeScript loader the rest of the server runs under.
//
// Messages in:  { op: 'update', job, seq, buffer: SharedArrayBuffer, length }
//               { op: 'update-file', job, seq, fd, position, length }
//               { op: 'digest', job } | { op: 'drop', job }
// Messages out: { op: 'updated', job, seq } | { op: 'digest', job, hex } | { op: 'failed', job, message }
// After 'failed' the job ignores everything until the main thread drops it.
// 'update' reads the bytes in place from memory shared with the main thread: the main thread does
// not reuse a buffer before its 'updated' answer. 'update-file' reads them back from a file the main
// thread has just written (from the page cache, on this thread): the hash is then the hash of what
// the file holds, and the main thread copies nothing. The main thread keeps the file open until the
// answer.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

if (parentPort === null) throw new Error('sha256-worker.mjs runs as a worker thread only');
const port = parentPort;

/** Where 'update-file' reads, reused: one per thread. */
const scratch = Buffer.allocUnsafeSlow(1024 * 1024);

/** Hashes `length` bytes of `fd` from `position`; a file shorter than that is an error. */
function hashFileRange(hash, fd, position, length) {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, scratch, 0, Math.min(scratch.length, length - done), position + done);
    if (n === 0) throw new Error('file shorter than what was written');
    hash.update(scratch.subarray(0, n));
    done += n;
  }
}

/** A failed job maps to null until dropped: its queued updates are ignored, never hashed afresh. */
/** @type {Map<number, import('node:crypto').Hash | null>} */
const hashes = new Map();

port.on('message', (message) => {
  const { op, job } = message;
  try {
    if (op === 'update' || op === 'update-file') {
      let hash = hashes.get(job);
      if (hash === null) return;
      if (hash === undefined) {
        hash = createHash('sha256');
        hashes.set(job, hash);
      }
      if (op === 'update') hash.update(new Uint8Array(message.buffer, 0, message.length));
      else hashFileRange(hash, message.fd, message.position, message.length);
      port.postMessage({ op: 'updated', job, seq: message.seq });
    } else if (op === 'digest') {
      const hash = hashes.get(job);
      if (hash === null) return;
      hashes.delete(job);
      port.postMessage({ op: 'digest', job, hex: (hash ?? createHash('sha256')).digest('hex') });
    } else if (op === 'drop') {
      hashes.delete(job);
    } else {
      throw new Error(`unknown operation ${String(op)}`);
    }
  } catch (err) {
    hashes.set(job, null);
    port.postMessage({ op: 'failed', job, message: err instanceof Error ? err.message : String(err) });
  }
});
