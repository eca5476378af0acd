// SPDX-License-Identifier: MIT
// The differential fuzzer's machinery: a call is plain data (tensor specs and attributes), run once
// on the `js` reference and once on `wasm` (whose heap is first filled with NaN garbage, so that an
// output the kernel forgot to write shows up), then the two outcomes are compared. An outcome is
// either values (tensors read back, with the gradients of every float input) or a StrataError;
// anything else thrown is a crash and fails.
import assert from 'node:assert/strict';
import * as st from 'strata-dl';

export type DT = 'float32' | 'float64' | 'int32' | 'bool';
/** A tensor as data, made on whichever backend is current when the call runs. */
export interface TS { t: true; shape: number[]; dtype: DT; values: number[] }
export type Arg = TS | number | string | boolean | null | undefined | Arg[] | { [k: string]: Arg };

export function isTS(a: unknown): a is TS {
  return typeof a === 'object' && a !== null && (a as TS).t === true && Array.isArray((a as TS).shape);
}

/** The tensors a call made from specs, in order: the leaves whose gradients are compared. */
let leaves: st.Tensor[] = [];

/** Builds the tensors in `a` (recursively) on the current backend; float ones require grad. */
export function mat(a: Arg): unknown {
  if (isTS(a)) {
    const x = st.tensor(a.values, { shape: a.shape, dtype: a.dtype });
    if (a.dtype === 'float32' || a.dtype === 'float64') x.requiresGrad_();
    leaves.push(x);
    return x;
  }
  if (Array.isArray(a)) return a.map(mat);
  if (typeof a === 'object' && a !== null) return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, mat(v)]));
  return a;
}

/** A value read back: tensors become { shape, dtype, values }. */
type Read = { shape: number[]; dtype: string; values: number[] } | number | string | boolean | null | undefined | Read[];

function read(v: unknown, out: st.Tensor[]): Read {
  if (v instanceof st.Tensor) {
    out.push(v);
    return { shape: [...v.shape], dtype: v.dtype, values: [...v.dataSync()] };
  }
  if (Array.isArray(v)) return v.map((x) => read(x, out));
  if (v instanceof st.ValuesIndices) return [read(v.values, out), read(v.indices, out)];
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof st.nn.Module) return `module ${v.constructor.name}`;
  return `<${typeof v}>`;
}

export type Outcome = { ok: true; value: Read; grads: Read; emptyInput: boolean } | { ok: false; error: st.StrataError };

/** A deterministic weight per output element, so that the seeded gradient is not uniform. */
function weights(t: st.Tensor): st.Tensor {
  return st.tensor(Array.from({ length: t.size }, (_, i) => Math.sin(0.7 * i + 0.3)), { shape: [...t.shape], dtype: t.dtype });
}

/** Sizes (bytes) covering the allocator's classes up to 256 KiB, for `poison`. */
const POISON_SIZES = Array.from({ length: 46 }, (_, i) => Math.ceil(2 ** (6 + i / 4) / 4));

/** Fills reusable wasm heap blocks with NaN bit patterns, so uninitialized outputs are caught. */
export function poison(): void {
  // scoped: `full`'s scalar temporaries are freed too (a long fuzz run is one synchronous loop, in
  // which the finalization registry never runs)
  st.scoped(() => {
    const ts = POISON_SIZES.map((n) => st.full([n], Number.NaN, { dtype: 'float32' }));
    // a second copy of the small classes: outputs and their temporaries often share one
    const more = POISON_SIZES.slice(0, 24).map((n) => st.full([n], Number.NaN, { dtype: 'float32' }));
    for (const t of [...ts, ...more]) t.dispose();
  });
}

/** Runs `call` on `backend`; never throws on a StrataError (it is an outcome). */
export function runOn(backend: string, call: () => unknown, seed: number): Outcome {
  const prev = st.getBackend().name;
  st.setBackend(backend);
  if (backend === 'wasm') poison();
  st.manualSeed(seed);
  leaves = [];
  try {
    return st.scoped(() => {
      const produced: st.Tensor[] = [];
      const value = read(call(), produced);
      let grads: Read = null;
      const diff = produced.filter((t) => t.requiresGrad && !t.isDisposed);
      const wants = leaves.filter((l) => l.requiresGrad && l.isLeaf && !l.isDisposed);
      if (diff.length && wants.length) {
        const loss = diff.map((t) => t.mul(weights(t)).sum()).reduce((a, b) => a.add(b));
        loss.backward();
        grads = wants.map((l) => (l.grad ? read(l.grad, []) : null));
      }
      // A mean or average over no elements is 0/0 = NaN, as in PyTorch: NaN is then explained.
      const emptyInput = leaves.some((l) => l.size === 0);
      return { ok: true as const, value, grads, emptyInput };
    });
  } catch (e) {
    if (e instanceof st.StrataError) return { ok: false, error: e };
    throw e;
  } finally {
    st.setBackend(prev);
  }
}

