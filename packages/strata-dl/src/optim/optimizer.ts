// SPDX-License-Identifier: MIT
import { StrataError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autograd/mode.js';
import { scoped } from '../tensor/scope.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';

/** Hyperparameters every optimizer has. */
export interface BaseHyper { lr: number }
/** Per-parameter state: tensors (moments) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;
/** A parameter group: its own parameters and hyperparameters (for example its own lr). */
export type ParamGroup<H> = H & { params: Tensor[] };
/** How groups are given to a constructor: hyperparameters left out take the optimizer's defaults. */
export type ParamGroupSpec<H> = Partial<H> & { params: Tensor[] };

/** A pure update rule: new parameter value and new state from the old ones. */
export type UpdateRule<H, S extends ParamState> = (param: Tensor, grad: Tensor, state: S | undefined, hyper: H) => { param: Tensor; state: S };

/**
 * The same update as an `UpdateRule` through the backend's fused kernel (one pass instead of a
 * dozen primitives), or null where the backend has none for these tensors: the rule then runs.
 * Its results must equal the rule's bit for bit (see `FusedUpdates`).
 */
export type FusedRule<H, S extends ParamState> = (param: Tensor, grad: Tensor, state: S | undefined, hyper: H) => { param: Tensor; state: S } | null;

/** One parameter's step as a `FusedManyRule` receives it. */
export interface StepEntry<S extends ParamState> { readonly param: Tensor; readonly grad: Tensor; readonly state: S | undefined }

/**
 * A `FusedRule` over all of a group's parameters at once (one kernel call per step instead of one per
 * parameter): a result per entry, or null for an entry it leaves to the `FusedRule` and the rule.
 * Results must equal the rule's bit for bit.
 */
export type FusedManyRule<H, S extends ParamState> = (entries: readonly StepEntry<S>[], hyper: H) => readonly ({ param: Tensor; state: S } | null)[];

/** An optimizer's state as plain data: tensors plus JSON-able numbers, parameters by position. */
export interface OptimizerStateDict {
  state: Record<string, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Base of every optimizer: parameter groups, per-parameter state, `zeroGrad`, `step`, and state
 * dicts for checkpoints. The maths lives in a pure `UpdateRule`; this class only applies it in
 * place (with `_assign`, under `noGrad`, each step inside `scoped` so intermediates are freed).
 * An optional `FusedRule` computes the same update in one kernel call where the backend can.
 */
export class Optimizer<H extends BaseHyper, S extends ParamState> {
  readonly paramGroups: ParamGroup<H>[];
  /** State per parameter, created on its first step. */
  readonly state = new Map<Tensor, S>();

  constructor(
    readonly name: string,
    params: readonly Tensor[] | readonly ParamGroupSpec<H>[],
    readonly defaults: H,
    private readonly rule: UpdateRule<H, S>,
    /** Tried for each parameter; the composed `rule` stays the definition and the fallback. */
    private readonly fused?: FusedRule<H, S>,
    /** Tried first, on each group's parameters together. */
    private readonly fusedMany?: FusedManyRule<H, S>,
  ) {
    if (!(defaults.lr >= 0)) throw new StrataError(name, `learning rate must be non-negative, got ${defaults.lr}`);
    const groups: readonly (Partial<H> & { params: readonly Tensor[] })[] = isGroupList(params) ? params : [{ ...defaults, params }];
    this.paramGroups = groups.map((g) => ({ ...defaults, ...g, params: [...g.params] }));
    const seen = new Set<Tensor>();
    for (const p of this.paramGroups.flatMap((g) => g.params)) {
      if (seen.has(p)) throw new StrataError(name, `a parameter ${fmtShape(p.shape)} appears in more than one group`);
      seen.add(p);
    }
    if (seen.size === 0) throw new StrataError(name, 'got an empty parameter list');
  }

  /** All parameters, in group order (the positions state dicts use). */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * Drops every gradient. The old gradient tensors are disposed, so their memory returns at once;
   * do not keep references to `.grad` across steps.
   */
  zeroGrad(): void {
    for (const p of this.params()) {
      const g = p.grad;
      p.grad = null;
      g?.dispose(); // a gradient two parameters share is disposed once: dispose() is idempotent
    }
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    noGrad(() => scoped(() => {
      for (const group of this.paramGroups) {
        const entries: StepEntry<S>[] = [];
        for (const p of group.params) if (p.grad && p.requiresGrad) entries.push({ param: p, grad: p.grad, state: this.state.get(p) });
        const many = entries.length > 0 ? this.fusedMany?.(entries, group) : undefined;
        entries.forEach(({ param: p, grad: g, state: old }, i) => {
          const { param, state } = many?.[i] ?? this.fused?.(p, g, old, group) ?? this.rule(p, g, old, group);
          p.set_(param);
          for (const v of Object.values(state)) if (typeof v !== 'number') v.keep();
          if (old) for (const [k, v] of Object.entries(old)) if (typeof v !== 'number' && state[k] !== v) v.dispose();
          this.state.set(p, state);
        });
      }
    }));
  }

  /**
   * The state by parameter position. Its tensors are the live state, not copies: later steps update
   * them in place (fused kernels) or replace and free them, so save or `clone()` them before the
   * next step, as with PyTorch's `state_dict()`.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map(this.params().map((p, i) => [p, i]));
    const state: Record<string, ParamState> = {};
    for (const [p, s] of this.state) state[String(index.get(p))] = { ...s };
    const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({ ...hyper, params: params.map((p) => index.get(p) ?? -1) }));
    return { state, paramGroups };
  }

  /** Restores hyperparameters (lr after a schedule, …) and state; tensors are copied onto each parameter's backend. */
  loadStateDict(dict: OptimizerStateDict): void {
    const params = this.params();
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new StrataError(`${this.name}.loadStateDict`, `state has ${dict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    dict.paramGroups.forEach((g, i) => {
      const mine = this.paramGroups[i];
      if (g.params.length !== mine.params.length) {
        throw new StrataError(`${this.name}.loadStateDict`, `group ${i} has ${g.params.length} parameters in the state, ${mine.params.length} in the optimizer`);
      }
      for (const [k, v] of Object.entries(g)) if (k !== 'params') Reflect.set(mine, k, v);
    });
    for (const old of this.state.values()) for (const v of Object.values(old)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
    for (const [key, s] of Object.entries(dict.state)) {
      const p = params[Number(key)];
      if (!p) throw new StrataError(`${this.name}.loadStateDict`, `state for parameter ${key}, but the optimizer has ${params.length}`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = typeof v === 'number' ? v : noGrad(() => copyLike(v, p));
      this.state.set(p, copy as S);
    }
  }
}

function isGroupList<H>(x: readonly Tensor[] | readonly ParamGroupSpec<H>[]): x is readonly ParamGroupSpec<H>[] {
  const first: unknown = x[0];
  return typeof first === 'object' && first !== null && !(first instanceof Tensor) && 'params' in first;
}

/** A copy of `v` with `like`'s dtype on `like`'s backend, kept across scopes. */
function copyLike(v: Tensor, like: Tensor): Tensor {
  const moved = v.backend === like.backend ? v.to(like.dtype).clone() : tensor(v.dataSync(), { shape: v.shape, dtype: like.dtype, backend: like.backend.name });
  return moved.keep();
}
