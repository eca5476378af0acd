// SPDX-License-Identifier: MIT
/**
 * The one way to record a gradient node for outputs made outside `Tensor._apply`: a grouped custom
 * op. Its outputs join it one by one (all at once for an op with several outputs, such as a fused
 * LSTM cell's h and c; over time for a weight used at every step of a recurrent layer). For some of
 * each output's inputs, the `deferred` ones, the gradients of all the outputs are gathered and
 * turned into the inputs' gradients by one `backward` (autograd/engine.ts, `GradGroup`); the other
 * inputs get theirs from the output's own `vjp`. Covered this way: `customOp` (one output, nothing
 * deferred), split (the pieces' gradients concatenated once), the fused LSTM and GRU cells, and the
 * recurrent layers' shared-weight product.
 */
import type { GradGroup, GradNode } from '../autograd/engine.js';
import type { Tensor } from './tensor.js';

/** An output's own backward: the gradient of each input (null where not needed) from the output's gradient. */
export type OutputVjp = GradNode['vjp'];

/** What a grouped op is: its name, its number of outputs, and the backward of its deferred inputs. */
export interface GroupedOpSpec {
  /** Name shown as the outputs' `gradFn` (unless an output keeps its primitive's, see `join`). */
  readonly name: string;
  /** Number of outputs whose gradients are gathered (at least those that will join). */
  readonly size: number;
  /**
   * The gradients of the deferred inputs (in the order `join` lists them) from the gradient of each
   * output, null for an output that received none. Omit it when nothing is deferred.
   */
  readonly backward?: (grads: readonly (Tensor | null)[]) => (Tensor | null)[];
}

/** How an output joins a grouped op. */
export interface JoinOptions {
  /** The output's inputs; by default those of the primitive that made it. */
  readonly inputs?: readonly Tensor[];
  /** Positions in `inputs` whose gradients come from the group's `backward` (none by default). */
  readonly deferred?: readonly number[];
  /** The gradients of the other inputs; by default the rule of the primitive that made the output. */
  readonly vjp?: OutputVjp;
  /** The output's `gradFn`; by default the op's name. */
  readonly name?: string;
  /** `vjp` runs the user's code, which may keep the gradients it is given (GradNode.opaque). */
  readonly opaque?: boolean;
}

/**
 * A grouped custom op (see the file comment).
 *
 * @example
 * const op = new GroupedOp({ name: 'twoOut', size: 2, backward: ([ga, gb]) => [add(ga, gb)] });
 * op.join(a, 0, { inputs: [x], deferred: [0], vjp: () => [null] });
 * op.join(b, 1, { inputs: [x], deferred: [0], vjp: () => [null] });
 */
export class GroupedOp {
  private readonly group: GradGroup | null;

  constructor(private readonly spec: GroupedOpSpec) {
    const backward = spec.backward;
    this.group = backward ? { size: spec.size, combine: (grads) => backward(grads) } : null;
  }

  /**
   * Records `out` (made without recording, or by a recorded primitive whose inputs and rule it keeps
   * unless `opts` replaces them) as output `index` of this op. Returns false, recording nothing, when
   * `out` would take its primitive's inputs or rule and no primitive was recorded.
   */
  join(out: Tensor, index: number, opts: JoinOptions = {}): boolean {
    const made = out._node;
    const inputs = opts.inputs ?? made?.inputs;
    // called through `made` (a primitive's node reads its rule and attributes from itself)
    const vjp: GradNode['vjp'] | undefined = opts.vjp ?? (made ? (g, xs, o, needs) => made.vjp(g, xs, o, needs) : undefined);
    if (!inputs || !vjp) return false;
    const deferred = opts.deferred ?? [];
    if (deferred.length > 0 && (!this.group || index < 0 || index >= this.spec.size)) {
      throw new Error(`internal: output ${index} of '${this.spec.name}' defers inputs but the op has ${this.group ? this.spec.size : 'no backward for'} outputs`);
    }
    const group = deferred.length > 0 && this.group ? { of: this.group, index, inputs: deferred } : undefined;
    out._attachNode({ name: opts.name ?? this.spec.name, inputs: [...inputs], out, vjp, ...(group ? { group } : {}), ...(opts.opaque ? { opaque: true } : {}) });
    return true;
  }
}
