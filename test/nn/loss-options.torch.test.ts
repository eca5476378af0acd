// SPDX-License-Identifier: MIT
// Loss options against numbers computed by PyTorch 1.13 (Debian's python3-torch) with
// test/nn/loss-options.torch.py on the same float64 inputs, and the TSDoc examples' numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { nn } = st;
const F = nn.functional;
const f64 = (v: st.Nested): st.Tensor => st.tensor(v, { dtype: 'float64' });
const i32 = (v: st.Nested): st.Tensor => st.tensor(v, { dtype: 'int32' });
function close(t: st.Tensor, expected: number | number[], what: string, tol = 1e-12): void {
  const got = [...t.dataSync()].map(Number);
  const exp = typeof expected === 'number' ? [expected] : expected;
  assert.equal(got.length, exp.length, what);
  got.forEach((g, i) => assert.ok(Math.abs(g - exp[i]) <= tol * (1 + Math.abs(exp[i])), `${what}[${i}]: got ${g}, PyTorch ${exp[i]}`));
}

const x = f64([[1.2, -0.3, 0.5], [0.1, 2.0, -1.1], [-0.7, 0.4, 0.9], [0.3, 0.3, -0.2], [1.5, -1.0, 0.0]]);
const y = i32([0, 2, 1, -100, 2]);
const yAll = i32([0, 2, 1, 0, 2]); // y.clamp(min=0)
const w = f64([0.5, 2.0, 1.5]);

test('crossEntropy weight / ignoreIndex / labelSmoothing match PyTorch', () => {
  close(F.crossEntropy(x, yAll, { weight: w }), 1.7502159679411962, 'weight');
  close(F.crossEntropy(x, y), 1.6697026434022075, 'ignoreIndex -100 by default');
  close(F.crossEntropy(x, y, { weight: w }), 1.8222337752133926, 'weight + ignoreIndex');
  close(F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.2 }), 1.7610020782850817, 'weight + ignoreIndex + labelSmoothing');
  close(F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.2, reduction: 'none' }), [0.631439232799131, 4.354145268871005, 2.0259206758473502, 0, 2.6740062530504627], 'the same, none');
  close(F.crossEntropy(x, yAll, { ignoreIndex: 2, reduction: 'sum' }), 2.592636442063953, 'ignoreIndex 2, sum');
  const probs = f64([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5]]);
  close(F.crossEntropy(x, probs, { weight: w, labelSmoothing: 0.1 }), 2.0725183506002556, 'probabilities, weight + labelSmoothing');
  const seg = f64([[[0.2, -1.0, 0.4], [1.1, 0.3, -0.5], [-0.2, 0.8, 0.0]], [[0.9, 0.1, -0.3], [-0.6, 0.5, 1.2], [0.3, -0.4, 0.7]]]);
  close(F.crossEntropy(seg, i32([[0, 255, 2], [1, 1, 0]]), { weight: w, ignoreIndex: 255 }), 1.3943687317706073, '[N,C,d], weight, ignoreIndex 255');
  close(new nn.CrossEntropyLoss({ weight: w, labelSmoothing: 0.2 }).forward(x, y), 1.7610020782850817, 'CrossEntropyLoss module');
});

test('nllLoss weight / ignoreIndex match PyTorch', () => {
  const lp = x.logSoftmax(1);
  close(F.nllLoss(lp, y, { weight: w }), 1.8222337752133926, 'weight + ignoreIndex');
  close(F.nllLoss(lp, yAll, { ignoreIndex: 0, reduction: 'none' }), [0, 3.2778263196847766, 1.0924575049182232, 0, 1.7663678998071337], 'ignoreIndex 0, none');
  close(new nn.NLLLoss({ weight: w }).forward(lp, y), 1.8222337752133926, 'NLLLoss module');
});

test('binaryCrossEntropyWithLogits posWeight (and weight) match PyTorch', () => {
  const logits = f64([[0.5, -1.2], [2.0, 0.3], [-0.4, -2.2]]);
  const targets = f64([[1, 0], [1, 1], [0, 1]]);
  close(F.binaryCrossEntropyWithLogits(logits, targets, { posWeight: f64([3, 0.5]) }), 0.6681719979209721, 'posWeight [C]');
  close(new nn.BCEWithLogitsLoss({ posWeight: 2, weight: f64([1, 0.25]) }).forward(logits, targets), 0.5350941902998718, 'posWeight 2 + weight');
});

