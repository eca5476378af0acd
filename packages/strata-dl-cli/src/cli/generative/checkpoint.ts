// SPDX-License-Identifier: MIT
// The checkpoint of a generative run (runs/<name>/checkpoint.safetensors): the networks, optimizers
// and global generator (the library's trainingCheckpoint or ganCheckpoint), plus the loop's state
// and, for a GAN, the per-epoch grids drawn so far (tensors `grids.<epoch>`).
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';
import type { LoopState } from './loop.js';

export const CHECKPOINT = 'checkpoint.safetensors';

type Json = st.io.Json;

/** Either trainer's parts: one model and optimizer, or a GAN. */
export type Trainable = { model: st.nn.Module; optimizer: st.train.TrainOptimizer } | { gan: st.train.Gan };

export async function saveGenerativeCheckpoint(dir: string, t: Trainable, state: LoopState, config: Json, grids: { epoch: number; images: st.Tensor }[]): Promise<void> {
  const loop = JSON.parse(JSON.stringify(state)) as Json;
  const extra = { loop, config };
  const ckpt = 'gan' in t ? st.train.ganCheckpoint(t.gan, state.epoch, extra) : st.train.trainingCheckpoint(t, state.epoch, extra);
  for (const g of grids) ckpt.tensors[`grids.${g.epoch}`] = g.images;
  await st.io.saveCheckpoint(join(dir, CHECKPOINT), ckpt, nodeFileSystem);
}

/** Restores a checkpoint into `t`; returns the loop state, the saved config and the grids. */
export async function restoreGenerativeCheckpoint(dir: string, t: Trainable): Promise<{ state: LoopState; config: Json; grids: { epoch: number; images: st.Tensor }[] }> {
  const path = join(dir, CHECKPOINT);
  if (!existsSync(path)) throw new st.StrataError('train', `--resume: no checkpoint at ${path}`);
  const ckpt = await st.io.loadCheckpoint(path, nodeFileSystem);
  if ('gan' in t) st.train.restoreGan(ckpt, t.gan);
  else st.train.restoreTraining(ckpt, t);
  const grids = Object.entries(ckpt.tensors).filter(([k]) => k.startsWith('grids.'))
    .map(([k, images]) => ({ epoch: Number(k.slice(6)), images })).sort((a, b) => a.epoch - b.epoch);
  return { state: ckpt.metadata.loop as unknown as LoopState, config: ckpt.metadata.config ?? null, grids };
}
