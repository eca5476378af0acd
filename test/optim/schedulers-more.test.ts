// SPDX-License-Identifier: MIT
// CosineAnnealingWarmRestarts, PolynomialLR, ConstantLR, CyclicLR and SequentialLR against the lr
// sequences PyTorch 1.13's schedulers give for the same settings (SGD at lr 0.1, one
// `scheduler.step()` per step; the values printed by torch.optim.lr_scheduler), and their errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { optim } = st;
/** The lr before each of `n` steps of the scheduler that `make` builds on a fresh SGD at lr 0.1. */
function lrs(make: (opt: st.optim.SGD) => st.optim.LRScheduler, n: number): number[] {
  const opt = new optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1 });
  const s = make(opt);
  const out: number[] = [];
  for (let i = 0; i < n; i++) { out.push(opt.paramGroups[0].lr); s.step(); }
  return out;
}
const close = (got: number[], want: number[]): void => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-15, `step ${i}: ${g} against PyTorch's ${want[i]}`));
};

test('the schedules are PyTorch\'s, step by step', () => {
  close(lrs((o) => new optim.CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2, etaMin: 0.01 }), 16), [0.1, 0.0775, 0.032500000000000015, 0.1, 0.09397114317029975, 0.0775,
    0.05500000000000001, 0.032500000000000015, 0.01602885682970026, 0.1, 0.09846666218300808, 0.09397114317029975, 0.08681980515339464, 0.0775, 0.06664685702961344, 0.05500000000000001]);
  close(lrs((o) => new optim.CosineAnnealingWarmRestarts(o, { t0: 4 }), 9), [0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1]);
  close(lrs((o) => new optim.PolynomialLR(o, { totalIters: 4, power: 2 }), 7), [0.1, 0.05625, 0.024999999999999998, 0.0062499999999999995, 0, 0, 0]);
  close(lrs((o) => new optim.ConstantLR(o, { factor: 0.5, totalIters: 3 }), 6), [0.05, 0.05, 0.05, 0.1, 0.1, 0.1]);
  close(lrs((o) => new optim.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 }), 14), [0.01, 0.040000000000000015, 0.06999999999999999, 0.1, 0.07000000000000003,
    0.03999999999999998, 0.01, 0.040000000000000056, 0.06999999999999995, 0.1, 0.06999999999999995, 0.040000000000000056, 0.01, 0.03999999999999998]);
  // warm-up then cosine, through the cosine's end (PyTorch's cosine rises again past tMax; Strata's holds)
  close(lrs((o) => new optim.SequentialLR(o, [new optim.LinearLR(o, { startFactor: 0.25, totalIters: 3 }), new optim.CosineAnnealingLR(o, { tMax: 6 })], [3]), 10),
    [0.025, 0.05, 0.07500000000000001, 0.1, 0.09330127018922195, 0.07500000000000001, 0.05, 0.025000000000000012, 0.006698729810778065, 0]);
});

test('triangular2 halves the height every cycle and expRange scales it by gamma per step; stepSizeDown', () => {
  const tri2 = lrs((o) => new optim.CyclicLR(o, { baseLr: 0, maxLr: 0.8, stepSizeUp: 2, mode: 'triangular2' }), 9);
  close(tri2, [0, 0.4, 0.8, 0.4, 0, 0.2, 0.4, 0.2, 0]);
  const exp = lrs((o) => new optim.CyclicLR(o, { baseLr: 0, maxLr: 1, stepSizeUp: 1, stepSizeDown: 3, mode: 'expRange', gamma: 0.5 }), 5);
  close(exp, [0, 0.5, (2 / 3) * 0.25, (1 / 3) * 0.125, 0]);
});

test('a SequentialLR resumes from its state dict, and each scheduler checks its arguments', () => {
  const opt = new optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1 });
  const seq = new optim.SequentialLR(opt, [new optim.ConstantLR(opt, { factor: 0.5, totalIters: 2 }), new optim.PolynomialLR(opt, { totalIters: 4 })], [2]);
  seq.step(); seq.step(); seq.step();
  const saved = seq.stateDict();
  const lr = opt.paramGroups[0].lr;
  const opt2 = new optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1 });
  const seq2 = new optim.SequentialLR(opt2, [new optim.ConstantLR(opt2, { factor: 0.5, totalIters: 2 }), new optim.PolynomialLR(opt2, { totalIters: 4 })], [2]);
  seq2.loadStateDict(saved);
  assert.equal(opt2.paramGroups[0].lr, lr);
  assert.ok(Math.abs(lr - 0.075) < 1e-15);
  const bad = (f: () => unknown, re: RegExp): void => assert.throws(f, re);
  bad(() => new optim.SequentialLR(opt, [seq], [1]), /^StrataError: SequentialLR: needs one milestone fewer than schedulers, got 1 schedulers and 1 milestones/);
  bad(() => new optim.SequentialLR(opt, [seq, seq], [0]), /milestones must be increasing positive integers, got \[0\]/);
  bad(() => new optim.SequentialLR(opt, [seq, seq2], [2]), /scheduler 1 was made on another optimizer/);
  bad(() => new optim.CosineAnnealingWarmRestarts(opt, { t0: 0 }), /^StrataError: CosineAnnealingWarmRestarts: t0 must be a positive integer, got 0/);
  bad(() => new optim.PolynomialLR(opt, { totalIters: 1.5 }), /totalIters must be a positive integer, got 1.5/);
  bad(() => new optim.ConstantLR(opt, { factor: 2 }), /factor must be in \[0, 1\], got 2/);
  bad(() => new optim.CyclicLR(opt, { baseLr: 0.2, maxLr: 0.1 }), /needs 0 <= baseLr <= maxLr, got 0.2 and 0.1/);
  bad(() => new optim.CyclicLR(opt, { baseLr: 0, maxLr: 1, mode: 'exp' as 'expRange' }), /mode must be 'triangular', 'triangular2' or 'expRange', got 'exp'/);
});
