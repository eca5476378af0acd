// SPDX-License-Identifier: MIT
/**
 * Deterministic release of intermediates. The library (the training loop, optimizers) runs each
 * step inside `scoped`; every tensor created there is disposed at the end unless it is returned or
 * was marked with `keep` (parameters' new values, `.grad`, optimizer state). Users never need this:
 * it exists so that long loops hold flat memory on backends whose buffers the GC cannot see.
 */
interface Disposable {
  dispose(): void;
  readonly _kept: boolean;
  /** set by `keep()`: survives even when kept for another reason that ends (see `release`) */
  readonly _pinned?: boolean;
  /** a tensor's accumulated gradient, kept while the tensor is */
  readonly grad?: Disposable | null;
}

const stack: Disposable[][] = [];

/** @internal Called by the Tensor constructor. */
export function track(t: Disposable): void {
  if (stack.length > 0) stack[stack.length - 1].push(t);
}

/**
 * Runs `fn`, then disposes every tensor it created (also when `fn` throws) except those in its
 * result (tensors, arrays or plain objects of them) and those marked with `keep`, which pass to the
 * enclosing scope. A `.grad` survives with its tensor: the gradient of a leaf made inside goes with it.
 *
 * @example
 * const loss = scoped(() => model.forward(x).sub(y).square().mean()); // intermediates freed
 */
export function scoped<T>(fn: () => T): T {
  const created: Disposable[] = [];
  stack.push(created);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // a block that throws frees what it made too (kept tensors still pass on)
    stack.pop();
    release(created, null);
    throw e;
  }
  stack.pop();
  // most steps return nothing or a number: no tensor escapes
  if (result === null || typeof result !== 'object') {
    release(created, null);
    return result;
  }
  const escaping = new Set<unknown>();
  collect(result, escaping, 0);
  release(created, escaping);
  return result;
}

/**
 * Disposes what a block made, but for what escapes in its result and what is kept, which goes on
 * to the enclosing scope as if made there: a kept tensor that stops being kept before that scope
 * ends (a gradient set to null after backward(), whose sweep has a scope of its own) is freed with
 * it. A `.grad` is kept for its tensor's sake, so the gradient of a tensor freed here (a leaf made
 * in the block) goes with it, unless it escapes or was kept with `keep()`.
 */
function release(created: readonly Disposable[], escaping: Set<unknown> | null): void {
  const parent = stack[stack.length - 1];
  // one pass: the kept wait (few: gradients, optimizer state) until the freed have named their orphans
  let kept: Disposable[] | null = null;
  let orphans: Set<Disposable> | null = null;
  for (const t of created) {
    if (escaping?.has(t)) parent?.push(t);
    else if (t._kept) (kept ??= []).push(t);
    else {
      const g = t.grad;
      if (g && !g._pinned && !escaping?.has(g)) (orphans ??= new Set()).add(g);
      t.dispose();
    }
  }
  if (kept) for (const t of kept) {
    if (orphans?.has(t)) t.dispose();
    else parent?.push(t);
  }
}

function collect(v: unknown, out: Set<unknown>, depth: number): void {
  if (v === null || typeof v !== 'object' || depth > 4) return;
  if ('_kept' in v && 'dispose' in v) {
    out.add(v);
    return;
  }
  if (Array.isArray(v)) for (const e of v) collect(e, out, depth + 1);
  else if (v instanceof Map) for (const e of v.values()) collect(e, out, depth + 1);
  else if (Object.getPrototypeOf(v) === Object.prototype) for (const e of Object.values(v)) collect(e, out, depth + 1);
}
