// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { enableGrad, noGrad } from './mode.js';
import { broadcastsTo, sumTo } from '../ir/sum-to.js';
import { anomalyOn } from './anomaly.js';
import { checkBackward, withoutForwardChecks } from './anomaly-check.js';

/**
 * One recorded operation on the tape. `inputs` and `out` are the saved tensors; they are dropped
 * after `backward()` unless the graph is retained, so the intermediate memory can be reclaimed.
 */
export interface GradNode {
  readonly name: string;
  inputs: Tensor[] | null;
  out: Tensor | null;
  readonly vjp: (g: Tensor, inputs: readonly Tensor[], out: Tensor, needs: readonly boolean[]) => (Tensor | null)[];
  /**
   * Marks a node whose gradients into some inputs (positions `inputs`, default [0]) are computed
   * together with other nodes': the outputs of a multi-output op (split, a fused cell's h and c), or
   * the per-step products of one weight (a recurrent layer). For those inputs the sweep does not call
   * `vjp`: it gathers the group's output gradients and hands them to the group's `combine` at once,
   * when it reaches the first of those inputs (all the group's outputs come before it). The node's
   * other inputs get their gradients from `vjp` as usual.
   */
  readonly group?: { readonly of: GradGroup; readonly index: number; readonly inputs?: readonly number[] };
  /** Its `vjp` runs the user's code (a `customOp`'s backward), which may keep the gradients it is given. */
  readonly opaque?: boolean;
}

/**
 * The shared backward of a group of nodes. `combine` turns the gradients of their outputs (null for
 * one that received none) into one gradient per deferred input, in the order of `group.inputs`.
 * For split, one concatenation, where a vjp per piece would pad each piece's gradient to the
 * input's full size and sum them (T pieces: O(T²) work instead of O(T)). For a weight used at each
 * of T steps, one matmul over the concatenated steps instead of T small ones and T − 1 additions.
 * For an op with several outputs, one backward instead of a copy per output.
 */
export interface GradGroup {
  readonly size: number;
  combine(grads: readonly (Tensor | null)[]): (Tensor | null)[];
}

/** A group's gradients gathered so far, and the inputs its `combine` gives gradients to. */
interface Gathered {
  /** The name of the first node gathered (for anomaly detection's message). */
  readonly name: string;
  readonly grads: (Tensor | null)[];
  readonly inputs: readonly Tensor[];
  readonly needs: readonly boolean[];
}

/** Options of `Tensor.backward` (PyTorch's `retain_graph`, `create_graph`...). */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order derivatives. */
  createGraph?: boolean;
}

/** Tensors reachable from `roots` through recorded nodes, each after all of its consumers (no recursion). */
function topoOrder(roots: readonly Tensor[], stopAt: ReadonlySet<Tensor> | null): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // a stack of (tensor, whether its inputs are done), as two parallel arrays (no pair per entry)
  const stack: Tensor[] = [];
  const done: boolean[] = [];
  for (const r of roots) {
    stack.push(r);
    done.push(false);
  }
  while (stack.length) {
    const t = stack.pop()!;
    if (done.pop()) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push(t);
    done.push(true);
    const node = t._node;
    if (!node || stopAt?.has(t)) continue;
    if (node.inputs === null) {
      throw new StrataError('backward', `the graph through '${node.name}' was already freed by an earlier backward(); pass { retainGraph: true } to the first call to go through it twice`);
    }
    for (const x of node.inputs) {
      if (x.requiresGrad && !visited.has(x)) {
        stack.push(x);
        done.push(false);
      }
    }
  }
  return order.reverse();
}

/**
 * The reverse sweep. With `targets`, returns their gradients and touches no `.grad`; otherwise
 * accumulates into the `.grad` of every leaf that requires it (PyTorch's `backward`).
 */
