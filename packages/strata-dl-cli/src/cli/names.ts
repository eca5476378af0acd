// SPDX-License-Identifier: MIT
// `strata train names` and `strata sample <run>`: the lecture's character-level name generator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';
import { loadFirstNames } from '../datasets/names.js';
import { selectBackend } from './backend.js';
import { writeJson } from './run-folder.js';

export interface NamesTrainOptions {
  epochs?: number;
  hidden?: number;
  lr?: number;
  dropout?: number;
  seed: number;
  out?: string;
  backend?: string;
  threads?: number;
  temperature?: number;
  quiet?: boolean;
}

interface NamesRunConfig {
  format: 'strata-charlm/1';
  config: st.text.CharLMConfig;
  vocab: { symbols: string };
}

/**
 * Defaults: hidden 128, 4 epochs, no dropout. Trained longer the model writes more real names
 * (lower bits per character, fewer new ones); these defaults keep it well below the bigram
 * baseline while most samples at temperature 0.8 are new names.
 */
export async function trainNamesCommand(o: NamesTrainOptions): Promise<Record<string, number>> {
  const log = o.quiet ? (): void => {} : (s: string): void => console.log(s);
  const backend = selectBackend(o.backend, o.threads);
  const out = o.out ?? join('runs', 'names');
  const { text } = st;
  const names = text.normalizeNames(loadFirstNames());
  const { train, validation } = text.splitNames(names, { validation: 0.1, seed: o.seed });
  const vocab = text.CharVocab.fromTexts(names);
  log(`${names.length} names: ${train.length} for training, ${validation.length} held out; backend ${backend}`);
  const bigram = text.BigramModel.fit(train, vocab, { k: 0.1 }).bitsPerChar(validation);
  const t0 = performance.now();
  const { model, history } = text.trainCharLM(train, {
    validation, vocab, seed: o.seed, epochs: o.epochs ?? 4, hiddenSize: o.hidden ?? 128, lr: o.lr ?? 0.005, dropout: o.dropout ?? 0,
    onEpoch: (e) => log(`epoch ${e.epoch}/${e.epochs}: train ${e.trainBitsPerChar.toFixed(3)}, held out ${e.validationBitsPerChar!.toFixed(3)} bits/char (${e.seconds.toFixed(1)} s)`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const lstm = history[history.length - 1].validationBitsPerChar!;
  const temperature = o.temperature ?? 0.8;
  const samples = text.sample(model, vocab, { count: 1000, temperature, generator: new st.Generator(o.seed + 1) });
  const novelty = text.novelty(samples, train);
  const metrics = { lstmBitsPerChar: lstm, bigramBitsPerChar: bigram, novelty, temperature, trainSeconds: seconds, parameters: model.numParameters() };
  await st.io.saveSafetensors(join(out, 'model.safetensors'), model.stateDict(), nodeFileSystem, { format: 'strata', model: 'charlm' });
  await writeJson(out, 'config.json', { format: 'strata-charlm/1', config: model.config, vocab: vocab.toJSON() } satisfies NamesRunConfig);
  await writeJson(out, 'metrics.json', { ...metrics, epochs: history });
  log(`held-out bits per character: LSTM ${lstm.toFixed(3)}, character bigram ${bigram.toFixed(3)}`);
  log(`${(100 * novelty).toFixed(1)}% of 1,000 samples at temperature ${temperature} are not training names`);
  log(`samples: ${samples.slice(0, 20).map(text.displayName).join(', ')}`);
  log(`run written to ${out}/`);
  return metrics;
}

/** `strata sample <run>`: names drawn from a trained name model. */
export async function sampleCommand(runDir: string, o: { count: number; temperature: number; topK?: number; seed?: number }): Promise<string[]> {
  const cfgPath = join(runDir, 'config.json');
  if (!existsSync(cfgPath)) throw new st.StrataError('sample', `expected a name-model run at ${runDir} (no config.json)`);
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8')) as NamesRunConfig;
  if (cfg.format !== 'strata-charlm/1') throw new st.StrataError('sample', `${cfgPath} is not a name-model run (train one with 'strata train names')`);
  const model = new st.text.CharLM(cfg.config);
  try {
    model.loadStateDict(await st.io.loadSafetensors(join(runDir, 'model.safetensors'), nodeFileSystem));
  } catch (e) {
    throw new st.StrataError('sample', `${join(runDir, 'model.safetensors')} could not be read: ${(e as Error).message}`);
  }
  model.eval();
  const vocab = st.text.CharVocab.fromJSON(cfg.vocab);
  const generator = new st.Generator(o.seed ?? Date.now() % 2 ** 31);
  const names = st.text.sample(model, vocab, { count: o.count, temperature: o.temperature, topK: o.topK, generator }).map(st.text.displayName);
  for (const n of names) console.log(n);
  return names;
}
