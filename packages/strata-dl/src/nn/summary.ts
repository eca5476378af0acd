// SPDX-License-Identifier: MIT
import type { DType } from '../core/dtype.js';
import { noGrad } from '../autograd/mode.js';
import { zeros } from '../tensor/creation.js';
import { scoped } from '../tensor/scope.js';
import type { HookHandle } from './hooks.js';
import type { Module } from './module.js';

/** Options of `Module.summary`. */
export interface SummaryOptions {
  /** dtype of the probe input (int32 for models that start with an embedding). Default float32. */
  dtype?: DType;
  /** Where the table goes; `null` prints nothing. Default `console.log`. */
  print?: ((line: string) => void) | null;
}

/** One layer of a `ModelSummary`. */
export interface SummaryRow {
  /** Key path of the layer, as in the state dict (`features.0`). */
  name: string;
  /** Class name of the layer. */
  type: string;
  /** Output shape with the batch dimension shown as -1. */
  outputShape: number[];
  /** Parameters of the layer itself (not of its children). */
  params: number;
}

/** What `Module.summary` returns: a Keras-style table of layers, output shapes and parameter counts. */
export interface ModelSummary {
  /** One row per layer. */
  rows: SummaryRow[];
  /** All parameter elements. */
  totalParams: number;
  /** Parameter elements that require gradients. */
  trainableParams: number;
  /** The printed table. */
  text: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Runs the model once on zeros of `[1, ...inputShape]` in evaluation mode and records the output of
 * every leaf layer (and of every inner module with parameters of its own) with a forward hook,
 * removed afterwards. Layers are seen when run through `Module.call`, as PyTorch's hooks see
 * `__call__`.
 */
export function summarize(model: Module, inputShape: readonly number[], opts: SummaryOptions = {}): ModelSummary {
  const { dtype = 'float32', print = console.log } = opts;
  const rows: SummaryRow[] = [];
  const wasTraining = model.training;
  const handles: HookHandle[] = [];
  for (const [name, m] of model.namedModules()) {
    const leaf = m.namedChildren().length === 0;
    const direct = m.numParameters() - m.children().reduce((n, c) => n + c.numParameters(), 0);
    if (name === '' && !leaf) continue;
    if (!leaf && direct === 0) continue;
    handles.push(m.registerForwardHook((_m, _inputs, y) => {
      rows.push({ name: name || m.typeName, type: m.typeName, outputShape: [-1, ...y.shape.slice(1)], params: leaf ? m.numParameters() : direct });
    }));
  }
  try {
    model.eval();
    noGrad(() => scoped(() => { model.call(zeros([1, ...inputShape], { dtype })); }));
  } finally {
    for (const h of handles) h.remove();
    model.train(wasTraining);
  }
  const totalParams = model.numParameters();
  const trainableParams = model.numParameters({ trainable: true });
  const table = [['Layer (type)', 'Output shape', 'Param #'], ...rows.map((r) => [`${r.name} (${r.type})`, `[${r.outputShape.join(', ')}]`, fmt(r.params)])];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c].length)) + 3);
  const line = (row: string[]): string => row.map((cell, c) => cell.padEnd(widths[c])).join('').trimEnd();
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0));
  const text = [
    line(table[0]), rule, ...table.slice(1).map(line), rule,
    `Total params: ${fmt(totalParams)}`, `Trainable params: ${fmt(trainableParams)}`, `Non-trainable params: ${fmt(totalParams - trainableParams)}`,
  ].join('\n');
  if (print) print(text);
  return { rows, totalParams, trainableParams, text };
}
