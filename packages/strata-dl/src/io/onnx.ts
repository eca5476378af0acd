// SPDX-License-Identifier: MIT
/**
 * ONNX export (IR version 7, opset 13) of any `Module`; initializers are the model's float32
 * weights, named by their state-dict keys (`0.weight`, `lstm.weight_ih_l0`).
 *
 * Two paths. A `Sequential` of the layers listed in `SEQUENTIAL_LAYERS` (Conv2d, Linear, the
 * common activations, MaxPool2d, AvgPool2d, Flatten, Dropout, Identity) is written layer by layer as
 * one ONNX node each (Conv, Gemm, Relu, MaxPool...), as before. Anything else (custom modules with
 * skip connections, BatchNorm, ConvTranspose2d, Upsample, LSTM, GRU...) is exported by graph capture
 * (`onnx-export/`): the forward pass runs at two batch sizes while every primitive is recorded, and
 * each primitive becomes ONNX nodes; shapes that change with the batch become shapes computed from
 * the input's batch dimension `N`. Recurrent layers are unrolled over the traced sequence length.
 *
 * NOTE: `io` sits below `nn` (STYLE.md §4) and must not import it at run time, so layers are told
 * apart by class name. A bundler that renames classes (minifiers without `keepNames`) moves a
 * Sequential to the traced path, which exports the same function with more, smaller nodes.
 *
 * @example
 * const bytes = exportOnnx(models.cnn(), { inputShape: [1, 28, 28] });
 * // onnxruntime: await InferenceSession.create(bytes); session.run({ input: … }) → { output }
 */
import { StrataError, fmtShape } from '../core/errors.js';
import { zeros } from '../tensor/creation.js';
import { scoped } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Attr, FLOAT, INT64, IR_VERSION, OPSET, ProtoWriter, node, tensorProto, valueInfo } from './onnx-export/proto.js';
import type { Module } from '../nn/module.js';
import type { Sequential } from '../nn/container.js';
import type { Conv2d } from '../nn/conv.js';
import type { Linear } from '../nn/linear.js';
import type { MaxPool2d } from '../nn/pool.js';
import type { Flatten } from '../nn/reshape.js';
import type { ELU, LeakyReLU, LogSoftmax, Softmax } from '../nn/activation.js';
import { exportTraced } from './onnx-export/export.js';
import type { TraceResult } from './onnx-export/trace.js';

/** Options of the ONNX export. */
export interface OnnxExportOptions {
  /** One sample's shape, without the batch axis: `[C, H, W]` for images, `[features]` for vectors, `[T, features]` for sequences. */
  inputShape: readonly number[];
  /** A fixed batch size; by default the batch axis is the symbolic dimension `N`. */
  batch?: number;
  /** Where the batch axis goes in the input (default 0; 1 for a sequence layer without `batchFirst`: [T, N, features]). */
  batchAxis?: number;
  /** The input's dtype (default `'float32'`; `'int32'` for token ids). */
  inputDtype?: 'float32' | 'int32';
  /** Default `'input'`. */
  inputName?: string;
  /** Default `'output'`; further outputs are `output1`, `output2`, ... */
  outputName?: string;
  /** Names of all outputs, in the order `forward` returns them (flattened). */
  outputNames?: readonly string[];
  /** Default `'strata'`. */
  graphName?: string;
  /**
   * The computation to export (default `model.call(input)`); it may return several tensors,
   * nested in arrays, e.g. `(m, x) => lstm.forwardWithState(x)` for `[output, [h_n, c_n]]`.
   */
  forward?: (model: Module, input: Tensor) => TraceResult;
}

// ---- layers to nodes -------------------------------------------------------------------------

