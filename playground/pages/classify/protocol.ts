// SPDX-License-Identifier: MIT
// The messages between the page and its training worker.
import type { Points } from './datasets.js';
import type { Metrics } from './net.js';
import type { ClassifyState } from './state.js';

export type ToWorker =
  /** a new network for this configuration and data (training stops) */
  | { type: 'reset'; gen: number; state: ClassifyState; train: Points; test: Points }
  | { type: 'train' }
  | { type: 'pause' }
  /** one optimizer step, then a progress report */
  | { type: 'step' };

export interface Progress extends Metrics {
  /** the reset this network came from (reports of an earlier one, still in flight, are dropped) */
  gen: number;
  /** P(class 1) on a res×res grid over [-1, 1]², row-major from the top-left */
  grid: Float32Array;
  res: number;
  /** each layer's weights [out][in] */
  weights: number[][][];
  running: boolean;
  /** ms spent in optimizer steps, and in computing reports, since the reset */
  trainMs: number;
  reportMs: number;
}

export type FromWorker =
  | { type: 'ready'; backend: string; threads: number; isolated: boolean }
  | ({ type: 'progress' } & Progress)
  | { type: 'error'; message: string };
