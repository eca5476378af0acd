// SPDX-License-Identifier: MIT
// Every loss against a published or hand-computed value (scalar JavaScript written from the
// formula, independent of the tensor code), plus gradchecks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';
import { f64, rand64 } from './module-gradcheck.js';

const F = st.nn.functional;
const idx = (v: number[]): st.Tensor => st.tensor(v, { dtype: 'int32' });
// CS231n's three images (cat, car, frog) and their class scores (lecture 3 / linear classification notes).
const scores = st.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
const labels = idx([0, 1, 2]);

test('multiclass hinge (SVM) loss: CS231n published values 2.9, 0, 12.9, mean 5.27', () => {
  assertClose(F.multiclassHingeLoss(scores, labels, { reduction: 'none' }), [2.9, 0, 12.9], 1e-5);
  assert.ok(Math.abs(F.multiclassHingeLoss(scores, labels).item() - 15.8 / 3) < 1e-5);
  assert.ok(Math.abs(F.multiMarginLoss(scores, labels).item() - 15.8 / 9) < 1e-5);
  assert.ok(Math.abs(new st.nn.MulticlassHingeLoss({ reduction: 'sum' }).forward(scores, labels).item() - 15.8) < 1e-4);
});

test('softmax cross-entropy: −log softmax at the label (cat: 2.04), index and probability targets, label smoothing', () => {
  const rows = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]];
  const logp = rows.map((r) => {
    const z = Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
    return r.map((v) => v - z);
  });
  const nll = logp.map((r, i) => -r[i]);
  assert.ok(Math.abs(nll[0] - 2.0404) < 1e-4, 'CS231n: L = −log(0.13) = 2.04');
  assertClose(F.crossEntropy(scores, labels, { reduction: 'none' }), nll, 1e-5);
  assert.ok(Math.abs(F.crossEntropy(scores, labels).item() - nll.reduce((a, b) => a + b) / 3) < 1e-5);
  const onehot = st.eye(3);
  assertClose(F.crossEntropy(scores, onehot, { reduction: 'none' }), nll, 1e-5);
  const eps = 0.1;
  const smooth = logp.map((r, i) => r.reduce((a, v, j) => a - ((j === i ? 1 - eps : 0) + eps / 3) * v, 0));
  assertClose(F.crossEntropy(scores, labels, { labelSmoothing: eps, reduction: 'none' }), smooth, 1e-5);
  assertClose(F.crossEntropy(scores, onehot, { labelSmoothing: eps, reduction: 'none' }), smooth, 1e-5);
  assertClose(F.nllLoss(scores.logSoftmax(1), labels, { reduction: 'sum' }), nll.reduce((a, b) => a + b), 1e-5);
  // [N, C, d] inputs: the class axis is 1, as in PyTorch.
  const seq = scores.unsqueeze(2).expand([3, 3, 2]);
  assertClose(F.crossEntropy(seq, st.stack([labels, labels], 1), { reduction: 'none' }), nll.map((v) => [v, v]), 1e-5);
});

test("regression losses: the lecture's MSE, L1, Huber, smooth L1, reductions", () => {
  const y = [1, 2, 3, 4];
  const yh = [1.5, 2, 0.5, 4.2];
  const d = y.map((v, i) => yh[i] - v);
  const pred = st.tensor(yh);
  const target = st.tensor(y);
  assert.ok(Math.abs(F.mseLoss(pred, target).item() - d.reduce((a, v) => a + v * v, 0) / 4) < 1e-6);
  assert.ok(Math.abs(F.l1Loss(pred, target, { reduction: 'sum' }).item() - d.reduce((a, v) => a + Math.abs(v), 0)) < 1e-6);
  const huber = d.map((v) => (Math.abs(v) < 1 ? 0.5 * v * v : Math.abs(v) - 0.5));
  assertClose(F.huberLoss(pred, target, { reduction: 'none' }), huber, 1e-6);
  const huber2 = d.map((v) => (Math.abs(v) < 2 ? 0.5 * v * v : 2 * (Math.abs(v) - 1)));
  assertClose(F.huberLoss(pred, target, { delta: 2, reduction: 'none' }), huber2, 1e-6);
  assertClose(F.smoothL1Loss(pred, target, { beta: 2, reduction: 'none' }), huber2.map((v) => v / 2), 1e-6);
  assertClose(new st.nn.MSELoss({ reduction: 'none' }).forward(pred, target), d.map((v) => v * v), 1e-6);
  assert.throws(() => F.mseLoss(st.zeros([3]), st.zeros([4])), /mseLoss: input \[3\] and target \[4\] must have the same shape/);
});

