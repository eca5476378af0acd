// SPDX-License-Identifier: MIT
// A run folder: runs/<name>/{model.safetensors, config.json, metrics.json, report.html}.
// Every file is written atomically (temporary file, then rename), so an interrupted run never
// leaves a truncated file, and a failed command overwrites nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError, type Tensor, io, models, nn } from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';

export interface RunConfig {
  format: 'strata-run/1';
  model: string;
  dataset: string;
  inputShape: [number, number, number];
  classNames: string[];
  mean: number[];
  std: number[];
  dropout: boolean;
  options: Record<string, string | number | boolean>;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface RunMetrics {
  epochs: EpochMetrics[];
  testAccuracy: number;
  testLoss: number;
  trainSeconds: number;
  samplesPerSecond: number;
  backend: string;
  interrupted: boolean;
}

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

export async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  await io.writeAtomic(nodeFileSystem, join(dir, file), enc(value));
}

export async function writeText(dir: string, file: string, text: string): Promise<void> {
  await io.writeAtomic(nodeFileSystem, join(dir, file), new TextEncoder().encode(text));
}

export async function saveModel(dir: string, config: RunConfig, model: nn.Module): Promise<void> {
  await io.saveSafetensors(join(dir, 'model.safetensors'), model.stateDict(), nodeFileSystem, { format: 'strata', model: config.model });
  await writeJson(dir, 'config.json', config);
}

function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new StrataError('run', `expected ${what} at ${path}, which does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new StrataError('run', `${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** Loads a run's config and model (and metrics when present), with errors that name the file. */
export async function loadRun(dir: string): Promise<{ config: RunConfig; model: nn.Sequential; metrics: RunMetrics | null }> {
  if (!existsSync(dir)) throw new StrataError('run', `no run folder at ${dir}`);
  const config = readJson<RunConfig>(join(dir, 'config.json'), 'the run configuration');
  if (config.format !== 'strata-run/1') throw new StrataError('run', `${join(dir, 'config.json')} is not a Strata run configuration`);
  const weights = join(dir, 'model.safetensors');
  if (!existsSync(weights)) throw new StrataError('run', `expected the weights at ${weights}, which does not exist`);
  const model = models.createModel(config.model, { inputShape: config.inputShape, classes: config.classNames.length, dropout: config.dropout });
  let tensors: Record<string, Tensor>;
  try {
    tensors = await io.loadSafetensors(weights, nodeFileSystem);
  } catch (e) {
    throw new StrataError('run', `${weights} could not be read: ${(e as Error).message}`);
  }
  model.loadStateDict(tensors);
  model.eval();
  const metricsPath = join(dir, 'metrics.json');
  const metrics = existsSync(metricsPath) ? readJson<RunMetrics>(metricsPath, 'metrics') : null;
  return { config, model, metrics };
}
