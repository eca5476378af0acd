// SPDX-License-Identifier: MIT
// ONNX's indexing by coordinate tuples (default domain, opsets 9–18), as torch.onnx.export writes
// advanced indexing: x[mask] (NonZero, then GatherND), and assignments into slices or at indices
// inside forward (index_put: ScatterND). Each tuple of the first k axes becomes one flat row index
// of the data seen as [rows, rest], so a gather or scatter along axis 0 does the work and gradients
// flow through it.
import { where } from '../../tensor/composite.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { scatterWrite } from './ops-logic.js';
import { HostInts, type OpContext, type OpImpl, type Value } from './values.js';

/** NonZero: the coordinates of x's non-zero elements, [rank, count] in row-major order (read on the host). */
function nonZero(ctx: OpContext): Value[] {
  const x = ctx.input(0);
  if (x === undefined) return ctx.fail('needs data');
  const dims = x instanceof HostInts ? x.dims : [...x.shape];
  const values = x instanceof HostInts ? x.values : Array.from(x.dataSync(), Number);
  const hits: number[] = [];
  values.forEach((v, i) => { if (v !== 0) hits.push(i); });
  const out: number[] = [];
  dims.forEach((_, a) => {
    const stride = dims.slice(a + 1).reduce((p, d) => p * d, 1);
    for (const i of hits) out.push(Math.floor(i / stride) % dims[a]);
  });
  return [new HostInts([dims.length, hits.length], out)];
}

/**
 * The flat row index (over the first k axes of `dims`) of each k-tuple in the last axis of input
 * `i`, negative coordinates counted from the end; on the host when the indices are host integers.
 */
function rowsOf(ctx: OpContext, i: number, dims: readonly number[]): { rows: Tensor | number[]; lead: number[]; k: number } {
  const v = ctx.input(i);
  if (v === undefined) return ctx.fail(`input ${i} (the indices) is missing`);
  const shape = v instanceof HostInts ? v.dims : [...v.shape];
  const k = shape[shape.length - 1];
  if (shape.length < 1 || !(k >= 1 && k <= dims.length)) return ctx.fail(`indices [${shape.join(', ')}] must end in a tuple of 1 to ${dims.length} coordinates`);
  const strides = dims.slice(0, k).map((_, a) => dims.slice(a + 1, k).reduce((p, d) => p * d, 1));
  const lead = shape.slice(0, -1);
  if (v instanceof HostInts) {
    const rows: number[] = [];
    for (let t = 0; t < v.values.length / k; t++) {
      let r = 0;
      for (let a = 0; a < k; a++) {
        const c = v.values[t * k + a];
        r += (c < 0 ? c + dims[a] : c) * strides[a];
      }
      rows.push(r);
    }
    return { rows, lead, k };
  }
  const idx = v.to('int32');
  const size = tensor(dims.slice(0, k), { dtype: 'int32', backend: idx.backend.name });
  const wrapped = where(idx.lt(0), idx.add(size), idx);
  return { rows: wrapped.mul(tensor(strides, { dtype: 'int32', backend: idx.backend.name })).sum(-1).reshape([-1]), lead, k };
}

/** The data as [rows over its first k axes, the rest flattened]. */
const asRows = (x: Tensor, k: number): Tensor => x.reshape([x.shape.slice(0, k).reduce((p, d) => p * d, 1), x.shape.slice(k).reduce((p, d) => p * d, 1)]);

/** GatherND (batch_dims 0): data[tuple] for each tuple of coordinates in the indices' last axis. */
function gatherNd(ctx: OpContext): Value[] {
  if (ctx.int('batch_dims', 0) !== 0) return ctx.fail('batch_dims other than 0 is not supported');
  const x = ctx.tensor(0);
  const { rows, lead, k } = rowsOf(ctx, 1, x.shape);
  return [asRows(x, k).indexSelect(0, rows).reshape([...lead, ...x.shape.slice(k)])];
}

/**
 * ScatterND into a copy of the data: the updates written at their tuples (reduction none; ONNX
 * leaves repeated tuples undefined, and here their updates add up) or added there (add).
 */
function scatterNd(ctx: OpContext): Value[] {
  const reduction = ctx.string('reduction', 'none');
  if (reduction !== 'none' && reduction !== 'add') return ctx.fail(`reduction '${reduction}' is not supported (only 'none' and 'add')`);
  const x = ctx.tensor(0);
  const { rows, lead, k } = rowsOf(ctx, 1, x.shape);
  const flat = asRows(x, k);
  const m = lead.reduce((p, d) => p * d, 1), width = flat.shape[1];
  const upd = ctx.tensor(2, x);
  const want = [...lead, ...x.shape.slice(k)];
  if (upd.shape.length !== want.length || upd.shape.some((d, a) => d !== want[a])) return ctx.fail(`updates [${upd.shape.join(', ')}] must be [${want.join(', ')}]`);
  const r = rows instanceof Tensor ? rows : tensor(rows, { dtype: 'int32', backend: x.backend.name });
  const at = r.reshape([m, 1]).expand([m, width]);
  const u = upd.reshape([m, width]);
  return [(reduction === 'add' ? flat.scatterAdd(0, at, u) : scatterWrite(flat, 0, at, u)).reshape(x.shape)];
}

export const INDEX_OPS: Record<string, OpImpl> = {
  NonZero: nonZero,
  GatherND: gatherNd,
  ScatterND: scatterNd,
};
