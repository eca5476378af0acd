// SPDX-License-Identifier: MIT
import { StrataError } from '../../core/errors.js';
import type { Pool, RunTask } from './pool.js';

/**
 * The kernels without shared memory: a browser page that is not cross-origin isolated has no
 * `SharedArrayBuffer`, so the wasm backend runs there on one thread over an ordinary
 * `WebAssembly.Memory`.
 *
 * The kernel modules are compiled for an imported *shared* memory (the worker pool needs it), and a
 * module that imports a shared memory cannot be instantiated with an unshared one. Rather than embed
 * a second build of every variant, the loader clears the "shared" bit of the memory import in the
 * module's bytes. That is all that differs: the WebAssembly threads proposal validates atomic
 * instructions on unshared memory too (they act as plain accesses; only `memory.atomic.wait` would
 * trap, and the kernels never wait, the pool does that in JavaScript). So the instructions that run
 * are exactly those of the shared build, and one thread gives the same bits as on shared memory.
 */

/** What the runtime needs of a pool: `Pool` (workers over shared memory) or `SerialPool`. */
export type TaskRunner = Pick<Pool, 'ensure' | 'ready' | 'available' | 'run' | 'close'>;

/** Runs every task on the calling thread (no workers: the memory cannot be shared with them). */
export class SerialPool implements TaskRunner {
  constructor(private readonly runMain: RunTask) {}
  ensure(): void {}
  async ready(): Promise<void> {}
  available(): number {
    return 1;
  }
  run(task: number, desc: number): void {
    this.runMain(task, 0, 1, desc);
  }
  async close(): Promise<void> {}
}

/** Limits flag bits of a memory type (binary format, "limits"): a maximum follows; shared. */
const HAS_MAX = 0x01;
const SHARED = 0x02;

/**
 * A copy of a module's bytes whose imported memory is unshared; throws if the module imports no
 * shared memory (then there is nothing to patch, and something else is wrong).
 */
export function unshareMemoryImport(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes);
  let p = 8; // magic and version
  const u32 = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = out[p++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
  };
  // (not `p += u32()`: that reads p before u32 advances it past the length)
  const skipName = (): void => {
    const len = u32();
    p += len;
  };
  const skipLimits = (): void => {
    const flags = out[p++];
    u32();
    if (flags & HAS_MAX) u32();
  };
  while (p < out.length) {
    const id = out[p++];
    const size = u32();
    const end = p + size;
    if (id === 2) {
      // import section: vector of (module name, field name, kind, description)
      for (let n = u32(); n > 0; n--) {
        skipName(); // module
        skipName(); // field
        const kind = out[p++];
        if (kind === 0) u32(); // function: type index
        else if (kind === 1) { p++; skipLimits(); } // table: element type, limits
        else if (kind === 3) p += 2; // global: value type, mutability
        else if (kind === 4) { p++; u32(); } // tag: attribute, type index
        else if (kind === 2 && out[p] & SHARED) {
          out[p] &= ~SHARED;
          return out;
        } else if (kind === 2) skipLimits();
        else break;
      }
    }
    p = end;
  }
  throw new StrataError('wasm', 'the kernel module imports no shared memory to unshare; rebuild with npm run build');
}
