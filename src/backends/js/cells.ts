// SPDX-License-Identifier: MIT
import type { FusedCells, LstmBackwardArgs, LstmForwardArgs } from '../../backend/backend.js';
import { arr } from './buf.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Values are computed in double precision and rounded once when stored, so float32 results stay
 * within a few ulps of the composed ops (which round after each op).
 */
function lstmForward(a: LstmForwardArgs): void {
  const hOut = arr(a.h), cOut = arr(a.cNext), xg = arr(a.xg), hg = arr(a.hg), c = arr(a.c);
  const ws = a.workspace ? arr(a.workspace) : null;
  const { n, hidden: h } = a;
  for (let r = 0; r < n; r++) {
    const row = r * 4 * h;
    for (let j = 0; j < h; j++) {
      const e = r * h + j;
      const i = sigmoid(xg[row + j] + hg[row + j]);
      const f = sigmoid(xg[row + h + j] + hg[row + h + j]);
      const g = Math.tanh(xg[row + 2 * h + j] + hg[row + 2 * h + j]);
      const o = sigmoid(xg[row + 3 * h + j] + hg[row + 3 * h + j]);
      const cNew = f * c[e] + i * g;
      const tc = Math.tanh(cNew);
      hOut[e] = o * tc;
      cOut[e] = cNew;
      if (ws) {
        const w = r * 5 * h + j;
        ws[w] = i;
        ws[w + h] = f;
        ws[w + 2 * h] = g;
        ws[w + 3 * h] = o;
        ws[w + 4 * h] = tc;
      }
    }
  }
}

function lstmBackward(a: LstmBackwardArgs): void {
  const dz = arr(a.dGates), dc = arr(a.dc), ws = arr(a.workspace), gH = arr(a.gradH), gC = arr(a.gradC), c = arr(a.c);
  const { n, hidden: h } = a;
  for (let r = 0; r < n; r++) {
    const row = r * 4 * h;
    for (let j = 0; j < h; j++) {
      const e = r * h + j;
      const w = r * 5 * h + j;
      const i = ws[w], f = ws[w + h], g = ws[w + 2 * h], o = ws[w + 3 * h], tc = ws[w + 4 * h];
      const gh = gH[e];
      // dc' in full: the gradient arriving at c' plus the path through h' = o⊙tanh(c')
      const gc = gC[e] + gh * o * (1 - tc * tc);
      dz[row + j] = gc * g * i * (1 - i);
      dz[row + h + j] = gc * c[e] * f * (1 - f);
      dz[row + 2 * h + j] = gc * i * (1 - g * g);
      dz[row + 3 * h + j] = gh * tc * o * (1 - o);
      dc[e] = gc * f;
    }
  }
}

/** The js backend's fused cells, for float32 and float64. */
export const fusedCells: FusedCells = { dtypes: ['float32', 'float64'], lstmForward, lstmBackward };
