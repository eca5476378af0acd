// SPDX-License-Identifier: MIT
// The bridge between training state (module, optimizer, generators, schedulers) and io's
// checkpoint format: tensors under `model.` and `optimizer.` keys, the rest as JSON metadata.
import { StrataError } from '../core/errors.js';
import { type Generator, defaultGenerator } from '../core/rng.js';
import type { Checkpoint, Json } from '../io/checkpoint.js';
import type { Module } from '../nn/module.js';
import type { OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TrainOptimizer } from './types.js';

/** Anything with JSON-able state to carry along (lr schedulers). */
export interface Stateful<S> {
  /** The state to save. */
  stateDict(): S;
  /** Restores a saved state. */
  loadStateDict(state: S): void;
}

/** What a training checkpoint holds: the model and, optionally, the optimizer, generator and schedulers. */
export interface TrainingState {
  /** Its weights and buffers are saved. */
  model: Module;
  /** Its state (moments, step counts, lrs) is saved. */
  optimizer?: TrainOptimizer;
  /** The generator `fit` shuffles with, if not the global one. The global one is always saved. */
  generator?: Generator;
  /** Their state is saved as JSON. */
  schedulers?: Stateful<Json>[];
}

const toJson = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

/**
 * Everything needed to continue training exactly: weights and buffers, optimizer moments and step
 * counts, hyperparameters (the lr a schedule reached), generator states, scheduler states and
 * the number of epochs done.
 */
export function trainingCheckpoint(s: TrainingState, epochsDone: number, extra: { [key: string]: Json } = {}): Checkpoint {
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(s.model.stateDict())) tensors[`model.${k}`] = t;
  let optimizer: Json = null;
  if (s.optimizer) {
    const sd = s.optimizer.stateDict();
    const numbers: { [key: string]: Json } = {};
    for (const [i, st] of Object.entries(sd.state)) {
      const nums: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(st)) {
        if (typeof v === 'number') nums[k] = v;
        else tensors[`optimizer.${i}.${k}`] = v;
      }
      numbers[i] = nums;
    }
    optimizer = { paramGroups: toJson(sd.paramGroups), numbers };
  }
  const metadata: { [key: string]: Json } = {
    ...extra,
    epochsDone,
    optimizer,
    rng: defaultGenerator().getState(),
    fitRng: s.generator && s.generator !== defaultGenerator() ? s.generator.getState() : null,
    schedulers: (s.schedulers ?? []).map((x) => x.stateDict()),
  };
  return { tensors, metadata };
}

/**
 * Loads a `trainingCheckpoint` into live objects (in place) and returns the number of epochs done:
 * pass it to `fit` as `initialEpoch` to continue.
 */
export function restoreTraining(ckpt: Checkpoint, s: TrainingState): number {
  const m = ckpt.metadata;
  const model: Record<string, Tensor> = {};
  const optTensors: Record<string, ParamState> = {};
  for (const [k, t] of Object.entries(ckpt.tensors)) {
    if (k.startsWith('model.')) model[k.slice(6)] = t;
    else if (k.startsWith('optimizer.')) {
      const [, i, name] = k.split('.');
      (optTensors[i] ??= {})[name] = t;
    }
  }
  s.model.loadStateDict(model);
  if (s.optimizer) {
    const o = m.optimizer;
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new StrataError('restoreTraining', 'the checkpoint has no optimizer state');
    const numbers = (o.numbers ?? {}) as Record<string, Record<string, number>>;
    const state: Record<string, ParamState> = {};
    for (const i of new Set([...Object.keys(numbers), ...Object.keys(optTensors)])) state[i] = { ...numbers[i], ...optTensors[i] };
    s.optimizer.loadStateDict({ state, paramGroups: o.paramGroups as OptimizerStateDict['paramGroups'] });
  }
  if (Array.isArray(m.rng)) defaultGenerator().setState(m.rng as number[]);
  if (s.generator && Array.isArray(m.fitRng)) s.generator.setState(m.fitRng as number[]);
  const scheds = Array.isArray(m.schedulers) ? m.schedulers : [];
  (s.schedulers ?? []).forEach((x, i) => {
    if (scheds[i] !== undefined) x.loadStateDict(scheds[i]);
  });
  if (typeof m.epochsDone !== 'number') throw new StrataError('restoreTraining', 'the checkpoint does not say how many epochs were done');
  return m.epochsDone;
}
