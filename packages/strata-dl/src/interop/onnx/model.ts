// SPDX-License-Identifier: MIT
// A Module that runs an imported ONNX graph node by node on Strata's ops, so it trains like any
// other: its float initializers are Parameters (batch norm's running statistics are buffers), under
// the names the file gives them, and autograd differentiates through every op.
import { StrataError, fmtShape } from '../../core/errors.js';
import { getBackend } from '../../backend/registry.js';
import type { OnnxGraph } from '../../io/onnx-decode.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { BASIC_OPS } from './ops-basic.js';
import { NN_OPS } from './ops-nn.js';
import { RECURRENT_OPS } from './ops-recurrent.js';
import { REDUCE_OPS } from './ops-reduce.js';
import { LOGIC_OPS } from './ops-logic.js';
import { ACTIVATION_OPS } from './ops-activation.js';
import { LAYOUT_OPS } from './ops-layout.js';
import { RANDOM_OPS } from './ops-random.js';
import { INDEX_OPS } from './ops-index.js';
import { MISC_OPS } from './ops-misc.js';
import { HostInts, OpContext, type OpImpl, type Value, constantValue } from './values.js';

const OPS: Record<string, OpImpl> = { ...BASIC_OPS, ...NN_OPS, ...RECURRENT_OPS, ...REDUCE_OPS, ...LOGIC_OPS, ...ACTIVATION_OPS, ...LAYOUT_OPS, ...RANDOM_OPS, ...INDEX_OPS, ...MISC_OPS };

/** The ONNX ops `importOnnx` runs (default domain). */
export const SUPPORTED_ONNX_OPS: readonly string[] = Object.keys(OPS).sort();

export const MIN_OPSET = 9;
export const MAX_OPSET = 18;

/** Options of `importOnnx`. */
export interface ImportOnnxOptions {
  /** Backend of the parameters (default: the current one). */
  backend?: string;
}

/**
 * An ONNX graph as a trainable Module. `forward(...inputs)` takes the graph's inputs in order and
 * returns its first output; `run` returns every output by name. Created in evaluation mode (as the
 * model was exported); call `train()` before fine-tuning.
 *
 * @example
 * const model = importOnnx(bytes);            // e.g. from torch.onnx.export
 * model.forward(x);                           // inference
 * model.train();                              // fine-tune: loss.backward(), optimizer.step()
 */
export class OnnxModel extends Module {
  /** The graph's input and output names. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly _graph: OnnxGraph;
  readonly _state: [string, Tensor][];
  /** @internal shape values computed while loading (Shape/Constant outputs that reshapes read) */
  readonly _constants = new Map<string, Value>();
  readonly _backend: string;

  constructor(graph: OnnxGraph, opts: ImportOnnxOptions = {}) {
    super();
    this._graph = graph;
    this._backend = opts.backend ?? getBackend().name;
    if (graph.opset < MIN_OPSET || graph.opset > MAX_OPSET) {
      throw new StrataError('importOnnx', `the model uses opset ${graph.opset}; supported: ${MIN_OPSET} to ${MAX_OPSET} (export again with torch.onnx.export(..., opset_version=17))`);
    }
    const unsupported = new Map<string, number>();
    for (const n of graph.nodes) {
      const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
      if (!(key in OPS)) unsupported.set(key, (unsupported.get(key) ?? 0) + 1);
    }
    if (unsupported.size) {
      const list = [...unsupported].map(([k, c]) => `${k} (${c} node${c > 1 ? 's' : ''})`).join(', ');
      throw new StrataError('importOnnx', `the model uses ops that Strata cannot import: ${list}; supported: ${SUPPORTED_ONNX_OPS.join(', ')}`);
    }
    // Batch norm's statistics (inputs 3 and 4) are state, not learned.
    const statistics = new Set(graph.nodes.filter((n) => n.opType === 'BatchNormalization').flatMap((n) => n.inputs.slice(3, 5)));
    this._state = [];
    for (const t of graph.initializers) {
      const v = constantValue(t, this._backend);
      if (v instanceof HostInts) this._constants.set(t.name, v);
      else this._state.push([t.name, statistics.has(t.name) ? v : new Parameter(v)]);
    }
    for (const n of graph.nodes) {
      if (n.opType !== 'Constant') continue;
      const [v] = OPS.Constant(new OpContext(n, [], graph.opset, false, this._backend));
      this._constants.set(n.outputs[0], v);
    }
    this.inputNames = graph.inputs.map((i) => i.name);
    this.outputNames = graph.outputs.map((o) => o.name);
    this.eval();
  }

  protected override entries(): [string, Tensor][] {
    return this._state;
  }

  /** Runs the graph on its inputs (in order) and returns the first output. */
  forward(...inputs: Tensor[]): Tensor {
    return this.run(inputs)[this.outputNames[0]];
  }

  /** Runs the graph; inputs in order or by name; every graph output by name. */
  run(inputs: readonly Tensor[] | Record<string, Tensor>): Record<string, Tensor> {
    const given = Array.isArray(inputs) ? inputs : this.inputNames.map((n) => (inputs as Record<string, Tensor>)[n]);
    if (given.length !== this.inputNames.length || given.some((t) => !(t instanceof Tensor))) {
      throw new StrataError('OnnxModel', `expects ${this.inputNames.length} input tensor(s) (${this.inputNames.join(', ')}), got ${Array.isArray(inputs) ? inputs.length : Object.keys(inputs).join(', ')}`);
    }
    const env = new Map<string, Value>(this._constants);
    for (const [k, t] of this._state) env.set(k, t);
    this.inputNames.forEach((n, i) => {
      const spec = this._graph.inputs[i].shape;
      const t = given[i];
      if (spec && (spec.length !== t.ndim || spec.some((d, j) => typeof d === 'number' && d !== t.shape[j]))) {
        throw new StrataError('OnnxModel', `input '${n}' must have shape [${spec.map((d) => d ?? '?').join(',')}], got ${fmtShape(t.shape)}`);
      }
      env.set(n, t);
    });
    for (const node of this._graph.nodes) {
      if (node.opType === 'Constant') continue;
      const values = node.inputs.map((name) => {
        if (name === '') return undefined;
        const v = env.get(name);
        if (v === undefined) throw new StrataError('importOnnx', `${node.opType} node '${node.name}' reads '${name}', which no earlier node computes`);
        return v;
      });
      const outs = OPS[node.opType](new OpContext(node, values, this._graph.opset, this.training, this._backend));
      node.outputs.forEach((name, i) => { if (name && outs[i] !== undefined) env.set(name, outs[i]); });
    }
    const result: Record<string, Tensor> = {};
    for (const name of this.outputNames) {
      const v = env.get(name);
      if (v === undefined) throw new StrataError('OnnxModel', `graph output '${name}' is never computed`);
      result[name] = v instanceof Tensor ? v : tensor(Int32Array.from(v.values), { shape: v.dims, dtype: 'int32', backend: this._backend });
    }
    return result;
  }
}
