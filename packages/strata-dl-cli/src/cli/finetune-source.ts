// SPDX-License-Identifier: MIT
// What `strata finetune` starts from: a run folder (its config rebuilds the zoo model), a PyTorch
// .pt state dict or an ONNX file (both need --model: a state dict alone does not say which
// architecture it belongs to), and the new head that replaces the model's last Linear.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as st from 'strata-dl';
import { loadPyTorchFile } from 'strata-dl/node';
import { loadRun } from './run-folder.js';

export interface Source {
  /** The zoo architecture (as `strata summary` lists its layers). */
  modelName: string;
  model: st.nn.Sequential;
  /** Whether the zoo model was built with its dropout layers (they shift the layer indices). */
  dropout: boolean;
  /** One line for the report: where the weights came from. */
  describe: string;
}

const fail = (msg: string): never => { throw new st.StrataError('finetune', msg); };

/** Index of the last Linear of a Sequential: the head that fine-tuning replaces. */
export function headIndex(model: st.nn.Sequential): number {
  const layers = model.namedChildren();
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i][1] instanceof st.nn.Linear) return Number(layers[i][0]);
  return fail('the model has no Linear layer to replace as its head');
}

/** Loads a state dict into a zoo model sized by the dict's own head, with errors that name the file. */
function zooFromStateDict(path: string, modelName: string | undefined, kind: string, inputShape: [number, number, number], dict: Record<string, st.Tensor>): Source {
  if (!modelName) fail(`${path}: a ${kind} file holds weights but not the architecture; pass --model (mlp, lenet5, cnn or alexnet)`);
  const name = modelName as string;
  const probe = st.models.createModel(name, { inputShape });
  const h = headIndex(probe);
  const headWeight = dict[`${h}.weight`];
  if (!headWeight || headWeight.ndim !== 2) fail(`${path} has no '${h}.weight' matrix, so it is not a ${name} state dict (keys: ${Object.keys(dict).slice(0, 8).join(', ')}…)`);
  const model = st.models.createModel(name, { inputShape, classes: headWeight.shape[0] });
  try {
    model.loadStateDict(dict);
  } catch (e) {
    fail(`${path} does not fit the ${name} model for inputs ${inputShape.join('×')}: ${(e as Error).message}`);
  }
  return { modelName: name, model, dropout: false, describe: `${path} (${kind}, as ${name})` };
}

/** Reads the pretrained model from a run folder, a .pt or an .onnx file. */
export async function loadSource(path: string, opts: { model?: string; inputShape: [number, number, number] }): Promise<Source> {
  if (!existsSync(path)) fail(`no run folder or model file at ${path}`);
  if (statSync(path).isDirectory()) {
    const { config, model } = await loadRun(path);
    if (opts.model && opts.model !== config.model) fail(`${path} holds a ${config.model} model, but --model says ${opts.model}`);
    if (config.inputShape.join() !== opts.inputShape.join()) {
      fail(`${path} was trained on ${config.inputShape.join('×')} inputs (${config.dataset}); the dataset has ${opts.inputShape.join('×')}`);
    }
    return { modelName: config.model, model, dropout: config.dropout, describe: `${path} (${config.model} trained on ${config.dataset})` };
  }
  if (path.endsWith('.pt') || path.endsWith('.pth')) {
    if (!opts.model) fail(`${path}: a PyTorch .pt file holds weights but not the architecture; pass --model (mlp, lenet5, cnn or alexnet)`);
    let dict: Record<string, st.Tensor>;
    try {
      dict = await loadPyTorchFile(path);
    } catch (e) {
      return fail(`${path} could not be read as a PyTorch state dict: ${(e as Error).message}`);
    }
    return zooFromStateDict(path, opts.model, 'PyTorch .pt', opts.inputShape, dict);
  }
  if (path.endsWith('.onnx')) {
    if (!opts.model) fail(`${path}: pass --model (mlp, lenet5, cnn or alexnet) to say which architecture the ONNX graph's weights belong to`);
    let onnx: st.nn.Module;
    try {
      onnx = st.importOnnx(new Uint8Array(readFileSync(path)));
    } catch (e) {
      return fail(`${path} could not be imported: ${(e as Error).message}`);
    }
    // torch.onnx.export keeps a Sequential's parameter names ('0.weight'…) as initializer names.
    return zooFromStateDict(path, opts.model, 'ONNX', opts.inputShape, onnx.stateDict());
  }
  return fail(`${path} is neither a run folder nor a .pt/.pth or .onnx file`);
}

/**
 * The new head: a Linear that applies dropout to its input while training. One module rather than
 * Dropout + Linear keeps the zoo's parameter names, so the fine-tuned run loads with
 * `strata evaluate`/`predict` like any run (dropout is the identity at inference).
 */
export class DropoutLinear extends st.nn.Linear {
  constructor(inFeatures: number, outFeatures: number, readonly p: number) {
    super(inFeatures, outFeatures);
  }
  override forward(x: st.Tensor): st.Tensor {
    return super.forward(this.p > 0 ? st.nn.functional.dropout(x, this.p, this.training) : x);
  }
}

/** The model with its last Linear replaced by a fresh `DropoutLinear(in, classes, p)` (the other layers shared). */
export function replaceHead(model: st.nn.Sequential, classes: number, p: number): st.nn.Sequential {
  const h = headIndex(model);
  const layers = model.children();
  const old = layers[h] as st.nn.Linear;
  layers[h] = new DropoutLinear(old.inFeatures, classes, p);
  return new st.nn.Sequential(...layers);
}

/**
 * The model with dropout `p` on the input of each dense layer after the first parameterized one
 * (the classifier's hidden layers; never on raw pixels), as Keras's MNIST CNN puts it after the
 * convolutions and before the head. The layers keep their values and names.
 */
export function addDenseDropout(model: st.nn.Sequential, p: number): st.nn.Sequential {
  if (p === 0) return model;
  const layers = model.children();
  const first = layers.findIndex((m) => m.parameters().length > 0);
  return new st.nn.Sequential(...layers.map((m, i) => {
    if (i <= first || !(m instanceof st.nn.Linear) || m instanceof DropoutLinear) return m;
    const d = new DropoutLinear(m.inFeatures, m.outFeatures, p);
    d.loadStateDict(m.stateDict());
    return d;
  }));
}
