// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';
import { assertClose } from '../helpers.js';

const { nn } = st;

class Block extends nn.Module {
  layers = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
  norm = new nn.BatchNorm1d(2);
  heads = new nn.ModuleList([new nn.Linear(2, 1), new nn.Linear(2, 1, { bias: false })]);
  _scratch = st.zeros([2]); // private: not state
  forward(x: st.Tensor): st.Tensor { return this.heads.at(0).forward(this.norm.forward(this.layers.forward(x))); }
}

test('state-dict keys follow PyTorch: layers.0.weight, running_mean, num_batches_tracked, heads.1.weight', () => {
  const keys = Object.keys(new Block().stateDict());
  assert.deepEqual(keys, [
    'layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias',
    'norm.weight', 'norm.bias', 'norm.running_mean', 'norm.running_var', 'norm.num_batches_tracked',
    'heads.0.weight', 'heads.0.bias', 'heads.1.weight',
  ]);
  assert.deepEqual(new Block().namedParameters().map(([k]) => k).filter((k) => k.startsWith('norm')), ['norm.weight', 'norm.bias']);
  assert.deepEqual(Object.keys(new nn.Sequential(new nn.Linear(1, 1)).stateDict()), ['0.weight', '0.bias']);
});

test('loadStateDict copies in place (parameters keep identity), accepts camelCase keys, and checks keys and shapes', () => {
  const a = new Block();
  const b = new Block();
  const w = b.layers.at(0).parameters()[0];
  b.loadStateDict(a.stateDict());
  assert.equal(b.layers.at(0).parameters()[0], w, 'same Parameter object');
  for (const [k, t] of Object.entries(a.stateDict())) assertClose(b.stateDict()[k], t, 0, 0, k);
  const camel = Object.fromEntries(Object.entries(a.stateDict()).map(([k, v]) => [k.replace('running_mean', 'runningMean'), v]));
  b.loadStateDict(camel);
  const partial: Record<string, st.Tensor> = { ...a.stateDict() };
  delete partial['heads.1.weight'];
  assert.throws(() => b.loadStateDict(partial), /loadStateDict: missing keys \[heads\.1\.weight\]/);
  assert.deepEqual(b.loadStateDict({ ...partial, extra: st.zeros([1]) }, { strict: false }), { missing: ['heads.1.weight'], unexpected: ['extra'], missingKeys: ['heads.1.weight'], unexpectedKeys: ['extra'] });
  assert.throws(() => b.loadStateDict({ ...a.stateDict(), 'layers.0.weight': st.zeros([3, 4]) }), /'layers\.0\.weight' has shape \[3,4\] in the state dict, but the module expects \[4,3\]/);
});

test('a parameter shared by two layers is listed once; freeze/unfreeze; train/eval reach every descendant', () => {
  const emb = new nn.Embedding(5, 3);
  class Tied extends nn.Module {
    embed = emb;
    out = emb; // weight tying
    forward(x: st.Tensor): st.Tensor { return this.out.forward(x); }
  }
  const t = new Tied();
  assert.equal(t.parameters().length, 1);
  assert.equal(t.numParameters(), 15);
  const block = new Block();
  block.freeze();
  assert.equal(block.numParameters({ trainable: true }), 0);
  block.layers.unfreeze();
  assert.equal(block.numParameters({ trainable: true }), 26);
  block.eval();
  assert.ok(block.modules().every((m) => !m.training));
  block.train();
  assert.ok(block.modules().every((m) => m.training));
});

test('Dropout is active in training and the identity in evaluation; masks are seeded', () => {
  const x = st.ones([1000]);
  const a = new nn.Dropout(0.25, { generator: new st.Generator(1) }).forward(x).dataSync();
  const b = new nn.Dropout(0.25, { generator: new st.Generator(1) }).forward(x).dataSync();
  assert.deepEqual(a, b);
  const zeros = a.filter((v) => v === 0).length;
  assert.ok(zeros > 200 && zeros < 300, `${zeros} of 1000 dropped at p = 0.25`);
  assert.ok(a.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6));
  assertClose(new nn.Dropout(0.25).eval().forward(x), x);
});

test('BatchNorm updates running statistics in training (momentum 0.1, unbiased variance) and uses them in evaluation', () => {
  const bn = new nn.BatchNorm1d(2);
  const x = st.tensor([[1, 10], [3, 20], [5, 60]]);
  const y = bn.forward(x);
  // Batch mean [3, 30], biased variance [8/3, 1400/3]; unbiased [4, 700].
  assertClose(bn.runningMean, [0.3, 3], 1e-6);
  assertClose(bn.runningVar, [0.9 + 0.4, 0.9 + 70], 1e-5);
  assert.equal(bn.numBatchesTracked.item(), 1);
  assertClose(y.mean(0), [0, 0], 1e-6);
  bn.eval();
  assertClose(bn.forward(x), x.sub(bn.runningMean).div(bn.runningVar.add(1e-5).sqrt()), 1e-5);
  assert.equal(bn.numBatchesTracked.item(), 1);
});

