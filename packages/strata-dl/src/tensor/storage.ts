// SPDX-License-Identifier: MIT
import { type DType, bytesPerElement } from '../core/dtype.js';
import type { Backend, Buf } from '../backend/backend.js';

let liveTensors = 0;
let liveBytes = 0;

/**
 * Backend memory shared by a tensor and its views (reshape shares storage). Reference-counted so the
 * buffer goes back to the backend exactly when the last tensor using it is disposed or collected.
 */
export class Storage {
  private refs = 1;
  constructor(readonly backend: Backend, readonly buf: Buf) {
    if (backend.needsFree) {
      liveTensors++;
      liveBytes += buf.size * bytesPerElement(buf.dtype);
    }
  }

  /**
   * Storage a kernel is about to write in full: the backend's uninitialised buffer where it has one
   * (nothing to clear), else a zeroed one.
   */
  static forOutput(backend: Backend, dtype: DType, size: number): Storage {
    return new Storage(backend, backend.allocUninit?.(dtype, size) ?? backend.alloc(dtype, size));
  }

  get freed(): boolean {
    return this.refs <= 0;
  }

  share(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs > 0) return;
    if (this.backend.needsFree) {
      liveTensors--;
      liveBytes -= this.buf.size * bytesPerElement(this.buf.dtype);
    }
    // also where the GC reclaims buffers (`js`), which may keep the buffer for reuse
    this.backend.free(this.buf);
  }
}

/** Live backend memory held by tensors on backends that manage their own memory (not the GC'd `js`). */
export function memory(): { tensors: number; bytes: number } {
  return { tensors: liveTensors, bytes: liveBytes };
}
