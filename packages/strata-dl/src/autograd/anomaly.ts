// SPDX-License-Identifier: MIT
/**
 * Anomaly detection (PyTorch's `torch.autograd.detect_anomaly`): while it is on, the first op whose
 * forward or backward makes a NaN or an infinity throws an `AnomalyError` naming the primitive, the
 * public ops it ran in (anomaly-trace.ts), its shapes, the module and fit's position. The rules are in
 * anomaly-check.ts; this file holds the switch, the context (module frames, training position) and
 * the error.
 *
 * The switch is one module-level boolean that every op reads (`if (anomalyOn) …` in Tensor._apply,
 * the backward sweep and Sequential), so detection costs nothing measurable while it is off.
 */
import { StrataError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** @internal Read by every op; change it with `setDetectAnomaly` or `detectAnomaly`. */
export let anomalyOn = false;

/**
 * Turns anomaly detection on or off for everything that runs afterwards (PyTorch's
 * `set_detect_anomaly`). Prefer `detectAnomaly(fn)`, which turns it off again.
 *
 * @example
 * setDetectAnomaly(true);
 * isAnomalyEnabled(); // true
 * setDetectAnomaly(false);
 */
export function setDetectAnomaly(enabled: boolean): void {
  anomalyOn = enabled;
}

/** Whether anomaly detection is on (PyTorch's `is_anomaly_enabled`). @example isAnomalyEnabled(); // false */
export function isAnomalyEnabled(): boolean {
  return anomalyOn;
}

/**
 * Runs `fn` with anomaly detection on and returns its result; the previous setting is restored
 * when `fn` returns or throws, or, for an async `fn`, when its promise settles (other code that
 * runs meanwhile on the event loop is checked too: the switch is global).
 *
 * While on, an op throws an `AnomalyError` when
 * - its **forward** output holds a NaN or ±Inf although all of its inputs are finite (overflow,
 *   `log(0)`, `0/0`), or a NaN although none of its inputs holds one (`∞ − ∞`, `0·∞`);
 * - its forward computes with a NaN that came from outside the checked ops (the data, a parameter,
 *   a tensor made while detection was off). Ops that only move values (reshape, slice, gather,
 *   cat, pad, where, cast…) pass such a NaN on, so the op named is the first that computes with it,
 *   typically the model's first layer. Infinities from outside pass (a `-Infinity` mask is fine);
 * - its **backward** returns a gradient holding a NaN or ±Inf (PyTorch flags NaN only).
 *
 * The error names the primitive (`op`), the library functions it ran in (`info.calls`, such as
 * `crossEntropy › Tensor.logSoftmax › logsumexp`), the input and output shapes, the module path
 * (`info.module`, such as `features.0`) and, inside `fit`, the epoch, batch and step.
 *
 * PyTorch checks only backward; the forward rules find the op that made the value rather than the
 * first gradient that inherits it. Checking reads every op's output, so training runs several times
 * slower: use it to find a NaN, not all the time. `fit` also stops on a non-finite loss without it.
 *
 * @example
 * const x = tensor([1, 0], { requiresGrad: true });
 * let found = '';
 * try {
 *   detectAnomaly(() => x.log().sum().backward());
 * } catch (e) {
 *   if (e instanceof AnomalyError) found = `${e.info.phase} of ${e.op}`; // log(0) made -Infinity
 * }
 * found; // 'forward of log'
 * isAnomalyEnabled(); // false
 * // in training: await detectAnomaly(() => fit(model, data, opts), { model });
 */
export function detectAnomaly<T>(fn: () => T, opts: DetectAnomalyOptions = {}): T {
  const prev = anomalyOn;
  anomalyOn = true;
  if (opts.model) frames.push(opts.model);
  const restore = (): void => {
    anomalyOn = prev;
    if (opts.model) popFrame(opts.model);
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (isThenable(result)) {
    return result.then(
      (v) => { restore(); return v; },
      (e: unknown) => { restore(); throw e; },
    ) as T;
  }
  restore();
  return result;
}

/** Options of `detectAnomaly`. */
export interface DetectAnomalyOptions {
  /**
   * The model `fn` runs (a `Module`), so that errors name module paths from its root
   * (`features.0`). `fit` gives its model by itself; without a root, paths count from the
   * outermost `Sequential` that ran.
   */
  model?: object;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

// ---- where an op runs: module frames and fit's position ------------------------------------------

/**
 * Modules (opaque here: autograd knows nothing of nn) running now, outermost first. Pushed only
 * while detection is on, by Sequential for each layer, by `fit` for its model, by `detectAnomaly`.
 */
const frames: object[] = [];

/** @internal */
export function pushFrame(module: object): void {
  frames.push(module);
}

/** @internal Pops `module` (and anything an exception left above it). */
export function popFrame(module: object): void {
  const i = frames.lastIndexOf(module);
  if (i >= 0) frames.length = i;
}

/** @internal Runs `fn` with `module` on the frame stack. */
export function inFrame<T>(module: object, fn: () => T): T {
  frames.push(module);
  try {
    return fn();
  } finally {
    popFrame(module);
  }
}

/** A module's key path from the root model ('' for the root itself) and its class name. */
export interface ModulePlace {
  path: string;
  type: string;
}

/** Finds where an op runs, from the module frames and the op's inputs (nn registers it). */
export type ModuleLocator = (frames: readonly object[], inputs: readonly Tensor[]) => ModulePlace | null;
let locator: ModuleLocator | null = null;

/** @internal Called once by nn, which knows how to turn modules into paths. */
export function setModuleLocator(fn: ModuleLocator): void {
  locator = fn;
}

/** @internal A snapshot of the frames, resolved to a module description only if an error needs it. */
export function captureModule(inputs: readonly Tensor[]): () => ModulePlace | null {
  const snapshot = frames.slice();
  // Only leaves can be parameters; holding just them keeps a recorded node's intermediates collectable.
  const leaves = inputs.filter((t) => t.isLeaf);
  return () => (locator && snapshot.length ? locator(snapshot, leaves) : null);
}

/** Where `fit` is: 0-based epoch, batch within it, and step since `fit` began. */
export interface TrainPosition {
  epoch: number;
  epochs: number;
  batch: number;
  /** Batches per epoch, when known. */
  steps: number | null;
  step: number;
}
let position: TrainPosition | null = null;

/** @internal Set by `fit` for each batch while detection is on; returns the previous one. */
export function setTrainPosition(p: TrainPosition | null): TrainPosition | null {
  const prev = position;
  position = p;
  return prev;
}

/** @internal */
export function trainPosition(): TrainPosition | null {
  return position;
}

/** Human-readable (1-based) `epoch 1 of 3, batch 4 of 10 (step 4)`. */
export function formatPosition(p: TrainPosition): string {
  return `epoch ${p.epoch + 1} of ${p.epochs}, batch ${p.batch + 1}${p.steps === null ? '' : ` of ${p.steps}`} (step ${p.step + 1})`;
}

// ---- the error -------------------------------------------------------------------------------------

/** What an `AnomalyError` found, as data (positions are 0-based, as callbacks see them). */
export interface AnomalyInfo {
  /** 'forward' or 'backward' of an op (detectAnomaly), or 'loss' (fit's stop on a non-finite loss). */
  phase: 'forward' | 'backward' | 'loss';
  /** The non-finite value: 'NaN', 'Infinity' or '-Infinity' (the first found). */
  value: string;
  /**
   * The library functions the op ran in, outermost first (`['crossEntropy', 'logSoftmax',
   * 'logsumexp']`): the public op and the composites inside it, from the call stack. Empty when the
   * op was called directly, or where function names are lost (minified bundles).
   */
  calls: string[];
  /** Key path of the module the op ran in (`'features.0'`; `''` for the model itself), when known. */
  module: string | null;
  /** Its class name (`'Linear'`). */
  moduleType: string | null;
  inputShapes: number[][];
  outputShape: number[] | null;
  epoch: number | null;
  batch: number | null;
  step: number | null;
}

/**
 * Thrown by anomaly detection and by `fit` on a non-finite loss. `op` is the primitive (or custom
 * op) whose forward or backward made the value, or 'fit'; `info` holds the details as data.
 *
 * @example
 * const w = tensor([4, 0], { requiresGrad: true });
 * let info: AnomalyInfo | null = null;
 * try {
 *   detectAnomaly(() => w.sqrt().sum().backward()); // sqrt's gradient at 0 is Infinity
 * } catch (e) {
 *   if (e instanceof AnomalyError) info = e.info;
 * }
 * info?.phase; // 'backward'
 * info?.value; // 'Infinity'
 */
export class AnomalyError extends StrataError {
  readonly info: AnomalyInfo;
  constructor(op: string, message: string, info: AnomalyInfo) {
    super(op, message);
    this.name = 'AnomalyError';
    this.info = info;
  }
}
