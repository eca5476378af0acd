// SPDX-License-Identifier: MIT
// Fused float32 optimizer steps (src/optim/sgd.ts, adam.ts): one pass reads the parameter, its
// gradient and its state, and writes the new parameter and the state. Every operation is the
// composed rule's, in its order, rounded to float32 (no FMA), so that both paths agree bit for bit.
//
// Descriptor (4-byte slots): 0 kind (0 SGD, 1 Adam), 1 n, 2 flags, 3 out, 4 param, 5 grad,
// 6 first state buffer (SGD momentum, Adam m), 7 second (Adam v); float32 coefficients from slot 8:
//   SGD  flags 1 first, 2 momentum, 4 weight decay, 8 nesterov, 16 maximize;
//        8 lr, 9 weight decay, 10 momentum, 11 1 - dampening
//   Adam flags 1 first, 4 weight decay (L2 in the gradient);
//        8 b1, 9 1 - b1, 10 b2, 11 1 - b2, 12 weight decay, 13 decay (AdamW), 14 sqrt(1 - b2^t),
//        15 eps, 16 lr / (1 - b1^t)
// The state buffers are updated in place; `out` may be the parameter itself.

import { ld, st } from './lanes';

const FIRST = 1, MOMENTUM = 2, DECAY = 4, NESTEROV = 8, MAXIMIZE = 16;

// @ts-ignore: decorator
@inline function cf(d: usize, slot: i32): f32 { return load<f32>(d + (<usize>slot << 2)); }

/** SGD over elements [i0, i1). */
function sgdRange(d: usize, i0: i32, i1: i32): void {
  const flags = load<i32>(d, 8);
  const out = load<usize>(d, 12), pp = load<usize>(d, 16), gp = load<usize>(d, 20), bp = load<usize>(d, 24);
  const lr = cf(d, 8), wd = cf(d, 9), mu = cf(d, 10), gs = cf(d, 11);
  const first = (flags & FIRST) != 0, mom = (flags & MOMENTUM) != 0, decay = (flags & DECAY) != 0;
  const nesterov = (flags & NESTEROV) != 0, maximize = (flags & MAXIMIZE) != 0;
  const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd), vmu = f32x4.splat(mu), vgs = f32x4.splat(gs);
  // vectors of four, the ragged tail through the same code (lanes.ts)
  for (let i = i0; i < i1; i += 4) {
    const lanes = min(4, i1 - i);
    const o = <usize>i << 2;
    const p = ld(pp + o, lanes);
    let g = ld(gp + o, lanes);
    if (decay) g = f32x4.add(g, f32x4.mul(p, vwd));
    if (mom) {
      let b = g;
      if (!first) b = f32x4.add(f32x4.mul(ld(bp + o, lanes), vmu), f32x4.mul(g, vgs));
      st(bp + o, b, lanes);
      g = nesterov ? f32x4.add(g, f32x4.mul(b, vmu)) : b;
    }
    const s = f32x4.mul(g, vlr);
    st(out + o, maximize ? f32x4.add(p, s) : f32x4.sub(p, s), lanes);
  }
}

/** Adam / AdamW over elements [i0, i1). */
function adamRange(d: usize, i0: i32, i1: i32): void {
  const flags = load<i32>(d, 8);
  const out = load<usize>(d, 12), pp = load<usize>(d, 16), gp = load<usize>(d, 20), mp = load<usize>(d, 24), vp = load<usize>(d, 28);
  const b1 = cf(d, 8), c1 = cf(d, 9), b2 = cf(d, 10), c2 = cf(d, 11), wd = cf(d, 12), dk = cf(d, 13), bias2 = cf(d, 14), eps = cf(d, 15), step = cf(d, 16);
  const first = (flags & FIRST) != 0, decay = (flags & DECAY) != 0;
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vwd = f32x4.splat(wd);
  const vdk = f32x4.splat(dk), vbias2 = f32x4.splat(bias2), veps = f32x4.splat(eps), vstep = f32x4.splat(step);
  // vectors of four, the ragged tail through the same code (lanes.ts)
  for (let i = i0; i < i1; i += 4) {
    const lanes = min(4, i1 - i);
    const o = <usize>i << 2;
    const p = ld(pp + o, lanes);
    let g = ld(gp + o, lanes);
    if (decay) g = f32x4.add(g, f32x4.mul(p, vwd));
    const g2 = f32x4.mul(g, g);
    let m = f32x4.mul(g, vc1);
    let v = f32x4.mul(g2, vc2);
    if (!first) {
      m = f32x4.add(f32x4.mul(ld(mp + o, lanes), vb1), m);
      v = f32x4.add(f32x4.mul(ld(vp + o, lanes), vb2), v);
    }
    st(mp + o, m, lanes);
    st(vp + o, v, lanes);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(v), vbias2), veps);
    // θ·1 is θ exactly, so AdamW's decay needs no branch
    st(out + o, f32x4.sub(f32x4.mul(p, vdk), f32x4.mul(f32x4.div(m, denom), vstep)), lanes);
  }
}

/** Task entry: thread `tid` of `nt` takes its share of 16-element chunks (aligned vectors). */
export function optimTask(tid: i32, nt: i32, d: usize): void {
  const n = load<i32>(d, 4);
  const chunks = (n + 15) >> 4;
  const c0 = <i32>((<i64>chunks * tid) / nt) << 4;
  const c1 = min(n, <i32>((<i64>chunks * (tid + 1)) / nt) << 4);
  if (c1 <= c0) return;
  if (load<i32>(d) == 0) sgdRange(d, c0, c1);
  else adamRange(d, c0, c1);
}
