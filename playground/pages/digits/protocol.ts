// SPDX-License-Identifier: MIT
// The messages between the Digits page and its training worker.

/** Page → worker. */
export type ToWorker =
  | { type: 'train'; samples: number; epochs: number; batchSize: number; lr: number; seed: number }
  | { type: 'stop' };

/** Worker → page. */
export type FromWorker =
  | { type: 'loaded'; trainCount: number; testCount: number; backend: string; threads: number }
  | { type: 'progress'; epoch: number; epochs: number; seen: number; total: number; samplesPerSecond: number; loss: number; accuracy: number }
  | { type: 'done'; weights: Uint8Array; testAccuracy: number; seconds: number; samplesPerSecond: number; stopped: boolean }
  | { type: 'error'; message: string };

/** The worker's global scope, as far as these pages use it (the DOM typings describe a window). */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}
