// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import { WASM_RELAXED, WASM_SIMD } from './generated/modules.js';
import { wasmFeatures } from './features.js';
import { Heap, MAX_PAGES } from './heap.js';
import { Pool } from './pool.js';
import { SerialPool, type TaskRunner, unshareMemoryImport } from './memory.js';
import { CTL } from './worker-source.js';
import { MAX_THREADS, getNumThreads } from './threads.js';

/** Which build of the kernels runs. */
export type WasmVariant = 'relaxed-simd' | 'simd';

/** The kernel exports (assembly/index.ts). Arguments and results are i32 unless said otherwise. */
export interface WasmExports {
  runTask(task: number, tid: number, nt: number, desc: number): void;
  sgemm(M: number, N: number, K: number, A: number, ars: number, acs: number, B: number, brs: number, bcs: number, C: number, ldc: number, ws: number): void;
  reduceF32(op: number, outer: number, R: number, inner: number, src: number, dst: number): void;
  argF32(isMax: number, outer: number, n: number, inner: number, src: number, dst: number): void;
  scanF32(op: number, reverse: number, outer: number, n: number, inner: number, src: number, dst: number, ws: number): void;
  argsortF32(descending: number, outer: number, n: number, inner: number, src: number, dst: number, ws: number): void;
  copyND(esz: number, desc: number, dst: number, src: number, ctr: number): void;
  toBool(isFloat: number, n: number, src: number, dst: number): void;
  fillBytes(dst: number, v: number, n: number): void;
  copyBytes(dst: number, src: number, n: number): void;
  fill32(dst: number, bits: number, n: number): void;
  gather4(desc: number, out: number, x: number, idx: number, ctr: number): number;
  scatterAddF32(desc: number, out: number, idx: number, src: number, ctr: number): number;
  gatherRows4(rows: number, n: number, m: number, out: number, x: number, idx: number): number;
  scatterAddRowsF32(rows: number, n: number, m: number, ms: number, out: number, idx: number, src: number): number;
  unaryRow(op: number, n: number, out: number, src: number): void;
  heapBase(): number;
  usesRelaxedSimd(): number;
  microRows(): number;
  packedABytes(m: number, k: number): number;
  inplaceBMaxM(): number;
  /** assembly/wgrad-inplace.ts: 2 a weight gradient reads the image in place, 1 a padded copy of it, 0 neither. */
  wgradReads(C: number, H: number, W: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, OW: number, L: number, M: number): number;
  convKMax(): number;
  gemmWorkspaceBytes(): number;
  /** The fused cross-entropy (assembly/xent.ts): returns the float64 sum of the rows' losses. */
  xentForward(n: number, c: number, x: number, t: number, ignore: number, probs: number): number;
  /** `scale` is a float32. */
  xentBackward(n: number, c: number, probs: number, t: number, ignore: number, scale: number, dx: number): void;
}
const EXPORTS = ['runTask', 'sgemm', 'reduceF32', 'argF32', 'scanF32', 'argsortF32', 'copyND', 'toBool', 'fillBytes', 'copyBytes', 'fill32', 'gather4', 'scatterAddF32', 'gatherRows4', 'scatterAddRowsF32', 'unaryRow', 'heapBase', 'usesRelaxedSimd', 'microRows', 'packedABytes', 'inplaceBMaxM', 'wgradReads', 'convKMax', 'gemmWorkspaceBytes', 'xentForward', 'xentBackward'] as const;

/** Task ids: scripts/wasm-interface.mjs. */
export { TASK } from './generated/interface.js';

/** i32 slots of the descriptor area (task arguments, N-d shapes and strides). */
const DESC_SLOTS = 512;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function bindExports(instance: WebAssembly.Instance): WasmExports {
  const ex = instance.exports;
  const fns: Partial<Record<(typeof EXPORTS)[number], (...a: number[]) => number>> = {};
  for (const name of EXPORTS) {
    const f = ex[name];
    if (typeof f !== 'function') throw new StrataError('wasm', `the kernel module lacks the export '${name}'; rebuild with npm run build`);
    fns[name] = f as (...a: number[]) => number;
  }
  const get = (name: (typeof EXPORTS)[number]): ((...a: number[]) => number) => fns[name]!;
  return {
    runTask: get('runTask'), sgemm: get('sgemm'), reduceF32: get('reduceF32'), argF32: get('argF32'),
    scanF32: get('scanF32'), argsortF32: get('argsortF32'),
    copyND: get('copyND'), toBool: get('toBool'), gather4: get('gather4'), fillBytes: get('fillBytes'), copyBytes: get('copyBytes'), fill32: get('fill32'), scatterAddF32: get('scatterAddF32'), gatherRows4: get('gatherRows4'), scatterAddRowsF32: get('scatterAddRowsF32'), unaryRow: get('unaryRow'), heapBase: get('heapBase'),
    usesRelaxedSimd: get('usesRelaxedSimd'), microRows: get('microRows'), packedABytes: get('packedABytes'), inplaceBMaxM: get('inplaceBMaxM'), wgradReads: get('wgradReads'), convKMax: get('convKMax'),
    gemmWorkspaceBytes: get('gemmWorkspaceBytes'), xentForward: get('xentForward'), xentBackward: get('xentBackward'),
  };
}

export interface RuntimeOptions {
  /** 'auto' (default): the relaxed-SIMD build where the engine validates it, else plain SIMD. */
  variant?: WasmVariant | 'auto';
  /** Initial memory in MiB (default 16); it grows on demand up to 4 GiB. */
  initialMiB?: number;
  /**
   * Shared memory and a worker pool (default: where the engine has shared memory), or one thread on
   * an unshared memory (default where it has not: a page that is not cross-origin isolated).
   */
  sharedMemory?: boolean;
}