export function runBackward(roots: readonly Tensor[], seeds: readonly Tensor[], opts: BackwardOptions, targets?: readonly Tensor[], madeFrom?: number): Map<Tensor, Tensor> {
  const targetSet = targets ? new Set(targets) : null;
  const order = topoOrder(roots, targetSet);
  // The tensors this sweep makes (serial madeFrom on) are its own, so a .grad may own one
  // (Tensor._sweepGrad), unless the user's code sees them on the way: a hook, a customOp's backward,
  // or a recorded graph of the backward (createGraph).
  let ownFrom = madeFrom ?? Infinity;
  if (opts.createGraph) ownFrom = Infinity;
  for (let i = 0; i < order.length && ownFrom !== Infinity; i++) if (order[i]._hooks || order[i]._node?.opaque) ownFrom = Infinity;
  // With targets, only propagate into tensors that lead to one of them.
  let leads: Set<Tensor> | null = null;
  if (targetSet) {
    leads = new Set();
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      if (targetSet.has(t) || t._node?.inputs?.some((x) => leads!.has(x))) leads.add(t);
    }
  }
  const sweep = new Sweep(order, targetSet, leads, opts.retainGraph ?? false, ownFrom);
  for (let i = 0; i < roots.length; i++) accumulate(sweep.grads, roots[i], seeds[i]);
  // under anomaly detection the sweep's ops are judged as gradients (checkBackward), not as forwards
  if (anomalyOn) withoutForwardChecks(() => sweep.runRecording(opts.createGraph ?? false));
  else sweep.runRecording(opts.createGraph ?? false);
  return sweep.result;
}

/** The targets of the sweep running now (null: none, or a sweep into the leaves' `.grad`). */
let returning: ReadonlySet<Tensor> | null = null;

/**
 * Whether the backward sweep running now returns `t`'s gradient to its caller (`grad`'s inputs)
 * rather than sending it on through t's node: a kernel that would fold the next node's backward
 * into the gradient it makes for t must not then.
 */
export function sweepReturns(t: Tensor): boolean {
  return returning !== null && returning.has(t);
}

/** One backward sweep's state: the gradients so far, and the groups' gradients being gathered. */
class Sweep {
  readonly grads = new Map<Tensor, Tensor>();
  readonly result = new Map<Tensor, Tensor>();
  // gradients of grouped nodes, gathered until the sweep reaches the first of the group's inputs
  private readonly gathered = new Map<GradGroup, Gathered>();
  private readonly waitingAt = new Map<Tensor, GradGroup[]>();

  constructor(private readonly order: readonly Tensor[], private readonly targetSet: ReadonlySet<Tensor> | null,
    private readonly leads: ReadonlySet<Tensor> | null, private readonly retainGraph: boolean,
    /** A .grad may own a gradient made from this serial on (runBackward). */
    private readonly ownFrom: number) {}

  private fire(group: GradGroup): void {
    const p = this.gathered.get(group);
    if (!p) return;
    this.gathered.delete(group);
    const gs = group.combine(p.grads);
    if (anomalyOn) checkBackward(p.name, p.grads.find((x) => x) ?? null, p.inputs, gs.map((gi, j) => (p.needs[j] ? gi : null)), null, null);
    p.inputs.forEach((x, j) => {
      const gi = gs[j];
      if (!p.needs[j] || !gi) return;
      if (!shapesEqual(gi.shape, x.shape)) {
        throw new StrataError('backward', `internal: grouped gradient ${j} has shape ${fmtShape(gi.shape)}, expected ${fmtShape(x.shape)}`);
      }
      accumulate(this.grads, x, gi);
    });
  }

  /** Runs the sweep, recording its ops on the tape only when `createGraph`. */
  runRecording(createGraph: boolean): void {
    if (createGraph) enableGrad(() => this.run());
    else noGrad(() => this.run());
  }

  private run(): void {
    const outer = returning;
    returning = this.targetSet;
    try {
      this.sweep();
    } finally {
      returning = outer;
    }
  }