type Pair = number | readonly [number, number];
type Pads = number | readonly [number, number] | readonly [number, number, number, number] | 'valid' | 'same' | 'full';
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** ONNX `pads` ([top, left, bottom, right]) of a 2-D window op, resolved as Strata's own `padding` is. */
function pads2d(padding: Pads, [h, w]: readonly number[], k: [number, number], s: [number, number], d: [number, number]): number[] {
  let tb: [number, number];
  let lr: [number, number];
  if (typeof padding === 'string') {
    const mode = (n: number, kk: number, ss: number, dd: number): [number, number] => {
      const span = dd * (kk - 1) + 1;
      if (padding === 'valid') return [0, 0];
      if (padding === 'full') return [span - 1, span - 1];
      const total = Math.max((Math.ceil(n / ss) - 1) * ss + span - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)]; // the extra pixel at the end, as TF's 'SAME'
    };
    tb = mode(h, k[0], s[0], d[0]);
    lr = mode(w, k[1], s[1], d[1]);
  } else if (typeof padding === 'number') {
    tb = [padding, padding];
    lr = [padding, padding];
  } else if (padding.length === 2) {
    tb = [padding[0], padding[0]];
    lr = [padding[1], padding[1]];
  } else {
    tb = [padding[0], padding[1]];
    lr = [padding[2], padding[3]];
  }
  return [tb[0], lr[0], tb[1], lr[1]];
}

interface Emit {
  node(opType: string, inputs: readonly string[], attrs?: readonly Attr[]): string;
  initializer(suffix: string, dims: readonly number[], data: Float32Array | BigInt64Array): string;
}

function float32(op: string, t: Tensor): Float32Array {
  const d = t.dataSync();
  if (!(d instanceof Float32Array)) throw new StrataError('exportOnnx', `${op}: weights must be float32, got ${t.dtype}`);
  return d;
}

