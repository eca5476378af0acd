// SPDX-License-Identifier: MIT
// Fused float32 optimizer steps (src/optim/sgd.ts, adam.ts): one pass reads the parameter, its
// gradient and its state, and writes the new parameter and the state. Every operation is the
// composed rule's, in its order, rounded to float32 (no FMA), so that both paths agree bit for bit.
//
// Descriptors: `optimList` in scripts/wasm-interface.mjs lists one `sgd` or `adam` record per
// parameter (flags: OPTIM_FLAG; Adam's DECAY is L2 in the gradient), so that one task updates every
// parameter of a step. The state buffers are updated in place; `out` may be the parameter itself.
import {
  OPTIM_LIST_CHUNK as CHUNK, OPTIM_LIST_ITEM_SLOTS as ITEM_SLOTS, optimList_count, optimList_counter_at, optimList_items, optimList_starts,
  OPTIM_FLAG_DECAY as DECAY, OPTIM_FLAG_FIRST as FIRST, OPTIM_FLAG_MAXIMIZE as MAXIMIZE, OPTIM_FLAG_MOMENTUM as MOMENTUM, OPTIM_FLAG_NESTEROV as NESTEROV, OPTIM_KIND_ADAM, OPTIM_KIND_SGD,
  adam_beta1, adam_beta2, adam_decay, adam_eps, adam_expAvg, adam_expAvgSq, adam_flags, adam_grad, adam_oneMinusBeta1, adam_oneMinusBeta2, adam_out, adam_param, adam_sqrtBias2, adam_stepSize, adam_weightDecay,
  sgd_flags, sgd_grad, sgd_gradScale, sgd_kind, sgd_lr, sgd_momentum, sgd_momentumBuf, sgd_n, sgd_out, sgd_param, sgd_weightDecay,
} from './generated/interface';
import { ld, st } from './lanes';

/**
 * One vector of SGD at byte offset o (`lanes` of it). Inlined with constant flags and lanes = 4 in
 * sgdRange's loops, so the common cases run without a branch per vector or per load.
 */
// @ts-ignore: decorator
@inline function sgdAt(o: usize, lanes: i32, out: usize, pp: usize, gp: usize, bp: usize, vlr: v128, vwd: v128, vmu: v128, vgs: v128,
  decay: bool, mom: bool, first: bool, nesterov: bool, maximize: bool): void {
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

/** SGD's whole vectors of [i0, i1) with these flags; the ragged tail is left to the caller. */
// @ts-ignore: decorator
@inline function sgdVectors(i0: i32, i1: i32, out: usize, pp: usize, gp: usize, bp: usize, vlr: v128, vwd: v128, vmu: v128, vgs: v128,
  decay: bool, mom: bool, first: bool, nesterov: bool, maximize: bool): void {
  for (let i = i0; i + 4 <= i1; i += 4) sgdAt(<usize>i << 2, 4, out, pp, gp, bp, vlr, vwd, vmu, vgs, decay, mom, first, nesterov, maximize);
}

/** SGD over elements [i0, i1). */
function sgdRange(d: usize, i0: i32, i1: i32): void {
  const flags = sgd_flags(d);
  const out = sgd_out(d), pp = sgd_param(d), gp = sgd_grad(d), bp = sgd_momentumBuf(d);
  const lr = sgd_lr(d), wd = sgd_weightDecay(d), mu = sgd_momentum(d), gs = sgd_gradScale(d);
  const first = (flags & FIRST) != 0, mom = (flags & MOMENTUM) != 0, decay = (flags & DECAY) != 0;
  const nesterov = (flags & NESTEROV) != 0, maximize = (flags & MAXIMIZE) != 0;
  const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd), vmu = f32x4.splat(mu), vgs = f32x4.splat(gs);
  // the common cases with their flags as constants (momentum after the first step, plain SGD): a
  // loop of straight vector code, 2-3x the speed of the general loop's tested loads on one core
  const plain = !decay && !nesterov && !maximize;
  if (plain && mom && !first) sgdVectors(i0, i1, out, pp, gp, bp, vlr, vwd, vmu, vgs, false, true, false, false, false);
  else if (plain && !mom) sgdVectors(i0, i1, out, pp, gp, bp, vlr, vwd, vmu, vgs, false, false, false, false, false);
  else sgdVectors(i0, i1, out, pp, gp, bp, vlr, vwd, vmu, vgs, decay, mom, first, nesterov, maximize);
  // the ragged tail through the same code (lanes.ts)
  const tail = i0 + ((i1 - i0) & ~3);
  if (tail < i1) sgdAt(<usize>tail << 2, i1 - tail, out, pp, gp, bp, vlr, vwd, vmu, vgs, decay, mom, first, nesterov, maximize);
}

