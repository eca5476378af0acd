// SPDX-License-Identifier: MIT
// Fused LSTM cell (src/nn/recurrent/fused.ts): the four gate nonlinearities and the state update of
// one time step in one pass, forward and backward. Gates are PyTorch's (i, f, g, o) blocks of H
// columns in each row of xg and hg [N, 4H]; the pre-activation is xg + hg.
//
// The forward also keeps the activated gates and tanh(c') in a workspace [N, 5H], so the backward is
// arithmetic only.
//
// Descriptor (4-byte slots): 0 kind (0 forward, 1 backward), 1 N, 2 H, then
//   forward  3 xg, 4 hg, 5 c [N, H], 6 h' [N, H], 7 c' [N, H], 8 workspace (0: none);
//   backward 3 workspace, 4 c, 5 dh', 6 dc', 7 dGates [N, 4H], 8 dc [N, H].
// Threads share out rows. Columns go four at a time; a ragged tail goes through the same vector
// code one lane at a time, so every element is computed alike.
import { sigmoidv, tanhv } from './mathv';

/** Four floats at `p`, or the first `lanes` (1-3) of them for a ragged tail (the rest zero). */
// @ts-ignore: decorator
@inline function ld(p: usize, lanes: i32): v128 {
  if (lanes == 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores four lanes at `p`, or the first `lanes`. */
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

function forwardRows(d: usize, r0: i32, r1: i32): void {
  const h = load<i32>(d, 8);
  const xg = load<usize>(d, 12), hg = load<usize>(d, 16), c = load<usize>(d, 20), hOut = load<usize>(d, 24), cOut = load<usize>(d, 28), ws = load<usize>(d, 32);
  const gate = <usize>h << 2;
  for (let r = r0; r < r1; r++) {
    const row = <usize>r * (gate << 2), srow = <usize>r * gate, wrow = <usize>r * gate * 5;
    for (let j = 0; j < h; j += 4) {
      const lanes = min(4, h - j);
      const o = <usize>j << 2;
      const px = xg + row + o, ph = hg + row + o;
      const i = sigmoidv(f32x4.add(ld(px, lanes), ld(ph, lanes)));
      const f = sigmoidv(f32x4.add(ld(px + gate, lanes), ld(ph + gate, lanes)));
      const g = tanhv(f32x4.add(ld(px + 2 * gate, lanes), ld(ph + 2 * gate, lanes)));
      const og = sigmoidv(f32x4.add(ld(px + 3 * gate, lanes), ld(ph + 3 * gate, lanes)));
      const cn = f32x4.add(f32x4.mul(f, ld(c + srow + o, lanes)), f32x4.mul(i, g));
      const tc = tanhv(cn);
      st(hOut + srow + o, f32x4.mul(og, tc), lanes);
      st(cOut + srow + o, cn, lanes);
      if (ws) {
        const pw = ws + wrow + o;
        st(pw, i, lanes);
        st(pw + gate, f, lanes);
        st(pw + 2 * gate, g, lanes);
        st(pw + 3 * gate, og, lanes);
        st(pw + 4 * gate, tc, lanes);
      }
    }
  }
}

function backwardRows(d: usize, r0: i32, r1: i32): void {
  const h = load<i32>(d, 8);
  const ws = load<usize>(d, 12), c = load<usize>(d, 16), gH = load<usize>(d, 20), gC = load<usize>(d, 24), dz = load<usize>(d, 28), dc = load<usize>(d, 32);
  const gate = <usize>h << 2;
  const one = f32x4.splat(1);
  for (let r = r0; r < r1; r++) {
    const row = <usize>r * (gate << 2), srow = <usize>r * gate, wrow = <usize>r * gate * 5;
    for (let j = 0; j < h; j += 4) {
      const lanes = min(4, h - j);
      const o = <usize>j << 2;
      const pw = ws + wrow + o, pz = dz + row + o;
      const i = ld(pw, lanes), f = ld(pw + gate, lanes), g = ld(pw + 2 * gate, lanes);
      const og = ld(pw + 3 * gate, lanes), tc = ld(pw + 4 * gate, lanes);
      const gh = ld(gH + srow + o, lanes);
      // dc' in full: the gradient arriving at c' plus the path through h' = o*tanh(c')
      const gc = f32x4.add(ld(gC + srow + o, lanes), f32x4.mul(f32x4.mul(gh, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      st(pz, f32x4.mul(f32x4.mul(gc, g), f32x4.mul(i, f32x4.sub(one, i))), lanes);
      st(pz + gate, f32x4.mul(f32x4.mul(gc, ld(c + srow + o, lanes)), f32x4.mul(f, f32x4.sub(one, f))), lanes);
      st(pz + 2 * gate, f32x4.mul(f32x4.mul(gc, i), f32x4.sub(one, f32x4.mul(g, g))), lanes);
      st(pz + 3 * gate, f32x4.mul(f32x4.mul(gh, tc), f32x4.mul(og, f32x4.sub(one, og))), lanes);
      st(dc + srow + o, f32x4.mul(gc, f), lanes);
    }
  }
}

/** Task entry: thread `tid` of `nt` takes its share of the N rows. */
export function cellTask(tid: i32, nt: i32, d: usize): void {
  const n = load<i32>(d, 4);
  const r0 = <i32>((<i64>n * tid) / nt), r1 = <i32>((<i64>n * (tid + 1)) / nt);
  if (r1 <= r0) return;
  if (load<i32>(d) == 0) forwardRows(d, r0, r1);
  else backwardRows(d, r0, r1);
}