/** Emits the nodes of one layer that maps `x` (of traced shape `shape`) and returns its output name. */
function emitLayer(layer: Module, x: string, shape: readonly number[], e: Emit): string {
  const kind = layer.constructor.name;
  switch (kind) {
    case 'Conv2d': {
      const c = layer as Conv2d;
      if (shape.length !== 4) throw new StrataError('exportOnnx', `Conv2d needs a 4-D input, got ${fmtShape(shape)}`);
      const k = c.kernelSize, s = pair(c.stride), d = pair(c.dilation);
      const inputs = [x, e.initializer('weight', c.weight.shape, float32('Conv2d', c.weight))];
      if (c.bias) inputs.push(e.initializer('bias', c.bias.shape, float32('Conv2d', c.bias)));
      return e.node('Conv', inputs, [
        { name: 'kernel_shape', ints: k }, { name: 'strides', ints: s }, { name: 'dilations', ints: d },
        { name: 'pads', ints: pads2d(c.padding, shape.slice(2), k, s, d) }, { name: 'group', i: c.groups },
      ]);
    }
    case 'Linear': {
      const l = layer as Linear;
      const w = float32('Linear', l.weight);
      const b = l.bias ? e.initializer('bias', l.bias.shape, float32('Linear', l.bias)) : null;
      if (shape.length === 2) {
        return e.node('Gemm', [x, e.initializer('weight', l.weight.shape, w), ...(b ? [b] : [])], [{ name: 'transB', i: 1 }]);
      }
      // Gemm takes matrices only: other ranks get MatMul with the transposed weight, then Add.
      const [out, inp] = l.weight.shape;
      const wt = new Float32Array(w.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) wt[i * out + o] = w[o * inp + i];
      const y = e.node('MatMul', [x, e.initializer('weight_t', [inp, out], wt)]);
      return b ? e.node('Add', [y, b]) : y;
    }
    case 'ReLU': return e.node('Relu', [x]);
    case 'Sigmoid': return e.node('Sigmoid', [x]);
    case 'Tanh': return e.node('Tanh', [x]);
    case 'LeakyReLU': return e.node('LeakyRelu', [x], [{ name: 'alpha', f: (layer as LeakyReLU).negativeSlope }]);
    case 'ELU': return e.node('Elu', [x], [{ name: 'alpha', f: (layer as ELU).alpha }]);
    case 'Softmax': return e.node('Softmax', [x], [{ name: 'axis', i: (layer as Softmax).dim }]);
    case 'LogSoftmax': return e.node('LogSoftmax', [x], [{ name: 'axis', i: (layer as LogSoftmax).dim }]);
    case 'Dropout': case 'Identity': return x;
    case 'MaxPool2d': case 'AvgPool2d': {
      const p = layer as MaxPool2d; // AvgPool2d has the same fields
      if (shape.length !== 4) throw new StrataError('exportOnnx', `${kind} needs a 4-D input, got ${fmtShape(shape)}`);
      // Not mapped yet (ONNX's ceil_mode edge rule and divisor need checking against onnxruntime): refuse rather than export other windows.
      if (p.options.ceilMode || p.options.divisorOverride !== undefined) throw new StrataError('exportOnnx', `${kind} with ceilMode or divisorOverride is not supported by the ONNX exporter yet`);
      const k = pair(p.kernelSize), s = pair(p.options.stride ?? p.kernelSize), d = pair(p.options.dilation ?? 1);
      const attrs: Attr[] = [{ name: 'kernel_shape', ints: k }, { name: 'strides', ints: s }, { name: 'pads', ints: pads2d(p.options.padding ?? 0, shape.slice(2), k, s, d) }];
      if (kind === 'MaxPool2d') return e.node('MaxPool', [x], [...attrs, { name: 'dilations', ints: d }]);
      if (d[0] !== 1 || d[1] !== 1) throw new StrataError('exportOnnx', 'AvgPool2d with dilation has no opset-13 ONNX equivalent');
      return e.node('AveragePool', [x], [...attrs, { name: 'count_include_pad', i: (p.options.countIncludePad ?? true) ? 1 : 0 }]);
    }
    case 'Flatten': {
      const f = layer as Flatten;
      const start = f.startDim < 0 ? f.startDim + shape.length : f.startDim;
      const end = f.endDim < 0 ? f.endDim + shape.length : f.endDim;
      if (start === 0) throw new StrataError('exportOnnx', 'Flatten over the batch axis (startDim 0) is not supported');
      if (start === 1 && end === shape.length - 1) return e.node('Flatten', [x], [{ name: 'axis', i: 1 }]);
      // 0 in a Reshape target copies the input's dimension: the batch axis stays symbolic.
      const target = [0, ...shape.slice(1, start), shape.slice(start, end + 1).reduce((a, b) => a * b, 1), ...shape.slice(end + 1)];
      return e.node('Reshape', [x, e.initializer('shape', [target.length], BigInt64Array.from(target, BigInt))]);
    }
    default:
      throw new StrataError('exportOnnx', `unsupported layer ${kind}; supported: Conv2d, Linear, ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Softmax, LogSoftmax, MaxPool2d, AvgPool2d, Flatten, Dropout, Identity, Sequential`);
  }
}

/** The layers the per-layer `Sequential` path writes as one ONNX node each. */
const SEQUENTIAL_LAYERS: ReadonlySet<string> = new Set(['Conv2d', 'Linear', 'ReLU', 'Sigmoid', 'Tanh', 'LeakyReLU', 'ELU', 'Softmax', 'LogSoftmax', 'Dropout', 'Identity', 'MaxPool2d', 'AvgPool2d', 'Flatten']);

/** Leaf layers in order with their state-dict prefixes (`0.`, `3.1.`), nested Sequentials unrolled. */
function leaves(model: Sequential, prefix = ''): [string, Module][] {
  return [...model].flatMap((m, i): [string, Module][] =>
    m.constructor.name === 'Sequential' ? leaves(m as Sequential, `${prefix}${i}.`) : [[`${prefix}${i}`, m]]);
}

/** Whether the per-layer path writes `model`: a Sequential of `SEQUENTIAL_LAYERS`, default options. */
function perLayer(model: Module, opts: OnnxExportOptions): model is Sequential {
  if (model.constructor.name !== 'Sequential' || opts.forward || opts.outputNames || (opts.batchAxis ?? 0) !== 0 || (opts.inputDtype ?? 'float32') !== 'float32') return false;
  return leaves(model as Sequential).every(([, m]) => {
    if (!SEQUENTIAL_LAYERS.has(m.constructor.name)) return false;
    const p = m as MaxPool2d; // pooling with ceilMode or divisorOverride: the traced path
    return !(m.constructor.name.endsWith('Pool2d') && (p.options.ceilMode || p.options.divisorOverride !== undefined));
  });
}

