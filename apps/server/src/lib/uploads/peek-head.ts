import type { Readable } from 'node:stream';

export interface Head {
  /** At least `size` bytes, or the whole stream when it is shorter. */
  head: Buffer;
  /** The stream has ended: `head` is all of it and the stream itself has nothing left to read. */
  ended: boolean;
}

export class SourceFailedError extends Error {
  constructor(cause?: unknown) {
    super('upload source failed before its end', { cause });
    this.name = 'SourceFailedError';
  }
}

/**
 * Reads the first `size` bytes of a stream and puts them back (`unshift`), so the next consumer
 * still reads from byte 0. Only this head is buffered; the rest stays in the socket. Calling it
 * again with a larger size extends the same head.
 */
export function peekHead(source: Readable, size: number): Promise<Head> {
  return new Promise<Head>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;

    const cleanup = () => {
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('close', onClose);
    };
    const onReadable = () => {
      let chunk: Buffer | null = null;
      while (length < size) {
        chunk = source.read() as Buffer | null;
        if (chunk === null) return;
        chunks.push(chunk);
        length += chunk.length;
      }
      cleanup();
      const head = Buffer.concat(chunks, length);
      // Synchronously, before 'end' could be scheduled: the stream is whole again.
      source.unshift(head);
      resolve({ head, ended: false });
    };
    const onEnd = () => {
      cleanup();
      resolve({ head: Buffer.concat(chunks, length), ended: true });
    };
    const onError = (err: unknown) => {
      cleanup();
      reject(new SourceFailedError(err));
    };
    const onClose = () => {
      cleanup();
      reject(new SourceFailedError());
    };

    if (source.readableEnded) {
      resolve({ head: Buffer.alloc(0), ended: true });
      return;
    }
    if (source.destroyed) {
      reject(new SourceFailedError(source.errored ?? undefined));
      return;
    }
    source.on('readable', onReadable);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('close', onClose);
  });
}
