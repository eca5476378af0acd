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
}

const stack: Disposable[][] = [];

/** @internal Called by the Tensor constructor. */
export function track(t: Disposable): void {
  if (stack.length > 0) stack[stack.length - 1].push(t);
}

/**
 * Runs `fn`, then disposes every tensor it created except those in its result (tensors, arrays
 * or plain objects of them) and those marked with `keep`, which pass to the enclosing scope.
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
  } finally {
    stack.pop();
  }
  // What survives goes on to the enclosing scope, as if made there: a kept tensor that stops being
  // kept before that scope ends (a gradient set to null after backward(), whose sweep has a scope of
  // its own) is freed with it.
  const parent = stack[stack.length - 1];
  // most steps return nothing or a number: no tensor escapes
  if (result === null || typeof result !== 'object') {
    for (const t of created) {
      if (!t._kept) t.dispose();
      else parent?.push(t);
    }
    return result;
  }
  const escaping = new Set<unknown>();
  collect(result, escaping, 0);
  for (const t of created) {
    if (escaping.has(t) || t._kept) parent?.push(t);
    else t.dispose();
  }
  return result;
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