/**
 * Serializes a model to ONNX bytes (opset 13): one input `[N, ...inputShape]` (the batch axis at
 * `batchAxis`), the outputs of `forward`, float32 weights as initializers named by their state-dict
 * keys. The batch axis is symbolic (`N`): the graph runs at any batch size. The model is run in eval
 * mode (dropout off, batch norm on running statistics) and its training flags are restored after.
 *
 * A `Sequential` of plain layers is written one ONNX node per layer; any other module is traced: its
 * forward pass runs at two batch sizes with every primitive recorded, so custom forward code (skip
 * connections, `cat`, reshapes) exports as written. Forward code must not branch on the batch size
 * or on tensor values; primitives with no ONNX form (sort, scatter) are refused with one error listing
 * them. Recurrent layers are unrolled over the sequence length of `inputShape`, so that length is fixed.
 *
 * @example
 * const bytes = exportOnnx(models.mlp(), { inputShape: [1, 28, 28] }); // a Uint8Array
 * class Residual extends nn.Module {
 *   conv = new nn.Conv2d(4, 4, 3, { padding: 1 });
 *   forward(x: Tensor): Tensor { return x.add(this.conv.forward(x.relu())); }
 * }
 * exportOnnx(new Residual(), { inputShape: [4, 8, 8] });
 * exportOnnx(new nn.LSTM(3, 5, { batchFirst: true }), { inputShape: [7, 3], forward: (m, x) => (m as nn.LSTM).forwardWithState(x) });
 */
export function exportOnnx(model: Module, opts: OnnxExportOptions): Uint8Array {
  if (!perLayer(model, opts)) return exportTraced(model, opts);
  const { inputShape, batch, inputName = 'input', outputName = 'output', graphName = 'strata' } = opts;
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0)) throw new StrataError('exportOnnx', `inputShape must be positive integers, got ${JSON.stringify(inputShape)}`);
  interface Node { opType: string; name: string; inputs: readonly string[]; outputs: string[]; attrs: readonly Attr[] }
  const nodes: Node[] = [];
  const initializers: ProtoWriter[] = [];
  let prefix = '';
  const emit: Emit = {
    node(opType, inputs, attrs = []) {
      const name = `${prefix}.${opType}${nodes.filter((n) => n.name.startsWith(`${prefix}.${opType}`)).length || ''}`;
      nodes.push({ opType, name, inputs, outputs: [`${name}.out`], attrs });
      return `${name}.out`;
    },
    initializer(suffix, dims, data) {
      const name = `${prefix}.${suffix}`;
      initializers.push(tensorProto(name, dims, data));
      return name;
    },
  };
  let current = inputName;
  let shape: number[] = [1, ...inputShape];
  scoped(() => {
    let x = zeros(shape);
    for (const [p, layer] of leaves(model)) {
      prefix = p;
      current = emitLayer(layer, current, shape, emit);
      if (layer.constructor.name === 'Dropout') continue; // shape-preserving; skipping keeps the global generator untouched
      x = layer.call(x);
      shape = [...x.shape];
    }
  });
  if (current === inputName) { prefix = 'output'; current = emit.node('Identity', [current]); }
  nodes[nodes.length - 1].outputs[0] = outputName; // the last node's output is the graph's
  const n = batch ?? 'N';
  const graph = new ProtoWriter();
  for (const nd of nodes) graph.message(1, node(nd.opType, nd.name, nd.inputs, nd.outputs, nd.attrs));
  graph.string(2, graphName);
  for (const init of initializers) graph.message(5, init);
  graph.message(11, valueInfo(inputName, [n, ...inputShape])).message(12, valueInfo(outputName, [n, ...shape.slice(1)]));
  return new ProtoWriter()
    .int(1, IR_VERSION[OPSET])
    .string(2, 'strata')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET))
    .finish();
}