/** One vector of Adam / AdamW at byte offset o (`lanes` of it); inlined as sgdAt is. */
// @ts-ignore: decorator
@inline function adamAt(o: usize, lanes: i32, out: usize, pp: usize, gp: usize, mp: usize, vp: usize, vb1: v128, vc1: v128, vb2: v128, vc2: v128,
  vwd: v128, vdk: v128, vbias2: v128, veps: v128, vstep: v128, first: bool, decay: bool): void {
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

/** Adam / AdamW over elements [i0, i1): whole vectors with the flags as constants, then the tail. */
function adamRange(d: usize, i0: i32, i1: i32): void {
  const flags = adam_flags(d);
  const out = adam_out(d), pp = adam_param(d), gp = adam_grad(d), mp = adam_expAvg(d), vp = adam_expAvgSq(d);
  const b1 = adam_beta1(d), c1 = adam_oneMinusBeta1(d), b2 = adam_beta2(d), c2 = adam_oneMinusBeta2(d), wd = adam_weightDecay(d), dk = adam_decay(d), bias2 = adam_sqrtBias2(d), eps = adam_eps(d), step = adam_stepSize(d);
  const first = (flags & FIRST) != 0, decay = (flags & DECAY) != 0;
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vwd = f32x4.splat(wd);
  const vdk = f32x4.splat(dk), vbias2 = f32x4.splat(bias2), veps = f32x4.splat(eps), vstep = f32x4.splat(step);
  const full = i0 + ((i1 - i0) & ~3);
  if (!first && !decay) {
    for (let i = i0; i < full; i += 4) adamAt(<usize>i << 2, 4, out, pp, gp, mp, vp, vb1, vc1, vb2, vc2, vwd, vdk, vbias2, veps, vstep, false, false);
  } else {
    for (let i = i0; i < full; i += 4) adamAt(<usize>i << 2, 4, out, pp, gp, mp, vp, vb1, vc1, vb2, vc2, vwd, vdk, vbias2, veps, vstep, first, decay);
  }
  if (full < i1) adamAt(<usize>full << 2, i1 - full, out, pp, gp, mp, vp, vb1, vc1, vb2, vc2, vwd, vdk, vbias2, veps, vstep, first, decay);
}

/**
 * Task entry: the threads claim chunks of CHUNK elements (one parameter's, in list order) through
 * the descriptor's atomic counter, so every parameter of a step goes in one task and a thread that
 * is slowed down simply takes fewer chunks. Each element is updated on its own, so how the chunks
 * fall to threads changes no bit.
 */
export function optimTask(tid: i32, nt: i32, d: usize): void {
  const count = optimList_count(d), items = optimList_items(d), starts = optimList_starts(d);
  const counter = optimList_counter_at(d);
  const total = load<i32>(starts + (<usize>count << 2));
  // claims only grow, so the parameter index only moves forward
  let k = 0;
  for (let c = atomic.add<i32>(counter, 1); c < total; c = atomic.add<i32>(counter, 1)) {
    while (load<i32>(starts + (<usize>(k + 1) << 2)) <= c) k++;
    const r = items + <usize>k * <usize>(ITEM_SLOTS << 2);
    const i0 = (c - load<i32>(starts + (<usize>k << 2))) * CHUNK;
    const i1 = min(sgd_n(r), i0 + CHUNK); // the header is the same in both records
    const kind = sgd_kind(r);
    if (kind == OPTIM_KIND_SGD) sgdRange(r, i0, i1);
    else if (kind == OPTIM_KIND_ADAM) adamRange(r, i0, i1);
    else unreachable(); // an unknown optimizer: trap rather than run the wrong kernel
  }
}
