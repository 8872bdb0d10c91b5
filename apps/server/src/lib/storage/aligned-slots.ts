/**
 * Batch buffers for direct I/O (docs/decisions/152): memory the kernel can read straight into the
 * disk, which must start on a block boundary. JavaScript has no aligned allocation, but the memory of
 * a WebAssembly instance is mapped by pages of the system, so a `WebAssembly.Memory` starts on a
 * page boundary (4 KiB), which is a multiple of any block size (512 B or 4 KiB). Shared, so the
 * hash thread reads the same bytes in place while the disk reads them too.
 *
 * Such memory is never given back to the system by the garbage collector in good time (it does not
 * count a WebAssembly memory as pressure: thousands of dropped ones stay resident), so the slots are
 * pooled and reused for the life of the process, up to `maxSlots`; past that, callers write without
 * direct I/O. What the pool holds (`created × slotBytes`) is the whole cost, measured in
 * docs/benchmarks-upload.md.
 */
export class AlignedSlotPool {
  private readonly free: Uint8Array<SharedArrayBuffer>[] = [];
  private created = 0;
  private exhausted = false;
  private readonly pages: number;

  constructor(
    readonly slotBytes: number,
    readonly maxSlots: number,
  ) {
    if (!Number.isSafeInteger(slotBytes) || slotBytes < 1)
      throw new TypeError('slotBytes must be a positive integer');
    if (!Number.isSafeInteger(maxSlots) || maxSlots < 0)
      throw new TypeError('maxSlots must be a non-negative integer');
    this.pages = Math.ceil(slotBytes / wasmPageBytes);
  }

  /** Slots made so far (each one stays in the pool once made). */
  get size(): number {
    return this.created;
  }

  /** Slots free right now. */
  get available(): number {
    return this.free.length + (this.exhausted ? 0 : this.maxSlots - this.created);
  }

  /** A slot of `slotBytes` starting on a page boundary, or undefined when `maxSlots` are all in use. */
  take(): Uint8Array<SharedArrayBuffer> | undefined {
    const slot = this.free.pop();
    if (slot !== undefined) return slot;
    if (this.created >= this.maxSlots || this.exhausted) return undefined;
    let memory: { buffer: SharedArrayBuffer };
    try {
      memory = new (wasm().Memory)({ initial: this.pages, maximum: this.pages, shared: true });
    } catch {
      // The runtime could not map it (a tight address-space limit, say): no more slots, and the
      // callers write through the page cache instead.
      this.exhausted = true;
      return undefined;
    }
    this.created++;
    return new Uint8Array(memory.buffer, 0, this.slotBytes);
  }

  /** Gives a slot back; nothing may read or write it afterwards. */
  give(slot: Uint8Array<SharedArrayBuffer>): void {
    if (slot.byteLength !== this.slotBytes) throw new RangeError('not a slot of this pool');
    this.free.push(slot);
  }
}

const wasmPageBytes = 64 * 1024;

/** The runtime's WebAssembly (the server's type library declares no WebAssembly values). */
const wasm = () =>
  (
    globalThis as unknown as {
      WebAssembly: {
        Memory: new (descriptor: {
          initial: number;
          maximum: number;
          shared: true;
        }) => {
          buffer: SharedArrayBuffer;
        };
      };
    }
  ).WebAssembly;

/** Direct I/O writes whole blocks at block-aligned positions: 4 KiB covers 512 B and 4 KiB devices. */
export const directIoBlockBytes = 4096;
