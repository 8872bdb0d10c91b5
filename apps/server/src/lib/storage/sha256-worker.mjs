// The thread of a Sha256Pool (sha256-pool.ts). Plain JavaScript on purpose: a worker thread is
// started by Node itself, without the TypeScript loader the rest of the server runs under.
//
// Messages in:  { op: 'update', job, seq, buffer: SharedArrayBuffer, length }
//               { op: 'hash', job, seq, buffer: ArrayBuffer (transferred), length }
//               { op: 'digest', job } | { op: 'drop', job }
// Messages out: { op: 'updated', job, seq } | { op: 'hashed', job, seq, buffer (transferred back) }
//               { op: 'digest', job, hex } | { op: 'failed', job, message }
// After 'failed' the job ignores everything until the main thread drops it.
// 'update' reads the bytes in place from memory shared with the main thread: the main thread does
// not reuse a buffer before its 'updated' answer. 'hash' owns its buffer (the main thread gave it
// away, it cannot change it meanwhile): it hashes the bytes and gives the buffer back, unchanged.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

if (parentPort === null) throw new Error('sha256-worker.mjs runs as a worker thread only');
const port = parentPort;

/** A failed job maps to null until dropped: its queued messages are ignored, never acted on. */
/** @type {Map<number, import('node:crypto').Hash | null>} */
const hashes = new Map();

port.on('message', (message) => {
  const { op, job } = message;
  try {
    if (op === 'update' || op === 'hash') {
      let hash = hashes.get(job);
      if (hash === null) return;
      if (hash === undefined) {
        hash = createHash('sha256');
        hashes.set(job, hash);
      }
      hash.update(new Uint8Array(message.buffer, 0, message.length));
      if (op === 'update') port.postMessage({ op: 'updated', job, seq: message.seq });
      else
        port.postMessage({ op: 'hashed', job, seq: message.seq, buffer: message.buffer }, [message.buffer]);
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