const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 2e-4, atol: 2e-5 },
  // float64 results may come from float32 operands (mixed-dtype ops), so not much tighter than float32
  float64: { rtol: 1e-6, atol: 1e-7 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

function close(path: string, a: Read, b: Read): void {
  if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
    assert.ok(typeof b === 'object' && b !== null && !Array.isArray(b), `${path}: js gave a tensor, wasm ${JSON.stringify(b)}`);
    assert.deepEqual(b.shape, a.shape, `${path}: shape`);
    assert.equal(b.dtype, a.dtype, `${path}: dtype`);
    const { rtol, atol } = TOL[a.dtype];
    // Sums of many terms differ in rounding order between the backends; scale by the largest term.
    // (a loop, not Math.max(...values): outputs such as expand's can exceed the argument limit)
    const scale = a.values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);
    a.values.forEach((x, i) => {
      const y = b.values[i];
      if (Number.isNaN(x) || Number.isNaN(y)) {
        assert.ok(Number.isNaN(x) && Number.isNaN(y), `${path}[${i}]: js ${x}, wasm ${y} (NaN positions differ)`);
      } else if (!Number.isFinite(x) || !Number.isFinite(y)) {
        assert.equal(y, x, `${path}[${i}]`);
      } else {
        assert.ok(Math.abs(x - y) <= atol * scale + rtol * Math.abs(x), `${path}[${i}]: js ${x}, wasm ${y}`);
      }
    });
    return;
  }
  if (Array.isArray(a)) {
    assert.ok(Array.isArray(b) && b.length === a.length, `${path}: js gave ${a.length} items, wasm ${JSON.stringify(b)?.slice(0, 80)}`);
    a.forEach((x, i) => close(`${path}[${i}]`, x, b[i]));
    return;
  }
  if (typeof a === 'number' && typeof b === 'number' && !Number.isInteger(a)) {
    assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)) || (Number.isNaN(a) && Number.isNaN(b)), `${path}: js ${a}, wasm ${b}`);
    return;
  }
  assert.deepEqual(b, a, path);
}

function nanIn(r: Read): boolean {
  if (typeof r === 'object' && r !== null && !Array.isArray(r)) return r.values.some(Number.isNaN);
  if (Array.isArray(r)) return r.some(nanIn);
  return typeof r === 'number' && Number.isNaN(r);
}

/**
 * Runs a call on js and wasm and asserts the contract: the same StrataError-or-values on both, values
 * within tolerance with NaN in the same places, no NaN at all when `finite` (inputs in the op's
 * domain), and an error message that starts with the op's name (`op: ...`).
 */
export function check(name: string, call: () => unknown, opts: { finite?: boolean; seed?: number } = {}): void {
  const seed = opts.seed ?? 1;
  const ref = runOn('js', call, seed);
  const got = runOn('wasm', call, seed);
  if (!ref.ok || !got.ok) {
    const err = (o: Outcome): string => (o.ok ? 'no error' : o.error.message);
    assert.equal(got.ok, ref.ok, `${name}: js gave ${err(ref)}, wasm ${err(got)}`);
    // FUZZ_ERRORS=1 lists every error raised, to review which op each message names.
    if (process.env.FUZZ_ERRORS && !ref.ok) console.error(`FUZZ_ERROR ${name} => ${ref.error.message.slice(0, 160)}`);
    for (const o of [ref, got]) if (!o.ok) assert.match(o.error.message, /^[\w.]+: ./, `${name}: error message does not start with an op name: ${o.error.message}`);
    return;
  }
  close(`${name} value`, ref.value, got.value);
  close(`${name} grads`, ref.grads, got.grads);
  if (opts.finite !== false && !ref.emptyInput) {
    assert.ok(!nanIn(ref.value), `${name}: js gave NaN for finite inputs in the op's domain`);
    assert.ok(!nanIn(ref.grads), `${name}: js gave a NaN gradient for finite inputs in the op's domain`);
  }
}
