// SPDX-License-Identifier: MIT
// einsum: any subscripts, repeated labels (diagonals and traces), implicit or explicit
// output and '...'. Each operand's repeated labels become a diagonal (a gather), labels nobody else
// needs are summed early, and operands are contracted left to right, each pair as one batched
// matmul: so the gradient is those primitives' and a product never materializes all labels at once.
import { StrataError, fmtShape } from '../core/errors.js';
import type { Tensor } from './tensor.js';
import { matmul } from './composite.js';

/** A tensor with one label per dim (ellipsis dims get the labels '.0', '.1', ...). */
interface Term { t: Tensor; labels: string[] }

const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);

/** Splits one side of the equation into letters and at most one '...'; returns the labels with '...' as null. */
function parseTerm(term: string, eq: string): (string | null)[] {
  const out: (string | null)[] = [];
  let seenDots = false;
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (seenDots) throw new StrataError('einsum', `'${term}' in '${eq}' has more than one '...'`);
      seenDots = true;
      out.push(null);
      i += 2;
    } else if (isLetter(term[i])) out.push(term[i]);
    else throw new StrataError('einsum', `invalid subscript '${term[i]}' in '${eq}' (use letters A-Z, a-z and '...')`);
  }
  return out;
}

/** Replaces '...' by the labels of the last `e` of the `E` broadcast dims. */
const expandDots = (parsed: (string | null)[], e: number, E: number): string[] =>
  parsed.flatMap((l) => (l === null ? Array.from({ length: e }, (_, k) => `.${E - e + k}`) : [l]));

/** Takes the diagonal over every label that occurs twice or more in one operand. */
function diagonalize(term: Term, eq: string): Term {
  let { t, labels } = term;
  for (;;) {
    const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (dup < 0) return { t, labels };
    const p = labels.indexOf(labels[dup]);
    const n = t.shape[p];
    if (t.shape[dup] !== n) throw new StrataError('einsum', `label '${labels[p]}' in '${eq}' has sizes ${n} and ${t.shape[dup]} in one operand ${fmtShape(term.t.shape)}`);
    const rest = labels.map((_, i) => i).filter((i) => i !== p && i !== dup);
    const moved = t.permute([...rest, p, dup]);
    const flat = moved.reshape([...rest.map((i) => t.shape[i]), n * n]);
    t = flat.indexSelect(flat.ndim - 1, Array.from({ length: n }, (_, k) => k * (n + 1)));
    labels = [...rest.map((i) => labels[i]), labels[p]];
  }
}

/** Sums the dims whose labels are not in `keep`. */
function sumOut(term: Term, keep: ReadonlySet<string>): Term {
  const axes = term.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (!axes.length) return term;
  return { t: term.t.sum(axes), labels: term.labels.filter((l) => keep.has(l)) };
}