  private sweep(): void {
    const { grads, targetSet, leads } = this;
    for (const t of this.order) {
      const waiting = this.waitingAt.get(t);
      if (waiting) {
        this.waitingAt.delete(t);
        for (const group of waiting) this.fire(group);
      }
      let g = grads.get(t);
      if (!g) continue;
      if (t._hooks) g = runHooks(t, g);
      if (targetSet?.has(t)) {
        this.result.set(t, g);
        continue;
      }
      grads.delete(t);
      const node = t._node;
      // a leaf's gradient, or a hidden tensor's marked with retainGrad, accumulates in .grad
      if (!targetSet && (!node || t._retainsGrad)) t._sweepGrad(g, this.ownFrom);
      if (!node) continue;
      const inputs = node.inputs!;
      const needs: boolean[] = new Array<boolean>(inputs.length);
      for (let i = 0; i < inputs.length; i++) needs[i] = inputs[i].requiresGrad && (leads === null || leads.has(inputs[i]));
      let vjpNeeds = needs;
      if (node.group) {
        const ks = node.group.inputs ?? [0];
        gather(this.gathered, this.waitingAt, node.group, node.name, ks.map((k) => inputs[k]), ks.map((k) => needs[k]), g);
        vjpNeeds = needs.map((n, i) => n && !ks.includes(i));
      }
      if (vjpNeeds.includes(true)) {
        const raw = node.vjp(g, inputs, node.out ?? t, vjpNeeds);
        // rules may return a gradient in the output's broadcast shape: summed back here, once (into
        // a copy of the rule's array, which is the rule's)
        let gs = raw;
        for (let i = 0; i < raw.length; i++) {
          const gi = raw[i];
          if (gi && vjpNeeds[i] && !shapesEqual(gi.shape, inputs[i].shape) && broadcastsTo(inputs[i].shape, gi.shape)) {
            if (gs === raw) gs = raw.slice();
            gs[i] = sumTo(gi, inputs[i].shape);
          }
        }
        if (anomalyOn) checkBackward(node.name, g, inputs, gs.map((gi, i) => (vjpNeeds[i] ? gi : null)), node.out ?? t, node);
        for (let i = 0; i < inputs.length; i++) {
          const gi = gs[i];
          if (!vjpNeeds[i] || !gi) continue;
          const x = inputs[i];
          if (!shapesEqual(gi.shape, x.shape)) {
            throw new StrataError('backward', `internal: gradient of '${node.name}' input ${i} has shape ${fmtShape(gi.shape)}, expected ${fmtShape(x.shape)}`);
          }
          accumulate(grads, x, gi);
        }
      }
      if (!this.retainGraph) {
        node.inputs = null;
        node.out = null;
      }
    }
  }
}

/**
 * `t`'s gradient through its hooks (`registerHook`), in order: a hook that returns a tensor replaces
 * the gradient for the hooks after it and for the rest of the sweep.
 */
function runHooks(t: Tensor, g: Tensor): Tensor {
  for (const hook of t._hooks!.list()) {
    const r = hook(g);
    if (r === undefined) continue;
    if (!isTensorLike(r) || !shapesEqual(r.shape, g.shape) || r.dtype !== g.dtype) {
      const got = isTensorLike(r) ? `${r.dtype} ${fmtShape(r.shape)}` : typeof r;
      throw new StrataError('registerHook', `a gradient hook returned ${got} for a gradient of ${g.dtype} ${fmtShape(g.shape)}; return a tensor of that shape and dtype, or nothing`);
    }
    g = r;
  }
  return g;
}

/** A tensor, told apart structurally (this layer sees Tensor only as a type). */
function isTensorLike(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'dtype' in v && '_storage' in v;
}

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  const prev = grads.get(t);
  grads.set(t, prev ? prev.add(g) : g);
}

/** Keeps output `index`'s gradient of a group until the sweep reaches the first of `inputs`. */
function gather(gathered: Map<GradGroup, Gathered>, waitingAt: Map<Tensor, GradGroup[]>, { of, index }: NonNullable<GradNode['group']>, name: string,
  inputs: readonly Tensor[], needs: readonly boolean[], g: Tensor): void {
  if (!needs.some(Boolean)) return;
  let p = gathered.get(of);
  if (!p) {
    gathered.set(of, (p = { name, grads: new Array<Tensor | null>(of.size).fill(null), inputs, needs }));
    for (const x of inputs) {
      const list = waitingAt.get(x);
      if (list) list.push(of);
      else waitingAt.set(x, [of]);
    }
  }
  const prev = p.grads[index];
  p.grads[index] = prev ? prev.add(g) : g;
}
