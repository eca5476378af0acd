// SPDX-License-Identifier: MIT
// Fused LSTM and GRU cells (src/nn/recurrent/fused-*.ts): the gate nonlinearities and the state
// update of one time step in one pass, forward and backward. LSTM gates are PyTorch's (i, f, g, o)
// blocks of H columns in each row of xg and hg [N, 4H], the pre-activation xg + hg; GRU gates are
// (r, z, n) in [N, 3H], with n = tanh(x_n + r*h_n).
//
// The forward also keeps the activated gates and tanh(c') in a workspace [N, 5H], so the backward is
// arithmetic only.
//
// Descriptors: `lstmForward`, `lstmBackward`, `gruForward`, `gruBackward` in scripts/wasm-interface.mjs
// (kind: CELL_KIND; a workspace address 0: none, inference). Shapes: xg, hg [N, 4H] (GRU [N, 3H]);
// states [N, H]; the LSTM workspace [N, 5H], the GRU's [N, 4H] (r, z, n, h_n).
// Threads share out rows. Columns go four at a time; a ragged tail goes through the same vector
// code one lane at a time, so every element is computed alike.
import { ld, st } from './lanes';
import { sigmoidv, tanhv } from './mathv';
import { sequenceTask } from './lstm-sequence';
import {
  CELL_KIND_GRU_BACKWARD, CELL_KIND_GRU_FORWARD, CELL_KIND_LSTM_BACKWARD, CELL_KIND_LSTM_FORWARD, CELL_KIND_PACK_B,
  gruBackward_dh, gruBackward_dHg, gruBackward_dXg, gruBackward_gradH, gruBackward_h, gruBackward_hidden, gruBackward_workspace,
  gruForward_h, gruForward_hg, gruForward_hidden, gruForward_hNext, gruForward_workspace, gruForward_xg,
  lstmBackward_c, lstmBackward_dc, lstmBackward_dGates, lstmBackward_gradC, lstmBackward_gradH, lstmBackward_hidden, lstmBackward_workspace,
  lstmForward_c, lstmForward_cNext, lstmForward_h, lstmForward_hg, lstmForward_hidden, lstmForward_kind, lstmForward_n, lstmForward_workspace, lstmForward_xg,
} from './generated/interface';

function lstmForwardRows(d: usize, r0: i32, r1: i32): void {
  lstmForwardCore(lstmForward_hidden(d), lstmForward_xg(d), lstmForward_hg(d), lstmForward_c(d), lstmForward_h(d), lstmForward_cNext(d), lstmForward_workspace(d), r0, r1);
}

/** Rows [r0, r1) of the LSTM cell forward (see the file comment); `ws` 0: no workspace. */
export function lstmForwardCore(h: i32, xg: usize, hg: usize, c: usize, hOut: usize, cOut: usize, ws: usize, r0: i32, r1: i32): void {
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

function lstmBackwardRows(d: usize, r0: i32, r1: i32): void {
  lstmBackwardCore(lstmBackward_hidden(d), lstmBackward_workspace(d), lstmBackward_c(d), lstmBackward_gradH(d), 0, lstmBackward_gradC(d), lstmBackward_dGates(d), lstmBackward_dc(d), r0, r1);
}

/**
 * Rows [r0, r1) of the LSTM cell backward. The gradient of h' is gH + gH2 (a sequence's step: the
 * output's gradient and the next step's); a pointer 0 stands for zeros (gH, gH2, gC).
 */
export function lstmBackwardCore(h: i32, ws: usize, c: usize, gH: usize, gH2: usize, gC: usize, dz: usize, dc: usize, r0: i32, r1: i32): void {
  const gate = <usize>h << 2;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const row = <usize>r * (gate << 2), srow = <usize>r * gate, wrow = <usize>r * gate * 5;
    for (let j = 0; j < h; j += 4) {
      const lanes = min(4, h - j);
      const o = <usize>j << 2;
      const pw = ws + wrow + o, pz = dz + row + o;
      const i = ld(pw, lanes), f = ld(pw + gate, lanes), g = ld(pw + 2 * gate, lanes);
      const og = ld(pw + 3 * gate, lanes), tc = ld(pw + 4 * gate, lanes);
      let gh = gH ? ld(gH + srow + o, lanes) : zero;
      if (gH2) gh = gH ? f32x4.add(gh, ld(gH2 + srow + o, lanes)) : ld(gH2 + srow + o, lanes);
      // dc' in full: the gradient arriving at c' plus the path through h' = o*tanh(c')
      const gc = f32x4.add(gC ? ld(gC + srow + o, lanes) : zero, f32x4.mul(f32x4.mul(gh, og), f32x4.sub(one, f32x4.mul(tc, tc))));
      st(pz, f32x4.mul(f32x4.mul(gc, g), f32x4.mul(i, f32x4.sub(one, i))), lanes);
      st(pz + gate, f32x4.mul(f32x4.mul(gc, ld(c + srow + o, lanes)), f32x4.mul(f, f32x4.sub(one, f))), lanes);
      st(pz + 2 * gate, f32x4.mul(f32x4.mul(gc, i), f32x4.sub(one, f32x4.mul(g, g))), lanes);
      st(pz + 3 * gate, f32x4.mul(f32x4.mul(gh, tc), f32x4.mul(og, f32x4.sub(one, og))), lanes);
      st(dc + srow + o, f32x4.mul(gc, f), lanes);
    }
  }
}