test('initializers: PyTorch defaults, Glorot and He bounds, seeded', () => {
  const g = (): st.Generator => new st.Generator(42);
  const lin = new nn.Linear(100, 50, { generator: g() });
  const bound = 1 / Math.sqrt(100);
  assert.ok(lin.weight.abs().max().item() <= bound && lin.weight.abs().max().item() > 0.9 * bound);
  assert.ok(lin.bias!.abs().max().item() <= bound);
  assertClose(new nn.Linear(100, 50, { generator: g() }).weight, lin.weight, 0, 0);
  const xu = nn.init.xavierUniform([200, 300], { generator: g() });
  const xb = Math.sqrt(6 / 500);
  assert.ok(xu.abs().max().item() <= xb && xu.abs().max().item() > 0.99 * xb);
  const he = nn.init.kaimingNormal([400, 500], { nonlinearity: 'relu', generator: g() });
  assert.ok(Math.abs(he.std().item() - Math.sqrt(2 / 500)) < 0.002);
  const conv = nn.init.kaimingUniform([16, 8, 3, 3], { mode: 'fanOut', nonlinearity: 'relu', generator: g() });
  assert.ok(conv.abs().max().item() <= Math.sqrt(6 / (16 * 9)));
  const w = st.zeros([3, 3]);
  nn.init.ones_(w);
  assertClose(w, st.ones([3, 3]));
  nn.init.normal_(w, 5, 0.01, { generator: g() });
  assert.ok(Math.abs(w.mean().item() - 5) < 0.05);
  assert.equal(nn.init.calculateGain('tanh'), 5 / 3);
  const emb = new nn.Embedding(1000, 10, { generator: g() }).weight;
  assert.ok(Math.abs(emb.std().item() - 1) < 0.05, 'Embedding is N(0, 1)');
});

test('Sequential/ModuleList containers, Flatten, LayerNorm values', () => {
  const seq = new nn.Sequential(new nn.Flatten(), new nn.Linear(6, 2)).append(new nn.Tanh());
  assert.equal(seq.length, 3);
  assert.deepEqual(seq.forward(st.zeros([4, 2, 3])).shape, [4, 2]);
  assert.throws(() => new nn.ModuleList().forward(), /ModuleList: has no forward/);
  const ln = new nn.LayerNorm(4);
  const x = st.tensor([[1, 2, 3, 4]]);
  const mu = 2.5;
  const sd = Math.sqrt((1.5 ** 2 * 2 + 0.5 ** 2 * 2) / 4 + 1e-5);
  assertClose(ln.forward(x), [[(1 - mu) / sd, (2 - mu) / sd, (3 - mu) / sd, (4 - mu) / sd]], 1e-5);
});

test('ModuleDict: modules by name in insertion order, state-dict keys under the names, and clear errors', () => {
  class Heads extends nn.Module {
    trunk = new nn.Linear(4, 8);
    heads = new nn.ModuleDict({ digit: new nn.Linear(8, 10), parity: new nn.Linear(8, 2, { bias: false }) });
    forward(x: st.Tensor): st.Tensor { return this.heads.get('digit').call(this.trunk.call(x)); }
  }
  const m = new Heads();
  assert.deepEqual(Object.keys(m.stateDict()), ['trunk.weight', 'trunk.bias', 'heads.digit.weight', 'heads.digit.bias', 'heads.parity.weight']);
  assert.equal(m.parameters().length, 5);
  assert.deepEqual(m.forward(st.zeros([3, 4])).shape, [3, 10]);
  const d = m.heads;
  assert.deepEqual(d.keys(), ['digit', 'parity']);
  assert.equal(d.size, 2);
  d.set('digit', new nn.Linear(8, 3));
  assert.deepEqual([...d].map(([k]) => k), ['digit', 'parity'], 'replacing keeps the place');
  assert.ok(d.delete('parity'));
  assert.equal(d.has('parity'), false);
  assert.throws(() => d.get('colour'), /^StrataError: ModuleDict: no module named 'colour'; it holds 'digit'/);
  assert.throws(() => d.set('a.b', new nn.ReLU()), /a module name must be a non-empty string without '\.', got 'a\.b'/);
  assert.throws(() => new nn.ModuleDict().forward(), /ModuleDict: has no forward/);
  const fromPairs = new nn.ModuleDict([['b', new nn.ReLU()], ['a', new nn.Tanh()]]);
  assert.deepEqual(fromPairs.values().map((v) => v.typeName), ['ReLU', 'Tanh']);
  // a state dict saved with one ModuleDict loads into another of the same layout
  const twin = new Heads();
  twin.heads.set('digit', new nn.Linear(8, 3));
  twin.heads.delete('parity');
  twin.loadStateDict(m.stateDict());
  assert.deepEqual(twin.heads.get('digit').stateDict().weight.toArray(), m.heads.get('digit').stateDict().weight.toArray());
});