test('marginRankingLoss, cosineEmbeddingLoss, tripletMarginLoss match PyTorch (functions and modules)', () => {
  const a1 = f64([0.8, -0.1, 0.4, 1.3]);
  const a2 = f64([0.3, 0.5, 0.9, 1.0]);
  const s = f64([1, -1, 1, -1]);
  close(F.marginRankingLoss(a1, a2, s), 0.2, 'marginRankingLoss');
  close(new nn.MarginRankingLoss({ margin: 0.5, reduction: 'none' }).forward(a1, a2, s), [0, 0, 1, 0.8], 'MarginRankingLoss margin 0.5');
  const e1 = f64([[1.0, 2.0, -0.5], [0.3, -0.7, 1.1], [0.0, 1.0, 1.0]]);
  const e2 = f64([[0.5, 1.5, 0.2], [-0.4, 0.9, 0.3], [1.0, 1.0, -1.0]]);
  const es = f64([1, -1, -1]);
  close(F.cosineEmbeddingLoss(e1, e2, es), 0.022976614102654207, 'cosineEmbeddingLoss');
  close(new nn.CosineEmbeddingLoss({ margin: 0.3, reduction: 'none' }).forward(e1, e2, es), [0.06892984230796262, 0, 0], 'CosineEmbeddingLoss margin 0.3');
  const an = f64([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]);
  const po = f64([[0.4, 0.1, 0.0], [0.8, -0.6, 0.9]]);
  const ne = f64([[0.2, 0.5, 0.2], [1.2, -1.4, 0.1]]);
  close(F.tripletMarginLoss(an, po, ne), 1.0521132746341932, 'tripletMarginLoss');
  close(new nn.TripletMarginLoss({ p: 1, swap: true, margin: 0.8, reduction: 'none' }).forward(an, po, ne), [1.0000020000000003, 0.7999980000000002], 'p 1, swap');
  close(F.tripletMarginLoss(an, po, ne, { p: 3, margin: 2, reduction: 'sum' }), 4.073062468606254, 'p 3, sum');
});

test('pair losses: a target other than ±1 and mismatched shapes are named', () => {
  const a = f64([0.1, 0.2]);
  assert.throws(() => F.marginRankingLoss(a, a, f64([1, 0])), /^StrataError: marginRankingLoss: target holds 0 at index 1, expected 1 or -1$/);
  assert.throws(() => F.cosineEmbeddingLoss(f64([[1, 2]]), f64([[1, 2]]), f64([0.5])), /cosineEmbeddingLoss: target holds 0\.5 at index 0, expected 1 or -1/);
  assert.throws(() => F.tripletMarginLoss(f64([[1, 2]]), f64([[1, 2]]), f64([1, 2])), /tripletMarginLoss: anchor \[1,2\], positive \[1,2\] and negative \[2\] must have one shape/);
  assert.throws(() => F.tripletMarginLoss(a, a, a, { p: 0 }), /tripletMarginLoss: p must be a positive finite number, got 0/);
});

test('the TSDoc examples print what they say (values from PyTorch)', () => {
  const r4 = (t: st.Tensor): number => Math.round(t.item() * 1e4) / 1e4;
  assert.equal(r4(F.binaryCrossEntropy(st.tensor([0.8, 0.4]), st.tensor([1, 0]))), 0.367);
  assert.equal(r4(F.binaryCrossEntropyWithLogits(st.tensor([0.5, -1]), st.tensor([1, 0]), { posWeight: 3 })), 0.8677);
  const logP = st.tensor([[-0.5, -1.2, -2.3], [-1.9, -0.3, -1.6]]);
  assert.equal(r4(F.nllLoss(logP, i32([0, 2]))), 1.05);
  assert.equal(r4(F.nllLoss(logP, i32([0, 2]), { weight: st.tensor([1, 1, 3]) })), 1.325);
  assert.equal(r4(F.nllLoss(logP, i32([0, -100]))), 0.5);
  const logits = st.tensor([[2, 0.5, -1], [0.1, 1.5, 0.3]]);
  assert.equal(r4(F.crossEntropy(logits, i32([0, 2]), { weight: st.tensor([1, 2, 4]) })), 1.3577);
  assert.equal(r4(F.crossEntropy(logits, i32([0, -100]))), 0.2413);
  assert.equal(r4(F.marginRankingLoss(st.tensor([0.8, 0.1, 0.4]), st.tensor([0.3, 0.5, 0.9]), st.tensor([1, -1, 1]), { margin: 0.2 })), 0.2333);
  assert.equal(r4(F.cosineEmbeddingLoss(st.tensor([[1, 0], [1, 1]]), st.tensor([[1, 1], [-1, 1]]), st.tensor([1, -1]))), 0.1464);
  assert.equal(r4(F.tripletMarginLoss(st.tensor([[0, 0]]), st.tensor([[3, 4]]), st.tensor([[1, 0]]))), 5);
  assert.equal(r4(new nn.MarginRankingLoss({ margin: 0.2 }).forward(st.tensor([0.8, 0.1]), st.tensor([0.3, 0.5]), st.tensor([1, -1]))), 0);
  assert.equal(r4(new nn.CosineEmbeddingLoss().forward(st.tensor([[1, 0]]), st.tensor([[1, 1]]), st.tensor([1]))), 0.2929);
  assert.equal(r4(new nn.TripletMarginLoss({ margin: 0.5 }).forward(st.tensor([[0, 0]]), st.tensor([[0, 1]]), st.tensor([[3, 0]]))), 0);
});