function gruForwardRows(d: usize, r0: i32, r1: i32): void {
  const h = gruForward_hidden(d);
  const xg = gruForward_xg(d), hg = gruForward_hg(d), hp = gruForward_h(d), hOut = gruForward_hNext(d), ws = gruForward_workspace(d);
  const gate = <usize>h << 2;
  for (let r = r0; r < r1; r++) {
    const row = <usize>r * gate * 3, srow = <usize>r * gate, wrow = <usize>r * (gate << 2);
    for (let j = 0; j < h; j += 4) {
      const lanes = min(4, h - j);
      const o = <usize>j << 2;
      const px = xg + row + o, ph = hg + row + o;
      const rg = sigmoidv(f32x4.add(ld(px, lanes), ld(ph, lanes)));
      const z = sigmoidv(f32x4.add(ld(px + gate, lanes), ld(ph + gate, lanes)));
      const hn = ld(ph + 2 * gate, lanes);
      const ng = tanhv(f32x4.add(ld(px + 2 * gate, lanes), f32x4.mul(rg, hn)));
      st(hOut + srow + o, f32x4.add(ng, f32x4.mul(z, f32x4.sub(ld(hp + srow + o, lanes), ng))), lanes);
      if (ws) {
        const pw = ws + wrow + o;
        st(pw, rg, lanes);
        st(pw + gate, z, lanes);
        st(pw + 2 * gate, ng, lanes);
        st(pw + 3 * gate, hn, lanes);
      }
    }
  }
}

function gruBackwardRows(d: usize, r0: i32, r1: i32): void {
  const h = gruBackward_hidden(d);
  const ws = gruBackward_workspace(d), hp = gruBackward_h(d), gH = gruBackward_gradH(d), dx = gruBackward_dXg(d), dhg = gruBackward_dHg(d), dh = gruBackward_dh(d);
  const gate = <usize>h << 2;
  const one = f32x4.splat(1);
  for (let r = r0; r < r1; r++) {
    const row = <usize>r * gate * 3, srow = <usize>r * gate, wrow = <usize>r * (gate << 2);
    for (let j = 0; j < h; j += 4) {
      const lanes = min(4, h - j);
      const o = <usize>j << 2;
      const pw = ws + wrow + o;
      const rg = ld(pw, lanes), z = ld(pw + gate, lanes), ng = ld(pw + 2 * gate, lanes), hn = ld(pw + 3 * gate, lanes);
      const g = ld(gH + srow + o, lanes);
      const dn = f32x4.mul(f32x4.mul(g, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(ng, ng)));
      const dz = f32x4.mul(f32x4.mul(g, f32x4.sub(ld(hp + srow + o, lanes), ng)), f32x4.mul(z, f32x4.sub(one, z)));
      const dr = f32x4.mul(f32x4.mul(dn, hn), f32x4.mul(rg, f32x4.sub(one, rg)));
      const px = dx + row + o, ph = dhg + row + o;
      st(px, dr, lanes);
      st(px + gate, dz, lanes);
      st(px + 2 * gate, dn, lanes);
      st(ph, dr, lanes);
      st(ph + gate, dz, lanes);
      st(ph + 2 * gate, f32x4.mul(dn, rg), lanes);
      st(dh + srow + o, f32x4.mul(g, z), lanes);
    }
  }
}

/** Task entry: thread `tid` of `nt` takes its share of the N rows. */
export function cellTask(tid: i32, nt: i32, d: usize): void {
  const kind = lstmForward_kind(d);
  if (kind >= CELL_KIND_PACK_B) { sequenceTask(kind, tid, nt, d); return; }
  const n = lstmForward_n(d); // the header is the same in all four
  const r0 = <i32>((<i64>n * tid) / nt), r1 = <i32>((<i64>n * (tid + 1)) / nt);
  if (r1 <= r0) return;
  switch (kind) {
    case CELL_KIND_LSTM_FORWARD: lstmForwardRows(d, r0, r1); break;
    case CELL_KIND_LSTM_BACKWARD: lstmBackwardRows(d, r0, r1); break;
    case CELL_KIND_GRU_FORWARD: gruForwardRows(d, r0, r1); break;
    case CELL_KIND_GRU_BACKWARD: gruBackwardRows(d, r0, r1); break;
    default: unreachable(); // an unknown cell mode: trap rather than run the wrong kernel
  }
}