test("binary cross-entropy (the lecture's log-loss) on probabilities and logits; logits stay finite far out", () => {
  const p = [0.9, 0.2, 0.6, 0.01];
  const y = [1, 0, 0, 1];
  const bce = p.map((v, i) => -(y[i] * Math.log(v) + (1 - y[i]) * Math.log(1 - v)));
  assertClose(F.binaryCrossEntropy(st.tensor(p), st.tensor(y), { reduction: 'none' }), bce, 1e-5);
  const logits = p.map((v) => Math.log(v / (1 - v)));
  assertClose(F.binaryCrossEntropyWithLogits(st.tensor(logits), st.tensor(y), { reduction: 'none' }), bce, 1e-5);
  const pw = 3;
  const weighted = p.map((v, i) => -(pw * y[i] * Math.log(v) + (1 - y[i]) * Math.log(1 - v)));
  assertClose(F.binaryCrossEntropyWithLogits(st.tensor(logits), st.tensor(y), { posWeight: pw, reduction: 'none' }), weighted, 1e-5);
  const far = F.binaryCrossEntropyWithLogits(st.tensor([200, -200]), st.tensor([0, 1]), { reduction: 'none' });
  assertClose(far, [200, 200], 1e-3);
  assertClose(F.binaryCrossEntropy(st.tensor([0, 1]), st.tensor([1, 0]), { reduction: 'none' }), [100, 100], 1e-6);
});

test('KL divergence: Σ p·(log p − log q), zero-probability terms count 0, batchmean divides by N', () => {
  const p = [[0.5, 0.5, 0], [0.1, 0.2, 0.7]];
  const q = [[0.25, 0.5, 0.25], [0.3, 0.3, 0.4]];
  const kl = p.map((r, i) => r.reduce((a, v, j) => a + (v > 0 ? v * Math.log(v / q[i][j]) : 0), 0));
  const logq = st.tensor(q).log();
  assert.ok(Math.abs(F.klDiv(logq, st.tensor(p), { reduction: 'batchmean' }).item() - (kl[0] + kl[1]) / 2) < 1e-6);
  assert.ok(Math.abs(F.klDiv(logq, st.tensor(p), { reduction: 'sum' }).item() - (kl[0] + kl[1])) < 1e-6);
  assert.ok(Math.abs(F.klDiv(logq, st.tensor([[0.5, 0.5, 1e-30], [0.1, 0.2, 0.7]]).log(), { reduction: 'sum', logTarget: true }).item() - (kl[0] + kl[1])) < 1e-5);
  assert.ok(Math.abs(new st.nn.KLDivLoss({ reduction: 'mean' }).forward(logq, st.tensor(p)).item() - (kl[0] + kl[1]) / 6) < 1e-6);
});

test('every loss passes gradcheck with respect to its input', () => {
  const x = rand64([4, 3]);
  const t = rand64([4, 3], 2);
  const cls = st.tensor([0, 2, 1, 2], { dtype: 'int32', backend: 'js' });
  const prob = rand64([4, 3], 3, 0.05, 0.95);
  const dist = rand64([4, 3], 4, 0.1, 1).softmax(1);
  const checks: [string, (a: st.Tensor) => st.Tensor, st.Tensor][] = [
    ['mse', (a) => F.mseLoss(a, t), x], ['l1', (a) => F.l1Loss(a, t), x], ['huber', (a) => F.huberLoss(a, t, { delta: 0.5 }), x],
    ['smoothL1', (a) => F.smoothL1Loss(a, t, { reduction: 'sum' }), x],
    ['bce', (a) => F.binaryCrossEntropy(a, prob.gt(0.5).to('float64')), prob], ['bceLogits', (a) => F.binaryCrossEntropyWithLogits(a, prob, { posWeight: 2 }), x],
    ['ce', (a) => F.crossEntropy(a, cls, { labelSmoothing: 0.2 }), x], ['ceProb', (a) => F.crossEntropy(a, dist), x],
    ['nll', (a) => F.nllLoss(a.logSoftmax(1), cls, { reduction: 'sum' }), x], ['hinge', (a) => F.multiclassHingeLoss(a, cls), x],
    ['kl', (a) => F.klDiv(a.logSoftmax(1), dist, { reduction: 'batchmean' }), x],
    ['l2', (a) => F.l2Penalty([a], 0.3), x], ['l1penalty', (a) => F.l1Penalty([a, a.mul(2)], 0.3), x],
  ];
  for (const [name, f, input] of checks) {
    const r = st.gradcheck(f, [input], { raise: false });
    assert.ok(r.ok, `${name}: ${JSON.stringify(r.worst)}`);
  }
  void f64;
});

test('regularization penalties: λΣw² and λΣ|w|', () => {
  const a = st.tensor([[1, -2], [3, 0]]);
  const b = st.tensor([-1]);
  assertClose(F.l2Penalty([a, b], 0.5), 0.5 * (1 + 4 + 9 + 1));
  assertClose(F.l1Penalty([a, b], 0.1), 0.1 * 7, 1e-6);
});
