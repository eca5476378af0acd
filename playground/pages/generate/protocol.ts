// SPDX-License-Identifier: MIT
// The messages between the Generate page and its training workers (one worker per model).

/** Which model a worker trains. */
export type Task = 'vae' | 'gan' | 'names';

/** Page → worker. */
export type ToWorker =
  | { type: 'train'; task: Task; samples: number; epochs: number; batchSize: number; hidden: number; seed: number }
  | { type: 'stop' };

/** Worker → page. `weights` are safetensors bytes; `final` is false for the GAN's snapshots while it trains. */
export type FromWorker =
  | { type: 'progress'; fraction: number; text: string }
  | { type: 'weights'; weights: Uint8Array; final: boolean; text: string; names?: { config: Record<string, number>; vocab: { symbols: string } } }
  | { type: 'error'; message: string };
