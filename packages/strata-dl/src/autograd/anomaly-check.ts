// SPDX-License-Identifier: MIT
/**
 * The rules of anomaly detection (see `detectAnomaly` in anomaly.ts for what they flag and why).
 * Called only while detection is on. Each checked output's finiteness is remembered by its storage,
 * which no kernel writes again once made, so a tensor is read once, when it is made; a tensor from
 * outside the checked ops (data, a parameter) is read only when an op's output is non-finite.
 */
import { isFloat } from '../core/dtype.js';
import { fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { AnomalyError, type ModulePlace, type TrainPosition, captureModule, formatPosition, trainPosition } from './anomaly.js';
import type { GradNode } from './engine.js';
import { captureStack, opChain } from './anomaly-trace.js';

const enum Status { Finite, Inf, Nan, OutsideNan }

/** Finiteness of checked outputs, by storage (views such as reshape share it). */
const known = new WeakMap<object, Status>();

/** Where each recorded node's forward ran, for the message if its backward goes wrong. */
const origins = new WeakMap<GradNode, { module: () => ModulePlace | null; position: TrainPosition | null; stack: Error }>();

/** Ops that only move or select values: a NaN from outside passes through them unflagged. */
const MOVES: ReadonlySet<string> = new Set(['reshape', 'permute', 'expand', 'slice', 'pad', 'flip', 'concat', 'gather', 'unfold', 'cast', 'where', 'pool']);

let paused = 0;

/** @internal Runs `fn` with the forward rules off: the backward sweep's ops are checked as gradients. */
export function withoutForwardChecks<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

interface Scan {
  status: Status.Finite | Status.Inf | Status.Nan;
  /** The first non-finite value (a NaN if there is one) and its flat index. */
  value: number;
  index: number;
}

function scan(t: Tensor): Scan {
  const a = t.dataSync();
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v === 0) continue; // finite: Inf − Inf and NaN − NaN are NaN
    if (v !== v) return { status: Status.Nan, value: NaN, index: i };
    if (first < 0) first = i;
  }
  return first < 0 ? { status: Status.Finite, value: 0, index: -1 } : { status: Status.Inf, value: a[first], index: first };
}

function statusOf(t: Tensor): Status {
  if (!isFloat(t.dtype)) return Status.Finite;
  const s = known.get(t._storage);
  if (s !== undefined) return s;
  const fresh = scan(t).status;
  return fresh === Status.Nan ? Status.OutsideNan : fresh;
}

const shapes = (ts: readonly Tensor[]): string => ts.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ');
const at = (index: number, shape: readonly number[]): string => (shape.length ? ` at flat index ${index}` : '');

/**
 * @internal After `op` made `out` from `ins` (and recorded `node`, when the tape is on): remembers
 * whether `out` is finite, or throws if `out` holds a non-finite value the inputs do not explain.
 */
export function checkForward(op: string, ins: readonly Tensor[], out: Tensor, node: GradNode | null): void {
  if (paused) return;
  if (node) origins.set(node, { module: captureModule(ins), position: trainPosition(), stack: captureStack() });
  // a view of checked data (reshape shares storage), or an output attached twice (split's pieces)
  if (!isFloat(out.dtype) || known.has(out._storage)) return;
  const o = scan(out);
  if (o.status === Status.Finite) {
    known.set(out._storage, Status.Finite);
    return;
  }
  const st = ins.map(statusOf);
  const value = String(o.value);
  let reason: string | null = null;
  if (st.every((s) => s === Status.Finite)) {
    reason = `made ${value}${at(o.index, out.shape)} from finite inputs`;
  } else if (o.status === Status.Nan && !st.some((s) => s >= Status.Nan)) {
    reason = `made NaN${at(o.index, out.shape)} from infinite inputs (such as ∞ − ∞, 0·∞ or ∞/∞)`;
  } else if (o.status === Status.Nan && st.includes(Status.OutsideNan)) {
    if (MOVES.has(op)) {
      known.set(out._storage, Status.OutsideNan);
      return;
    }
    const i = st.indexOf(Status.OutsideNan);
    reason = `computed with a NaN that input ${i} ${fmtShape(ins[i].shape)} brought from outside the checked ops (the data, a parameter, or a tensor made while detection was off)`;
  }
  if (reason === null) {
    known.set(out._storage, o.status);
    return;
  }
  const module = captureModule(ins)();
  const position = trainPosition();
  const calls = chain(op, captureStack());
  throw new AnomalyError(op, `forward${via(calls)}${where(module, position)} ${reason}; inputs ${shapes(ins)}, output ${fmtShape(out.shape)} (anomaly detection)`, {
    phase: 'forward', value, calls, module: module?.path ?? null, moduleType: module?.type ?? null, inputShapes: ins.map((t) => [...t.shape]), outputShape: [...out.shape],
    epoch: position?.epoch ?? null, batch: position?.batch ?? null, step: position?.step ?? null,
  });
}

/**
 * @internal After the backward of `op` (recorded as `node`; null for a gradient group) turned the
 * incoming gradient `g` into `grads` (one per input, null where not needed): throws at the first
 * gradient holding a NaN or an infinity.
 */
export function checkBackward(op: string, g: Tensor | null, inputs: readonly Tensor[], grads: readonly (Tensor | null)[], out: Tensor | null, node: GradNode | null): void {
  for (let i = 0; i < grads.length; i++) {
    const gi = grads[i];
    if (!gi || !isFloat(gi.dtype)) continue;
    const s = scan(gi);
    if (s.status === Status.Finite) continue;
    const origin = node ? origins.get(node) : undefined;
    const module = origin?.module() ?? null;
    const position = origin?.position ?? trainPosition();
    const calls = origin ? chain(op, origin.stack) : [];
    const incoming = g ? ` (the incoming gradient ${fmtShape(g.shape)} ${scan(g).status === Status.Finite ? 'was finite' : 'already held a non-finite value'})` : '';
    const value = String(s.value);
    const forward = `forward inputs ${shapes(inputs)}${out ? `, output ${fmtShape(out.shape)}` : ''}`;
    throw new AnomalyError(op, `backward${via(calls)}${where(module, position)} made ${value}${at(s.index, gi.shape)} in the gradient for input ${i} ${fmtShape(inputs[i].shape)}${incoming}; ${forward} (anomaly detection)`, {
      phase: 'backward', value, calls, module: module?.path ?? null, moduleType: module?.type ?? null, inputShapes: inputs.map((t) => [...t.shape]), outputShape: out ? [...out.shape] : null,
      epoch: position?.epoch ?? null, batch: position?.batch ?? null, step: position?.step ?? null,
    });
  }
}

/** The library calls that led to `op`, without the method that is `op` itself (`Tensor.log` for log). */
function chain(op: string, stack: Error): string[] {
  const calls = opChain(stack);
  if (calls[calls.length - 1] === `Tensor.${op}`) calls.pop();
  return calls;
}

const via = (calls: readonly string[]): string => (calls.length ? ` (in ${calls.join(' › ')})` : '');

function where(module: ModulePlace | null, position: TrainPosition | null): string {
  const m = module ? (module.path ? ` in module '${module.path}' (${module.type})` : ` in the model (${module.type})`) : '';
  return `${m}${position ? ` at ${formatPosition(position)}` : ''}`;
}
