// SPDX-License-Identifier: MIT
import type { FusedCells, GruBackwardArgs, GruForwardArgs, LstmBackwardArgs, LstmForwardArgs } from '../../backend/backend.js';
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

function gruForward(a: GruForwardArgs): void {
  const out = arr(a.hNext), xg = arr(a.xg), hg = arr(a.hg), hPrev = arr(a.h);
  const ws = a.workspace ? arr(a.workspace) : null;
  const { n, hidden: h } = a;
  for (let r = 0; r < n; r++) {
    const row = r * 3 * h;
    for (let j = 0; j < h; j++) {
      const e = r * h + j;
      const rg = sigmoid(xg[row + j] + hg[row + j]);
      const z = sigmoid(xg[row + h + j] + hg[row + h + j]);
      const hn = hg[row + 2 * h + j];
      const ng = Math.tanh(xg[row + 2 * h + j] + rg * hn);
      out[e] = ng + z * (hPrev[e] - ng);
      if (ws) {
        const w = r * 4 * h + j;
        ws[w] = rg;
        ws[w + h] = z;
        ws[w + 2 * h] = ng;
        ws[w + 3 * h] = hn;
      }
    }
  }
}

function gruBackward(a: GruBackwardArgs): void {
  const ws = arr(a.workspace), hPrev = arr(a.h), gH = arr(a.gradH), dx = arr(a.dXg), dhg = arr(a.dHg), dh = arr(a.dh);
  const { n, hidden: h } = a;
  for (let r = 0; r < n; r++) {
    const row = r * 3 * h;
    for (let j = 0; j < h; j++) {
      const e = r * h + j;
      const w = r * 4 * h + j;
      const rg = ws[w], z = ws[w + h], ng = ws[w + 2 * h], hn = ws[w + 3 * h];
      const g = gH[e];
      const dn = g * (1 - z) * (1 - ng * ng);
      const dz = g * (hPrev[e] - ng) * z * (1 - z);
      const dr = dn * hn * rg * (1 - rg);
      dx[row + j] = dr;
      dx[row + h + j] = dz;
      dx[row + 2 * h + j] = dn;
      dhg[row + j] = dr;
      dhg[row + h + j] = dz;
      dhg[row + 2 * h + j] = dn * rg;
      dh[e] = g * z;
    }
  }
}

/** The js backend's fused cells, for float32 and float64. */
export const fusedCells: FusedCells = { dtypes: ['float32', 'float64'], lstmForward, lstmBackward, gruForward, gruBackward };
