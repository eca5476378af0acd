// SPDX-License-Identifier: MIT
import type { AdamKernelArgs, FusedUpdates, SgdKernelArgs } from '../../backend/backend.js';
import type { TypedArray } from '../../core/dtype.js';
import { arr } from './buf.js';

type Round = (x: number) => number;
const exact: Round = (x) => x;

/**
 * Fused SGD over one parameter. `r` rounds every intermediate to the dtype (Math.fround for
 * float32: a double op on float32 inputs rounded once is the float32 op), so the result is the
 * composed rule's bit for bit.
 */
function sgd(a: SgdKernelArgs, r: Round): void {
  const out = arr(a.out), p = arr(a.param), g = arr(a.grad);
  const buf: TypedArray | null = a.buf ? arr(a.buf) : null;
  const lr = r(a.lr), wd = r(a.weightDecay), mu = r(a.momentum), gs = r(a.gradScale);
  const decay = a.weightDecay !== 0;
  for (let i = 0; i < out.length; i++) {
    const pi = p[i];
    let d = decay ? r(g[i] + r(pi * wd)) : g[i];
    if (buf) {
      const b = a.first ? d : r(r(buf[i] * mu) + r(d * gs));
      buf[i] = b;
      d = a.nesterov ? r(d + r(b * mu)) : b;
    }
    out[i] = a.maximize ? r(pi + r(d * lr)) : r(pi - r(d * lr));
  }
}

/** Fused Adam/AdamW over one parameter; rounding as in `sgd`. */
function adam(a: AdamKernelArgs, r: Round): void {
  const out = arr(a.out), p = arr(a.param), g = arr(a.grad), m = arr(a.expAvg), v = arr(a.expAvgSq);
  const b1 = r(a.beta1), c1 = r(a.oneMinusBeta1), b2 = r(a.beta2), c2 = r(a.oneMinusBeta2);
  const wd = r(a.weightDecay), decay = r(a.decay), bias2 = r(a.sqrtBias2), eps = r(a.eps), step = r(a.stepSize);
  const coupled = a.weightDecay !== 0;
  for (let i = 0; i < out.length; i++) {
    const pi = p[i];
    const gi = coupled ? r(g[i] + r(pi * wd)) : g[i];
    // θ·1 is θ exactly, so AdamW's decay needs no branch
    const th = r(pi * decay);
    const g2 = r(gi * gi);
    const mi = a.first ? r(gi * c1) : r(r(m[i] * b1) + r(gi * c1));
    const vi = a.first ? r(g2 * c2) : r(r(v[i] * b2) + r(g2 * c2));
    m[i] = mi;
    v[i] = vi;
    const denom = r(r(r(Math.sqrt(vi)) / bias2) + eps);
    out[i] = r(th - r(r(mi / denom) * step));
  }
}

/** The js backend's fused optimizer steps, for float32 and float64. */
export const fusedUpdates: FusedUpdates = {
  dtypes: ['float32', 'float64'],
  sgd: (a) => sgd(a, a.param.dtype === 'float32' ? Math.fround : exact),
  adam: (a) => adam(a, a.param.dtype === 'float32' ? Math.fround : exact),
};
