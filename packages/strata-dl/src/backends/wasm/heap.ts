// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';

const PAGE = 65536;
/** wasm32 addresses 4 GiB at most. */
export const MAX_PAGES = 65536;
const ALIGN = 64;

function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${(b / 1024).toFixed(1)} KiB`;
}

/**
 * Size-class allocator over one (shared) `WebAssembly.Memory`, kept on the TypeScript side so the
 * kernels stay pure functions of pointers. Sizes round up to classes four per octave (at most 25%
 * slack, 64-byte aligned); freed blocks wait in a free list per class and are reused as they are,
 * or handed back to the bump pointer when they sit at its top. Memory only grows (wasm cannot
 * shrink), so when it cannot grow any more a request is carved out of free blocks of other classes:
 * the smallest larger one, else a run of adjacent ones merged (a program that once held a huge
 * temporary would otherwise fail small requests with gigabytes free).
 */
export class Heap {
  private top: number;
  /** Highest `top` ever reached: memory above it has never been handed out, so it is still zero. */
  private highWater: number;
  private readonly freeLists = new Map<number, number[]>();
  private freeBytes = 0;
  /** Bytes and blocks handed out and not yet freed (tensors plus the backend's own workspaces). */
  liveBytes = 0;
  liveBlocks = 0;
  private readonly largest = new Map<number, number>(); // class size -> live blocks of that class (0 for none)
  /** How many times the memory has grown (its views must then be made again). */
  grows = 0;

  /** The memory's size in bytes (only this allocator grows it; reading `memory.buffer` per call costs). */
  private capacity: number;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.capacity = memory.buffer.byteLength;
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.highWater = this.top;
  }

  /** Bytes at the start of a block just allocated at `ptr` that may hold old data (the rest is zero). */
  dirtyBytes(ptr: number, bytes: number): number {
    return Math.max(0, Math.min(bytes, this.dirtyEnd - ptr));
  }
  private dirtyEnd = 0;

  /** The size class a request of `bytes` is served from. */
  static classOf(bytes: number): number {
    if (bytes <= ALIGN) return ALIGN;
    if (bytes < 2 ** 31) {
      // the same classes with integer operations: the power of two at or below `bytes` by clz32
      const p = 1 << (31 - Math.clz32(bytes));
      const step = p >= 4 * ALIGN ? p >> 2 : ALIGN;
      return Math.ceil(bytes / step) * step;
    }
    const p = 2 ** Math.floor(Math.log2(bytes));
    const step = Math.max(ALIGN, p / 4);
    return Math.ceil(bytes / step) * step;
  }

  /** A block of at least `bytes`; returns [pointer, class size]. `what` names the request in errors. */
  alloc(bytes: number, what: string | (() => string)): [number, number] {
    const ptr = this.take(bytes, what);
    return [ptr, this.takenClass];
  }

  /** The class size of the block `take` returned last. */
  takenClass = 0;

  /**
   * `alloc` without the pair: returns the pointer and leaves the class size in `takenClass` (the
   * per-tensor path, where the pair and its destructuring cost more than the allocation).
   */
  take(bytes: number, what: string | (() => string)): number {
    const cls = Heap.classOf(bytes);
    const list = this.freeLists.get(cls);
    let ptr = list?.pop();
    if (ptr !== undefined) {
      this.freeBytes -= cls;
      this.dirtyEnd = ptr + cls;
    } else {
      this.dirtyEnd = this.highWater;
      ptr = this.bump(cls, what);
      this.highWater = Math.max(this.highWater, ptr + cls);
    }
    this.liveBytes += cls;
    this.liveBlocks++;
    this.largest.set(cls, (this.largest.get(cls) ?? 0) + 1);
    this.takenClass = cls;
    return ptr;
  }

  free(ptr: number, cls: number): void {
    this.liveBytes -= cls;
    this.liveBlocks--;
    // a class's count stays at 0 rather than being deleted: a step frees and takes the same classes
    this.largest.set(cls, (this.largest.get(cls) ?? 1) - 1);
    if (ptr + cls === this.top) {
      this.top = ptr;
      return;
    }
    let list = this.freeLists.get(cls);
    if (!list) this.freeLists.set(cls, (list = []));
    list.push(ptr);
    this.freeBytes += cls;
  }

  /** Memory reserved so far (bytes), live or cached in free lists. */
  get reservedBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private bump(cls: number, what: string | (() => string)): number {
    let ptr = this.top;
    if (ptr + cls > this.capacity && !this.grow(ptr + cls)) {
      // Give free blocks at the top back to the bump pointer and try once more.
      this.reclaimTop();
      ptr = this.top;
      if (ptr + cls > this.capacity && !this.grow(ptr + cls)) {
        const carved = this.carve(cls);
        if (carved < 0) this.outOfMemory(cls, what);
        return carved;
      }
    }
    this.top = ptr + cls;
    return ptr;
  }

  private grow(end: number): boolean {
    const have = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(end / PAGE);
    if (need > MAX_PAGES) return false;
    // grow by at least a quarter, so that a growing workload does not grow page by page
    const want = Math.min(MAX_PAGES, Math.max(need, have + Math.ceil(have / 4)));
    for (const pages of want > need ? [want, need] : [need]) {
      try {
        this.memory.grow(pages - have);
        this.grows++;
        this.capacity = this.memory.buffer.byteLength;
        return true;
      } catch {
        // RangeError: the engine could not reserve that much; try the exact need next
      }
    }
    return false;
  }

  /**
   * A block of `cls` bytes cut from the free lists, the rest going back to them in class-sized
   * pieces: from the smallest free block of a larger class, else from a run of adjacent free blocks
   * (merged). -1 when no block or run is large enough.
   */
  private carve(cls: number): number {
    let best = -1;
    for (const [c, list] of this.freeLists) if (c > cls && list.length > 0 && (best < 0 || c < best)) best = c;
    if (best > 0) {
      const ptr = this.freeLists.get(best)!.pop()!;
      this.freeBytes -= best;
      this.release(ptr + cls, best - cls);
      return ptr;
    }
    const blocks: [number, number][] = [];
    for (const [c, list] of this.freeLists) for (const p of list) blocks.push([p, c]);
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < blocks.length;) {
      let j = i, end = blocks[i][0] + blocks[i][1];
      while (j + 1 < blocks.length && blocks[j + 1][0] === end) end += blocks[++j][1];
      if (end - blocks[i][0] >= cls) {
        const start = blocks[i][0];
        const run = new Set<number>();
        for (let k = i; k <= j; k++) { run.add(blocks[k][0]); this.freeBytes -= blocks[k][1]; }
        for (const [c, list] of this.freeLists) this.freeLists.set(c, list.filter((p) => !run.has(p)));
        this.release(start + cls, end - start - cls);
        return start;
      }
      i = j + 1;
    }
    return -1;
  }

  /** Puts `bytes` (a multiple of 64) at `ptr` into the free lists as blocks of whole classes, largest first. */
  private release(ptr: number, bytes: number): void {
    while (bytes > 0) {
      const p = 2 ** Math.floor(Math.log2(bytes));
      const step = p >= 4 * ALIGN ? p / 4 : ALIGN;
      const c = Math.floor(bytes / step) * step;
      let list = this.freeLists.get(c);
      if (!list) this.freeLists.set(c, (list = []));
      list.push(ptr);
      this.freeBytes += c;
      ptr += c;
      bytes -= c;
    }
  }

  /** Merges free blocks that end at the bump pointer back into it. */
  private reclaimTop(): void {
    const blocks: [number, number][] = [];
    for (const [cls, list] of this.freeLists) for (const p of list) blocks.push([p, cls]);
    blocks.sort((a, b) => b[0] - a[0]);
    const dropped = new Set<number>();
    for (const [p, cls] of blocks) {
      if (p + cls !== this.top) break;
      this.top = p;
      this.freeBytes -= cls;
      dropped.add(p);
    }
    if (dropped.size === 0) return;
    for (const [cls, list] of this.freeLists) this.freeLists.set(cls, list.filter((p) => !dropped.has(p)));
  }

  private outOfMemory(cls: number, what: string | (() => string)): never {
    const largest = Math.max(0, ...[...this.largest].filter(([, n]) => n > 0).map(([c]) => c));
    throw new StrataError('wasm alloc', `out of memory allocating ${fmtBytes(cls)} for ${typeof what === 'string' ? what : what()}: ` +
      `${fmtBytes(this.liveBytes)} live in ${this.liveBlocks.toLocaleString('en-US')} buffers (largest ${fmtBytes(largest)}), ` +
      `${fmtBytes(this.freeBytes)} cached in free lists; wasm32 memory is capped at 4 GiB. ` +
      'Dispose tensors you no longer need (dispose(), scoped()), or use smaller batches');
  }
}