/**
 * One compiled kernel module on one memory (shared with a worker pool, or unshared and run on the
 * calling thread: memory.ts): the allocator, typed views of the memory (re-made after it grows),
 * the descriptor area and the pool.
 */
export class Runtime {
  readonly x: WasmExports;
  readonly memory: WebAssembly.Memory;
  readonly heap: Heap;
  readonly pool: TaskRunner;
  /** Whether the memory is shared with a worker pool (else every task runs on the calling thread). */
  readonly shared: boolean;
  readonly variant: WasmVariant;
  /** Byte offset of the descriptor area (DESC_SLOTS i32) and of the per-thread odometers. */
  readonly desc: number;
  readonly ctr: number;
  private wsPtr = 0;
  private wsCls = 0;
  private wsThreads = 0;
  private buffer: ArrayBufferLike;
  private seenGrows: number;
  private _u8: Uint8Array;
  private _i32: Int32Array;
  private _f32: Float32Array;
  private _f64: Float64Array;

  constructor(opts: RuntimeOptions = {}) {
    const f = wasmFeatures();
    if (!f.simd) throw new StrataError('wasm', 'this engine lacks WebAssembly SIMD; use the js backend');
    this.shared = opts.sharedMemory ?? f.sharedMemory;
    if (this.shared && !f.sharedMemory) throw new StrataError('wasm', 'sharedMemory: true requested but this engine lacks shared WebAssembly memory (browsers need cross-origin isolation)');
    const want = opts.variant ?? 'auto';
    if (want === 'relaxed-simd' && !f.relaxedSimd) {
      throw new StrataError('wasm', "variant 'relaxed-simd' requested but this engine does not enable relaxed SIMD (Node 20: run node with --experimental-wasm-relaxed-simd)");
    }
    this.variant = want === 'auto' ? (f.relaxedSimd ? 'relaxed-simd' : 'simd') : want;
    const bytes = decodeBase64(this.variant === 'relaxed-simd' ? WASM_RELAXED : WASM_SIMD);
    const module = new WebAssembly.Module(this.shared ? bytes : unshareMemoryImport(bytes));
    const initialPages = Math.max(1, Math.ceil(((opts.initialMiB ?? 16) * 2 ** 20) / 65536));
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: this.shared });
    const env: Record<string, WebAssembly.ImportValue> = { memory: this.memory };
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module === 'env' && imp.name !== 'memory') env[imp.name] = () => { throw new StrataError('wasm', `kernel called import ${imp.name}`); };
    }
    this.x = bindExports(new WebAssembly.Instance(module, { env }));
    this.heap = new Heap(this.memory, this.x.heapBase());
    const ctlPtr = this.heap.alloc(CTL.SIZE * 4, 'the thread pool')[0];
    this.desc = this.heap.alloc(DESC_SLOTS * 4, 'kernel descriptors')[0];
    this.ctr = this.heap.alloc(MAX_THREADS * 32, 'kernel odometers')[0];
    this.seenGrows = this.heap.grows;
    this.buffer = this.memory.buffer;
    this._u8 = new Uint8Array(this.buffer);
    this._i32 = new Int32Array(this.buffer);
    this._f32 = new Float32Array(this.buffer);
    this._f64 = new Float64Array(this.buffer);
    const runMain = (t: number, tid: number, nt: number, d: number): void => this.x.runTask(t, tid, nt, d);
    this.pool = this.shared ? new Pool(module, this.memory, ctlPtr, runMain) : new SerialPool(runMain);
  }

  private refresh(): void {
    // only the heap grows the memory: counting its grows spares reading `memory.buffer` per access
    if (this.heap.grows === this.seenGrows) return;
    this.seenGrows = this.heap.grows;
    if (this.memory.buffer.byteLength === this.buffer.byteLength) return;
    this.buffer = this.memory.buffer;
    this._u8 = new Uint8Array(this.buffer);
    this._i32 = new Int32Array(this.buffer);
    this._f32 = new Float32Array(this.buffer);
    this._f64 = new Float64Array(this.buffer);
  }
  /** Views of the whole memory; always current (re-made after `memory.grow`). */
  get u8(): Uint8Array { this.refresh(); return this._u8; }
  get i32(): Int32Array { this.refresh(); return this._i32; }
  get f32(): Float32Array { this.refresh(); return this._f32; }
  get f64(): Float64Array { this.refresh(); return this._f64; }

  /** Writes i32 values into the descriptor area at slot `at`. */
  setDesc(at: number, values: readonly number[]): void {
    if (at + values.length > DESC_SLOTS) throw new StrataError('wasm', 'kernel descriptor too large');
    this.i32.set(values, (this.desc >>> 2) + at);
  }

  /** Threads to use for `work` units (~flops or elements): 1 below `minPerThread` units per thread. */
  threadsFor(work: number, minPerThread: number): number {
    const t = this.shared ? getNumThreads() : 1;
    return Math.max(1, Math.min(t, Math.floor(work / minPerThread)));
  }

  /** GEMM workspaces for `threads` threads: [base, bytes per thread]. */
  gemmWorkspace(threads: number): [number, number] {
    const per = Math.ceil(this.x.gemmWorkspaceBytes() / 64) * 64;
    if (threads > this.wsThreads) {
      if (this.wsThreads > 0) this.heap.free(this.wsPtr, this.wsCls);
      const n = Math.max(threads, getNumThreads());
      [this.wsPtr, this.wsCls] = this.heap.alloc(per * n, 'GEMM workspaces');
      this.wsThreads = n;
    }
    return [this.wsPtr, per];
  }

  /** A temporary block for one kernel call; free it with `tempFree`. */
  temp(bytes: number): [number, number] {
    return this.heap.alloc(Math.max(bytes, 4), 'a kernel temporary');
  }
}