/** Permutes to `order` (labels of the term, each once). */
function arrange(term: Term, order: readonly string[]): Tensor {
  const perm = order.map((l) => term.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? term.t : term.t.permute(perm);
}

/** Contracts two terms over their shared labels not in `needed`; shared labels in `needed` are a batch. */
function contract(a: Term, b: Term, needed: ReadonlySet<string>, size: ReadonlyMap<string, number>): Term {
  const batch = a.labels.filter((l) => b.labels.includes(l) && needed.has(l));
  const inner = a.labels.filter((l) => b.labels.includes(l) && !needed.has(l));
  const aOnly = a.labels.filter((l) => !b.labels.includes(l));
  const bOnly = b.labels.filter((l) => !a.labels.includes(l));
  const prod = (ls: string[]): number => ls.reduce((acc, l) => acc * size.get(l)!, 1);
  const [B, M, K, N] = [prod(batch), prod(aOnly), prod(inner), prod(bOnly)];
  const am = arrange(a, [...batch, ...aOnly, ...inner]).reshape([B, M, K]);
  const bm = arrange(b, [...batch, ...inner, ...bOnly]).reshape([B, K, N]);
  const labels = [...batch, ...aOnly, ...bOnly];
  return { t: matmul(am, bm).reshape(labels.map((l) => size.get(l)!)), labels };
}

/**
 * Einstein summation, as torch.einsum: `'ij,jk->ik'` (matmul), `'ii->i'` (diagonal), `'ii'` (trace),
 * `'...ij,...jk'` (batched, broadcasting the '...' dims), implicit output (labels used once, in
 * alphabetical order, after the '...' dims). Size-1 dims broadcast against their label's size.
 * Operands may be passed one by one or as one array.
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  const ops = operands.flat() as Tensor[];
  // Contractions run on matmul, which is float-only: int32 operands go through float64, which is
  // exact for every product and sum below 2^53, and come back int32 (torch.einsum takes integers).
  if (ops.length > 0 && ops.every((t) => t.dtype === 'int32')) return einsum(equation, ...ops.map((t) => t.to('float64'))).to('int32');
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow < 0 ? eq : eq.slice(0, arrow);
  const terms = lhs.split(',').map((s) => parseTerm(s, equation));
  if (terms.length !== ops.length) throw new StrataError('einsum', `'${equation}' has ${terms.length} operand subscripts, got ${ops.length} tensors`);
  const dots = terms.map((p, i) => {
    const letters = p.filter((l) => l !== null).length;
    const e = ops[i].ndim - letters;
    const hasDots = p.includes(null);
    if (e < 0 || (!hasDots && e !== 0)) throw new StrataError('einsum', `subscripts '${lhs.split(',')[i]}' of '${equation}' do not fit operand ${i} ${fmtShape(ops[i].shape)}`);
    return e;
  });
  const E = Math.max(0, ...dots);
  const labeled = terms.map((p, i) => expandDots(p, dots[i], E));
  // every label's size: equal everywhere, or 1 (broadcast)
  const size = new Map<string, number>();
  labeled.forEach((ls, i) => ls.forEach((l, d) => {
    const n = ops[i].shape[d];
    const have = size.get(l);
    if (have === undefined || have === 1) size.set(l, n);
    else if (n !== have && n !== 1) throw new StrataError('einsum', `label '${l.startsWith('.') ? '...' : l}' of '${equation}' has sizes ${have} and ${n}`);
  }));
  let out: string[];
  if (arrow < 0) {
    const count = new Map<string, number>();
    for (const l of labeled.flat()) count.set(l, (count.get(l) ?? 0) + 1);
    const letters = [...count.keys()].filter((l) => !l.startsWith('.') && count.get(l) === 1).sort();
    out = [...Array.from({ length: E }, (_, k) => `.${k}`), ...letters];
  } else {
    out = expandDots(parseTerm(eq.slice(arrow + 2), equation), E, E);
    for (const l of out) {
      if (!size.has(l)) throw new StrataError('einsum', `output label '${l}' of '${equation}' appears in no operand`);
      if (out.indexOf(l) !== out.lastIndexOf(l)) throw new StrataError('einsum', `output label '${l}' of '${equation}' appears more than once`);
    }
  }
  const cur: Term[] = ops.map((t, i) => {
    const d = diagonalize({ t, labels: labeled[i] }, equation);
    const full = d.labels.map((l) => size.get(l)!);
    return d.t.shape.some((n, k) => n !== full[k]) ? { t: d.t.expand(full), labels: d.labels } : d;
  });
  const neededAfter = (k: number): Set<string> => new Set([...out, ...cur.slice(k + 1).flatMap((c) => c.labels)]);
  let acc = sumOut(cur[0], neededAfter(0));
  for (let k = 1; k < cur.length; k++) {
    const needed = neededAfter(k);
    const keepA = new Set([...needed, ...cur[k].labels]);
    const keepB = new Set([...needed, ...acc.labels]);
    acc = contract(sumOut(acc, keepA), sumOut(cur[k], keepB), needed, size);
  }
  return arrange(sumOut(acc, new Set(out)), out);
}
